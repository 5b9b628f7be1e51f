package dev.captioner.metrics;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** Model activations: the first model loaded, one model swapped for another, or an activation that failed. */
public final class ActivationMeters {

    /** What an activation came to, the {@code outcome} tag. */
    public enum Outcome {
        /** a model became active where none was */
        LOADED,
        /** a model replaced the one serving */
        SWAPPED,
        /** the model could not be activated; the one serving, if any, stayed */
        FAILED;

        String tag() {
            return name().toLowerCase();
        }
    }

    private final MeterRegistry registry;

    public ActivationMeters(MeterRegistry registry) {
        this.registry = registry;
        List.of(Outcome.values()).forEach(this::counter);
    }

    /** Meters that go nowhere, for code run without a registry (tests, commands). */
    public static ActivationMeters unregistered() {
        return new ActivationMeters(new CompositeMeterRegistry());
    }

    public void activation(Outcome outcome) {
        counter(outcome).increment();
    }

    private Counter counter(Outcome outcome) {
        return Counter.builder("captioner.model.activations")
                .description("model activations (startup, admin, training jobs), by outcome")
                .tag("outcome", outcome.tag())
                .register(registry);
    }
}
