package dev.captioner.training;

/** Thrown out of training when its job was cancelled. */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException() {
        super("training was cancelled");
    }
}
