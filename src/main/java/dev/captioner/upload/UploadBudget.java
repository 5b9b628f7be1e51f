package dev.captioner.upload;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * How many request bodies may be in the middle of arriving, and how many of their bytes may be held in memory
 * at once. Bytes are reserved as the buffer for them grows, not as declared, so a client that announces a large
 * body and trickles it holds a slot but little memory. When every slot is taken, a newcomer takes the slot of
 * the slowest body that has arrived at less than the minimum rate so far: a crowd of trickling connections can
 * delay uploads by at most the grace period, not lock them out.
 */
final class UploadBudget {

    private final int maxUploads;
    private final long maxBytes;
    private final long minBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    private final Set<Reservation> open = new LinkedHashSet<>();
    private long bytes;

    /**
     * @param minBytesPerSecond a body slower than this (after {@code grace}) gives its slot up when one is needed
     */
    UploadBudget(int maxUploads, long maxBytes, long minBytesPerSecond, Duration grace, LongSupplier nanoTime) {
        if (maxUploads < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("upload budget must allow at least one upload and one byte");
        }
        this.maxUploads = maxUploads;
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * A slot for one body, or empty when {@code maxUploads} bodies are arriving and none of them is too slow.
     * {@code onEvicted} runs (on the caller's thread of a later {@code open}) if this body is made to give its
     * slot up; its reservation is closed by then.
     */
    Optional<Reservation> open(Runnable onEvicted) {
        Reservation victim = null;
        Reservation granted;
        synchronized (this) {
            if (open.size() >= maxUploads) {
                victim = slowest();
                if (victim == null) {
                    return Optional.empty();
                }
                victim.release();
            }
            granted = new Reservation(onEvicted, nanoTime.getAsLong());
            open.add(granted);
        }
        if (victim != null) {
            victim.onEvicted.run();
        }
        return Optional.of(granted);
    }

    private Reservation slowest() {
        long now = nanoTime.getAsLong();
        Reservation slowest = null;
        double slowestRate = Double.MAX_VALUE;
        for (Reservation reservation : open) {
            long elapsed = now - reservation.startNanos;
            if (elapsed < graceNanos) {
                continue;
            }
            double rate = reservation.received * 1e9 / elapsed;
            if (rate < minBytesPerSecond && rate < slowestRate) {
                slowest = reservation;
                slowestRate = rate;
            }
        }
        return slowest;
    }

    synchronized int uploadsInProgress() {
        return open.size();
    }

    synchronized long bytesHeld() {
        return bytes;
    }

    /** One body's slot and the bytes it holds; closing gives both back (once). */
    final class Reservation implements AutoCloseable {

        private final Runnable onEvicted;
        private final long startNanos;
        private long held;
        private long received;
        private boolean closed;

        private Reservation(Runnable onEvicted, long startNanos) {
            this.onEvicted = onEvicted;
            this.startNanos = startNanos;
        }

        /** Reserves {@code n} more bytes; false when the budget has not that many left (or this slot is gone). */
        boolean grow(long n) {
            synchronized (UploadBudget.this) {
                if (closed || bytes + n > maxBytes) {
                    return false;
                }
                bytes += n;
                held += n;
                return true;
            }
        }

        /** {@code n} more bytes of the body arrived: how its rate is judged. */
        void received(long n) {
            synchronized (UploadBudget.this) {
                received += n;
            }
        }

        @Override
        public void close() {
            synchronized (UploadBudget.this) {
                release();
            }
        }

        /** Caller holds the budget's lock. */
        private void release() {
            if (!closed) {
                closed = true;
                bytes -= held;
                held = 0;
                open.remove(this);
            }
        }
    }
}
