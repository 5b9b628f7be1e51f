package dev.captioner.serving;

import java.util.concurrent.Semaphore;

/**
 * Bounds the decoding in progress by its cost: every decode holds permits for the pixels its header declares
 * (at least {@link #MIN_WEIGHT}), so a few huge images or many small ones fit, never enough to exhaust the
 * cores or the memory. What does not fit now is refused before any pixel is decoded (503, retry shortly).
 */
public class DecodeAdmission {

    /** A floor, so a flood of tiny images is bounded in number too. */
    static final long MIN_WEIGHT = 250_000;

    private final Semaphore pixels;
    private final int capacity;

    /** @param maxPixelsInFlight at least the largest image allowed, so that one always fits on its own */
    public DecodeAdmission(long maxPixelsInFlight) {
        if (maxPixelsInFlight < MIN_WEIGHT || maxPixelsInFlight > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pixels in flight must be between " + MIN_WEIGHT + " and "
                    + Integer.MAX_VALUE + ", was " + maxPixelsInFlight);
        }
        this.capacity = (int) maxPixelsInFlight;
        this.pixels = new Semaphore(capacity);
    }

    /** A held share of the decoding capacity; close it when the image is decoded. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    public Permit admit(long declaredPixels) {
        int weight = (int) Math.min(capacity, Math.max(MIN_WEIGHT, declaredPixels));
        if (!pixels.tryAcquire(weight)) {
            throw new ServiceBusyException(ServiceBusyException.Reason.DECODING, "the service is decoding as many "
                    + "images as it can take at once; try again shortly", 1);
        }
        return () -> pixels.release(weight);
    }

    int available() {
        return pixels.availablePermits();
    }
}
