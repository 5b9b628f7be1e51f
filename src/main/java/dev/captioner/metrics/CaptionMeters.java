package dev.captioner.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** Generating the captions of one image from its features (beam search, greedy or sampling, and the confidence). */
public final class CaptionMeters {

    private final MeterRegistry registry;

    public CaptionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere, for code run without a registry (tests, commands). */
    public static CaptionMeters unregistered() {
        return new CaptionMeters(new CompositeMeterRegistry());
    }

    /** @param mode how the captions were generated ({@code beam}, {@code greedy}, {@code sample}) */
    public void generated(String mode, long nanos) {
        // registered once per mode, then found again by name and tag
        Timer.builder("captioner.caption.generation")
                .description("time to generate one image's captions from its features")
                .tag("mode", mode)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
