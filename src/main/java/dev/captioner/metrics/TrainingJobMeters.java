package dev.captioner.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The training job running in this process: whether there is one, its progress and the step it is in. The job is
 * read once for all these gauges of one scrape (reading it asks the job repository), and again once
 * {@code maxAge} has passed.
 */
public final class TrainingJobMeters {

    /** What the gauges show of the running job. */
    public record RunningJob(double progress, String step) {
    }

    private final Supplier<Optional<RunningJob>> running;
    private final Duration maxAge;
    private final LongSupplier nanoTime;
    private Optional<RunningJob> lastRead = Optional.empty();
    private long readAt;
    private boolean read;

    /**
     * @param running the job running now, if any
     * @param steps   the steps a job goes through, each with its gauge (1 while the running job is in it)
     */
    public TrainingJobMeters(MeterRegistry registry, Supplier<Optional<RunningJob>> running, List<String> steps,
                             Duration maxAge, LongSupplier nanoTime) {
        this.running = running;
        this.maxAge = maxAge;
        this.nanoTime = nanoTime;
        Gauge.builder("captioner.training.job.running", this, meters -> meters.job().isPresent() ? 1 : 0)
                .description("1 while a training job runs in this process, else 0")
                .register(registry);
        Gauge.builder("captioner.training.job.progress", this,
                        meters -> meters.job().map(RunningJob::progress).orElse(Double.NaN))
                .description("the running training job's progress, 0 to 1 (NaN when none runs)")
                .register(registry);
        for (String step : steps) {
            Gauge.builder("captioner.training.job.step", this,
                            meters -> meters.job().filter(job -> step.equals(job.step())).isPresent() ? 1 : 0)
                    .description("1 for the step the running training job is in, else 0")
                    .tag("step", step)
                    .register(registry);
        }
    }

    synchronized Optional<RunningJob> job() {
        long now = nanoTime.getAsLong();
        if (!read || now - readAt >= maxAge.toNanos()) {
            lastRead = running.get();
            readAt = now;
            read = true;
        }
        return lastRead;
    }
}
