package dev.captioner.serving;

/**
 * The service cannot take this request now; the client should retry after {@code retryAfterSeconds} (a 503 with
 * that Retry-After, typed by its reason so operators can tell overload from capacity limits).
 */
public class ServiceBusyException extends RuntimeException {

    /** Why: the encoder's queue is full, its expected wait too long, decoding capacity taken, or shutting down. */
    public enum Reason { QUEUE_FULL, OVERLOADED, DECODING, UPLOADS, WAITED_TOO_LONG, SHUTTING_DOWN }

    private final Reason reason;
    private final long retryAfterSeconds;

    public ServiceBusyException(Reason reason, String message, long retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Reason reason() {
        return reason;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
