package dev.captioner.serving;

/** Too many requests are waiting for the encoder; the client should retry shortly (503 + Retry-After). */
public class ServiceBusyException extends RuntimeException {

    public ServiceBusyException(String message) {
        super(message);
    }
}
