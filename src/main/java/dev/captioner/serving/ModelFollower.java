package dev.captioner.serving;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a replica on the model the shared store's {@code ACTIVE} names: every {@code captioner.models.follow-interval}
 * it asks {@link ModelRuntime#followStore}, on a thread of its own, so an activation on any replica reaches every
 * other within about that interval plus a model's load time, without a restart.
 */
final class ModelFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFollower.class);

    private final ModelRuntime runtime;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    /** @param interval zero or negative: nothing is followed */
    ModelFollower(ModelRuntime runtime, Duration interval) {
        this.runtime = runtime;
        this.interval = interval;
    }

    /** Once the model recorded at startup is loaded: before that, following would load it a second time. */
    synchronized void start() {
        if (scheduler != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "model-follower");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runtime.followStore();
            } catch (RuntimeException e) {
                // a surprise here must not end the schedule: the next round tries again
                log.error("following the model store failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
