package dev.captioner.vision;
// STUB-PENDING-HELPER
public class ImageRejectedException extends RuntimeException {
    public enum Reason { EMPTY, NOT_AN_IMAGE, UNSUPPORTED_FORMAT, CORRUPT, TOO_MANY_PIXELS }
    private final Reason reason;
    public ImageRejectedException(Reason reason, String message) { super(message); this.reason = reason; }
    public Reason getReason() { return reason; }
}
