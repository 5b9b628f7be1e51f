package dev.captioner.training.job;

/** The job (or model) is not in a state that allows the request, e.g. cancelling a finished job. */
public class TrainingJobConflictException extends RuntimeException {
    public TrainingJobConflictException(String message) {
        super(message);
    }
}
