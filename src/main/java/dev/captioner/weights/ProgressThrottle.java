package dev.captioner.weights;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Passes progress on at most every 250 ms and every 1 % of the file, so a fast download does not flood a log. */
final class ProgressThrottle {

    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final FetchListener listener;
    private final long totalBytes;
    private final long minStep;
    private final LongSupplier nanoClock;
    private long lastBytes;
    private long lastNanos;

    ProgressThrottle(FetchListener listener, long startBytes, long totalBytes, LongSupplier nanoClock) {
        this.listener = listener;
        this.totalBytes = totalBytes;
        this.minStep = totalBytes > 0 ? Math.max(1, totalBytes / 100) : 1;
        this.nanoClock = nanoClock;
        this.lastBytes = startBytes;
        this.lastNanos = nanoClock.getAsLong();
    }

    void update(long bytesDone) {
        long now = nanoClock.getAsLong();
        if (now - lastNanos >= MIN_INTERVAL_NANOS && bytesDone - lastBytes >= minStep) {
            report(bytesDone, now);
        }
    }

    /** The last report, always made, so a listener sees the final count. */
    void finish(long bytesDone) {
        report(bytesDone, nanoClock.getAsLong());
    }

    private void report(long bytesDone, long now) {
        lastBytes = bytesDone;
        lastNanos = now;
        listener.progress(bytesDone, totalBytes);
    }
}
