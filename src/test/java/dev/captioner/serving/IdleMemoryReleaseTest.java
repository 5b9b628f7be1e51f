package dev.captioner.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class IdleMemoryReleaseTest {

    private final ServingLoad load = new ServingLoad();
    private final AtomicLong now = new AtomicLong(System.nanoTime());
    private final AtomicInteger collections = new AtomicInteger();
    private final AtomicInteger trims = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final IdleMemoryRelease release = new IdleMemoryRelease(load, Duration.ofSeconds(30), now::get,
            collections::incrementAndGet, trims::incrementAndGet, meters, false);

    @Test
    void releasesOnceABusySpellHasBeenOverForTheIdleTime() {
        assertThat(release.releaseIfIdle()).as("no spell yet").isFalse();
        load.enter();
        load.exit();
        now.set(load.lastRequestNanos() + Duration.ofSeconds(29).toNanos());
        assertThat(release.releaseIfIdle()).as("idle 29 s").isFalse();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(release.releaseIfIdle()).isTrue();
        assertThat(collections).hasValue(1);
        assertThat(trims).hasValue(1);
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(release.releaseIfIdle()).as("nothing came since").isFalse();
        assertThat(meters.counter("captioner.memory.releases").count()).isEqualTo(1.0);
    }

    @Test
    void neverWhileARequestIsInFlight() {
        load.enter();
        now.set(load.lastRequestNanos() + Duration.ofMinutes(5).toNanos());
        assertThat(release.releaseIfIdle()).as("a long request is still running").isFalse();
        load.exit();
        assertThat(release.releaseIfIdle()).isTrue();
    }

    /** A training job ends outside caption requests: it asks for the same release at once. */
    @Test
    void releasesNowWhenAsked() {
        release.releaseNow("training job 1 ended");
        assertThat(collections).hasValue(1);
        assertThat(trims).hasValue(1);
        assertThat(meters.counter("captioner.memory.releases").count()).isEqualTo(1.0);
    }
}
