package dev.captioner.weights;

/** One failed try at a source and why it failed, e.g. "HTTP 404 Not Found" or "connection refused". */
public record FetchAttempt(WeightsSource source, int attempt, String reason) {

    @Override
    public String toString() {
        return source.name() + " attempt " + attempt + ": " + reason;
    }
}
