package dev.captioner.web;

/** The uploaded image is larger than {@code captioner.max-image-size}. */
class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(String message) {
        super(message);
    }
}
