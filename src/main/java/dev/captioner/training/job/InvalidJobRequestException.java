package dev.captioner.training.job;

/** A training job request that is not one: the message names the fields and what they must be (a 400). */
public class InvalidJobRequestException extends RuntimeException {

    public InvalidJobRequestException(String message) {
        super(message);
    }
}
