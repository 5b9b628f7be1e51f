package dev.captioner.serving;

/** No model is active (none stored yet, or still loading): the service cannot caption right now. */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }
}
