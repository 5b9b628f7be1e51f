package dev.captioner.weights;

/** Why an attempt at a source failed, and whether trying the same source again could help. */
final class DownloadFailure extends Exception {

    private final boolean retryable;

    private DownloadFailure(String reason, boolean retryable) {
        super(reason, null, false, false);
        this.retryable = retryable;
    }

    /** A timeout, a reset, a refused connection, a 5xx: the same source may work on the next attempt. */
    static DownloadFailure retryable(String reason) {
        return new DownloadFailure(reason, true);
    }

    /** A 404, a wrong checksum: asking the same source again gets the same answer. */
    static DownloadFailure nextSource(String reason) {
        return new DownloadFailure(reason, false);
    }

    boolean isRetryable() {
        return retryable;
    }
}
