package dev.captioner.weights;

import java.time.Duration;
import java.util.Objects;

/**
 * How patient a download is.
 *
 * @param readTimeout    the longest a single read may wait: a server that stops sending mid-body fails after it
 * @param maxAttempts    attempts per source, the first included
 * @param initialBackoff the wait before the second attempt; it doubles for each further attempt
 * @param maxBackoff     the cap on that wait
 */
public record FetchSettings(Duration connectTimeout, Duration readTimeout, int maxAttempts, Duration initialBackoff,
                            Duration maxBackoff) {

    public FetchSettings {
        requireUsableTimeout("connectTimeout", connectTimeout);
        requireUsableTimeout("readTimeout", readTimeout);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive with initialBackoff <= maxBackoff, not "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    public static FetchSettings defaults() {
        return new FetchSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), 3, Duration.ofSeconds(2),
                Duration.ofSeconds(30));
    }

    /** The wait before attempt {@code attempt} (2 or more) of a source. */
    Duration backoffBefore(int attempt) {
        Duration delay = initialBackoff;
        for (int i = 2; i < attempt && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    int connectTimeoutMillis() {
        return (int) connectTimeout.toMillis();
    }

    int readTimeoutMillis() {
        return (int) readTimeout.toMillis();
    }

    /** "60 s" or "250 ms", the way messages name a timeout. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    // HttpURLConnection takes int milliseconds and reads 0 as "wait forever", the very thing to avoid
    private static void requireUsableTimeout(String name, Duration timeout) {
        Objects.requireNonNull(timeout, name);
        if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and " + Integer.MAX_VALUE + " ms, not "
                    + timeout);
        }
    }
}
