package dev.captioner.training.job;

/** A job whose memory estimate is over the training budget: refused at submit (400), failed before training. */
public class JobTooLargeException extends InvalidJobRequestException {

    public JobTooLargeException(String message) {
        super(message);
    }
}
