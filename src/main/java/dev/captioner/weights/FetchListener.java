package dev.captioner.weights;

import java.nio.file.Path;

/** What a fetch is doing, for a progress bar or a log. Every method does nothing unless overridden. */
public interface FetchListener {

    FetchListener NONE = new FetchListener() {
    };

    /**
     * A server answered and the body is about to be read.
     *
     * @param resumeFrom the byte the body starts at: above 0 when a partial download is resumed
     * @param totalBytes the whole file's length, or -1 when the server does not say
     */
    default void started(WeightsSource source, int attempt, long resumeFrom, long totalBytes) {
    }

    /** At most every 250 ms and every 1 % of the file, and once more when the body is complete. */
    default void progress(long bytesDone, long totalBytes) {
    }

    /** An attempt failed; another attempt or the next source follows unless it was the last. */
    default void failed(FetchAttempt attempt) {
    }

    /** The file is complete and its checksum is being computed, which takes a few seconds for 550 MB. */
    default void verifying(Path file) {
    }

    default void installed(InstalledWeight weight) {
    }
}
