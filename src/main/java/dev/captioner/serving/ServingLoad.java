package dev.captioner.serving;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts caption requests in flight, so background work (training jobs) can step aside between its
 * batches: the machine's cores go to the request first, and training continues when it is done.
 */
public class ServingLoad {

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastRequestNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    public void enter() {
        inFlight.incrementAndGet();
        lastRequestNanos = System.nanoTime();
    }

    /** Whether caption requests are being served or were, within {@code window}. */
    public boolean busyWithin(Duration window) {
        return inFlight.get() > 0 || System.nanoTime() - lastRequestNanos < window.toNanos();
    }

    public void exit() {
        inFlight.decrementAndGet();
    }

    /** When the last caption request came in ({@link System#nanoTime()}). */
    public long lastRequestNanos() {
        return lastRequestNanos;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits while requests are in flight, but at most {@code limit}, so a steady stream of requests slows
     * background work down without starving it.
     */
    public void yieldToRequests(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
