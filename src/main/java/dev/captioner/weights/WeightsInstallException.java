package dev.captioner.weights;

/** A file offered for installation was refused: not a weights file, or no accepted checksum matches. */
public class WeightsInstallException extends RuntimeException {

    WeightsInstallException(String message) {
        super(message);
    }
}
