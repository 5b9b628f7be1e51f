package dev.captioner.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** The encoder's micro-batching: how long a pass takes, how full it is, how long images wait for it, the queue. */
public final class EncoderMeters {

    private final MeterRegistry registry;
    private final Timer pass;
    private final DistributionSummary batchSize;
    private final Timer queueWait;

    /** @param maxBatch most images in one pass: the batch size histogram has a bucket for every size up to it */
    public EncoderMeters(MeterRegistry registry, int maxBatch) {
        this.registry = registry;
        this.pass = Timer.builder("captioner.encoder.batch.duration")
                .description("time of one pass of a batch of images through VGG16")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        double[] everySize = new double[maxBatch];
        for (int size = 1; size <= maxBatch; size++) {
            everySize[size - 1] = size;
        }
        this.batchSize = DistributionSummary.builder("captioner.encoder.batch.size")
                .description("images encoded together in one pass")
                .baseUnit("images")
                .serviceLevelObjectives(everySize)
                .register(registry);
        this.queueWait = Timer.builder("captioner.encoder.queue.wait")
                .description("time an image waited in the queue until its pass began")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    /** Meters that go nowhere, for code run without a registry (tests, commands). */
    public static EncoderMeters unregistered(int maxBatch) {
        return new EncoderMeters(new CompositeMeterRegistry(), maxBatch);
    }

    /**
     * @param placesTaken images being decoded for the queue or waiting in it: what {@code capacity} bounds
     */
    public void watchQueue(IntSupplier placesTaken, int capacity) {
        // held strongly: Micrometer keeps only a weak reference by default, and the lambda has no other owner
        Gauge.builder("captioner.encoder.queue.depth", placesTaken, IntSupplier::getAsInt)
                .description("images being decoded for the encoder's queue or waiting in it")
                .baseUnit("images")
                .strongReference(true)
                .register(registry);
        Gauge.builder("captioner.encoder.queue.capacity", () -> capacity)
                .description("images the encoder's queue holds at most; past it requests are refused with 503")
                .baseUnit("images")
                .register(registry);
    }

    public void batchEncoded(int images, long nanos) {
        pass.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(images);
    }

    public void waited(long nanos) {
        queueWait.record(nanos, TimeUnit.NANOSECONDS);
    }
}
