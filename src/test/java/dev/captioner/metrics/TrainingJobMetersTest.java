package dev.captioner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The running job's gauges, and that one scrape reads the job once, on a clock the test moves. */
class TrainingJobMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Optional<TrainingJobMeters.RunningJob>> job = new AtomicReference<>(Optional.empty());
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final TrainingJobMeters meters = new TrainingJobMeters(registry, () -> {
        reads.incrementAndGet();
        return job.get();
    }, List.of("prepare", "features", "train"), Duration.ofSeconds(1), now::get);

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double step(String step) {
        return registry.get("captioner.training.job.step").tag("step", step).gauge().value();
    }

    @Test
    void withoutAJobNothingRunsAndProgressIsNotANumber() {
        assertThat(gauge("captioner.training.job.running")).isZero();
        assertThat(gauge("captioner.training.job.progress")).isNaN();
        assertThat(step("prepare") + step("features") + step("train")).isZero();
    }

    @Test
    void theRunningJobsProgressAndStepAreShownAndReadOncePerScrape() {
        job.set(Optional.of(new TrainingJobMeters.RunningJob(0.25, "features")));
        assertThat(gauge("captioner.training.job.running")).isEqualTo(1);
        assertThat(gauge("captioner.training.job.progress")).isEqualTo(0.25);
        assertThat(step("features")).isEqualTo(1);
        assertThat(step("prepare")).isZero();
        assertThat(step("train")).isZero();
        assertThat(reads).hasValue(1);

        job.set(Optional.of(new TrainingJobMeters.RunningJob(0.6, "train")));
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(gauge("captioner.training.job.progress")).isEqualTo(0.25);
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(gauge("captioner.training.job.progress")).isEqualTo(0.6);
        assertThat(step("train")).isEqualTo(1);
        assertThat(step("features")).isZero();
        assertThat(reads).hasValue(2);
    }
}
