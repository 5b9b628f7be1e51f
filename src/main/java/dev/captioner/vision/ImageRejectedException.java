package dev.captioner.vision;

/**
 * The uploaded bytes cannot be turned into an image. The {@link Reason} lets the web layer pick the status
 * (400 for EMPTY, NOT_AN_IMAGE and CORRUPT, 415 for UNSUPPORTED_FORMAT, 422 for TOO_MANY_PIXELS); the message
 * is written for the client and says what was wrong.
 */
public class ImageRejectedException extends RuntimeException {

    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** The bytes are not in any image format we recognise (text, a PDF, random data, ...). */
        NOT_AN_IMAGE,
        /** A recognisable image format, or a variant of one, that the service does not decode. */
        UNSUPPORTED_FORMAT,
        /** The data of a supported format is damaged or truncated. */
        CORRUPT,
        /** The header declares more pixels than the service is willing to allocate. */
        TOO_MANY_PIXELS
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason getReason() {
        return reason;
    }
}
