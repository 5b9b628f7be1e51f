package dev.captioner.config;

/** A setting or the disk keeps the service from starting; the message says which, and what to change. */
public class StartupRefusedException extends RuntimeException {

    public StartupRefusedException(String message) {
        super(message);
    }

    public StartupRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
