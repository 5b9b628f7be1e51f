package dev.captioner.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import dev.captioner.TestModels;
import dev.captioner.config.CaptionerProperties;
import dev.captioner.language.CaptionOptions;
import dev.captioner.metrics.ActivationMeters;
import dev.captioner.metrics.CaptionMeters;
import dev.captioner.metrics.EncoderMeters;
import dev.captioner.metrics.RefusalMeters;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.ImageDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the serving meters record, through the real decoder, micro-batcher and model runtime behind a fake encoder:
 * every image encoded, waited and generated counted once, every 503 counted once per request by its reason, and
 * every activation by its outcome.
 */
class ServingMetersTest {

    private static final CaptionOptions BEST = CaptionOptions.best(16);
    private static final EncoderFactory FAKE = (weights, layer) -> new TestModels.FakeEncoder("vgg16/" + weights, 12, 1);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private EncoderBatcher batcher;

    @AfterEach
    void closeBatcher() {
        if (batcher != null) {
            batcher.close();
        }
    }

    private ModelRuntime runtimeWithModel(boolean activate) {
        ModelStore store = new ModelStore(dir);
        var probe = EncoderProbe.measure(FAKE.create(EncoderWeights.random(42), EncoderLayer.FC7));
        store.save(TestModels.untrained("m1", "random:42", 12, probe));
        ModelRuntime runtime = new ModelRuntime(store, FAKE, CaptionerProperties.defaults(dir),
                new ActivationMeters(meters));
        if (activate) {
            runtime.activate("m1");
        }
        return runtime;
    }

    /** A minute's wait for a full pass of {@code maxBatch}, so a batch of that many goes through together. */
    private CaptionService service(ModelRuntime runtime, int queueCapacity, int maxBatch) {
        batcher = new EncoderBatcher(queueCapacity, maxBatch, Duration.ofMinutes(1), Duration.ofMinutes(1),
                new EncoderMeters(meters, maxBatch));
        return new CaptionService(new ImageDecoder(40_000_000), runtime, new ServingLoad(), batcher,
                new DecodeAdmission(80_000_000), null, new CaptionMeters(meters),
                new RefusalMeters(meters, CaptionService.refusalReasons()));
    }

    private static byte[] png(Color color) throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private double refused(String reason) {
        return meters.get("captioner.requests.refused").tag("reason", reason).counter().count();
    }

    @Test
    void everyEncodedImageIsCountedInItsPassItsWaitAndItsGeneration() throws IOException {
        CaptionService service = service(runtimeWithModel(true), 8, 3);
        service.captionEach(List.of(png(Color.GREEN), "not an image".getBytes(StandardCharsets.UTF_8),
                png(Color.BLUE), png(Color.BLACK)), BEST);
        service.captionEach(List.of(png(Color.RED), png(Color.YELLOW), png(Color.WHITE)), BEST);

        // a pass for each batch's three good images (a full pass starts at once; the bad one is never queued)
        var passes = meters.get("captioner.encoder.batch.duration").timer();
        assertThat(passes.count()).isEqualTo(2);
        var sizes = meters.get("captioner.encoder.batch.size").summary();
        assertThat(sizes.count()).isEqualTo(2);
        assertThat(sizes.totalAmount()).isEqualTo(6);
        assertThat(sizes.max()).isEqualTo(3);
        assertThat(meters.get("captioner.encoder.queue.wait").timer().count()).isEqualTo(6);
        assertThat(meters.get("captioner.caption.generation").tag("mode", "beam").timer().count()).isEqualTo(6);
        assertThat(meters.get("captioner.encoder.queue.depth").gauge().value()).isZero();
        assertThat(meters.get("captioner.encoder.queue.capacity").gauge().value()).isEqualTo(8);
        assertThat(CaptionService.refusalReasons()).allSatisfy(reason -> assertThat(refused(reason)).isZero());
    }

    @Test
    void theQueueDepthCountsPlacesTakenBeforeTheirImagesAreQueued() {
        CaptionService service = service(runtimeWithModel(true), 8, 3);
        try (EncoderBatcher.Place first = batcher.reserve(null); EncoderBatcher.Place second = batcher.reserve(null)) {
            assertThat(meters.get("captioner.encoder.queue.depth").gauge().value()).isEqualTo(2);
        }
        assertThat(meters.get("captioner.encoder.queue.depth").gauge().value()).isZero();
        assertThat(service).isNotNull();
    }

    @Test
    void aRequestWithoutAModelIsCountedOnceWhetherRefusedEarlyOrLate() throws IOException {
        CaptionService service = service(runtimeWithModel(false), 8, 3);
        assertThatThrownBy(service::refuseIfBusy).isInstanceOf(ModelUnavailableException.class);
        assertThatThrownBy(() -> service.caption(png(Color.RED), BEST)).isInstanceOf(ModelUnavailableException.class);
        assertThatThrownBy(() -> service.captionEach(List.of(png(Color.RED), png(Color.BLUE)), BEST))
                .isInstanceOf(ModelUnavailableException.class);
        assertThat(refused("no-active-model")).isEqualTo(3);
        assertThat(refused("queue-full")).isZero();
    }

    @Test
    void aFullQueueIsCountedByItsReasonOncePerRequest() throws IOException {
        CaptionService service = service(runtimeWithModel(true), 2, 2);
        try (EncoderBatcher.Place taken = batcher.reserve(null)) {
            // one place left: the batch of two takes it, then is refused for the second, and counted once
            assertThatThrownBy(() -> service.captionEach(List.of(png(Color.RED), png(Color.BLUE)), BEST))
                    .isInstanceOfSatisfying(ServiceBusyException.class,
                            e -> assertThat(e.reason()).isEqualTo(ServiceBusyException.Reason.QUEUE_FULL));
            try (EncoderBatcher.Place last = batcher.reserve(null)) {
                assertThatThrownBy(service::refuseIfBusy).isInstanceOf(ServiceBusyException.class);
                assertThatThrownBy(() -> service.caption(png(Color.RED), BEST))
                        .isInstanceOf(ServiceBusyException.class);
            }
        }
        assertThat(refused("queue-full")).isEqualTo(3);
        assertThat(refused("no-active-model")).isZero();
        assertThat(meters.get("captioner.encoder.batch.duration").timer().count()).isZero();
    }

    @Test
    void activationsAreCountedAsLoadedSwappedOrFailed() {
        ModelRuntime runtime = runtimeWithModel(true);
        runtime.activate("m1");
        assertThatThrownBy(() -> runtime.activate("no-such-model")).isInstanceOf(RuntimeException.class);
        assertThat(runtime.require().model().id()).isEqualTo("m1");

        assertThat(activations("loaded")).isEqualTo(1);
        assertThat(activations("swapped")).isEqualTo(1);
        assertThat(activations("failed")).isEqualTo(1);
    }

    private double activations(String outcome) {
        return meters.get("captioner.model.activations").tag("outcome", outcome).counter().count();
    }
}
