package dev.captioner.upload;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A refusal the application can decide from a request's line and headers alone (the service is busy, say), so
 * the body is not received only to be refused; the rest of it is still drained so the client sees the answer.
 */
@FunctionalInterface
public interface EarlyRefusal {

    Optional<Refusal> refusalOf(HttpServletRequest request);

    /** @param retryAfterSeconds 0 for no Retry-After */
    record Refusal(int status, String type, String detail, int retryAfterSeconds) {
    }
}
