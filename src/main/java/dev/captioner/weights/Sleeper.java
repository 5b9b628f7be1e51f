package dev.captioner.weights;

import java.time.Duration;

/** Waits out a back-off; tests pass one that records the delay instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
