package dev.captioner.serving;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts caption requests in flight, so background work (training jobs) can step aside between its
 * batches: the machine's cores go to the request first, and training continues when it is done.
 */
public class ServingLoad {

    private final AtomicInteger inFlight = new AtomicInteger();

    public void enter() {
        inFlight.incrementAndGet();
    }

    public void exit() {
        inFlight.decrementAndGet();
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
