package dev.captioner.weights;

/**
 * The weights an encoder needs are not installed, or no longer match their checksum: the message says which
 * and how to install them. A job asking for them is refused (400); a service needing them stays not-ready.
 */
public class WeightsUnavailableException extends RuntimeException {

    public WeightsUnavailableException(String message) {
        super(message);
    }
}
