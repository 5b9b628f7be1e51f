package dev.captioner.metrics;

import java.util.Collection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** Requests refused with 503 because the service could not take them then, by why. */
public final class RefusalMeters {

    private static final String NAME = "captioner.requests.refused";

    private final MeterRegistry registry;

    /** @param knownReasons counted from zero at once, so that a rate over them exists before the first refusal */
    public RefusalMeters(MeterRegistry registry, Collection<String> knownReasons) {
        this.registry = registry;
        knownReasons.forEach(this::counter);
    }

    /** Meters that go nowhere, for code run without a registry (tests, commands). */
    public static RefusalMeters unregistered() {
        return new RefusalMeters(new CompositeMeterRegistry(), java.util.List.of());
    }

    public void refused(String reason) {
        counter(reason).increment();
    }

    private Counter counter(String reason) {
        return Counter.builder(NAME)
                .description("requests refused with 503 (service unavailable), by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
