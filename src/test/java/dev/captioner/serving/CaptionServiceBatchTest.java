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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.captioner.TestModels;
import dev.captioner.config.CaptionerProperties;
import dev.captioner.language.CaptionOptions;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.ImageRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch through the real decoder and the real micro-batcher, behind a fake encoder that records its passes: the
 * good images go through the encoder together, the bad ones are refused alone, and no place in the queue is left
 * taken whatever happens.
 */
class CaptionServiceBatchTest {

    private static final CaptionOptions BEST = CaptionOptions.best(16);

    @TempDir
    Path dir;

    private final List<Integer> passes = Collections.synchronizedList(new ArrayList<>());
    private EncoderBatcher batcher;

    @AfterEach
    void closeBatcher() {
        if (batcher != null) {
            batcher.close();
        }
    }

    /** Records how many images each pass had. */
    private FeatureEncoder recording(FeatureEncoder encoder) {
        return new FeatureEncoder() {
            @Override
            public String id() {
                return encoder.id();
            }

            @Override
            public int featureSize() {
                return encoder.featureSize();
            }

            @Override
            public float[][] encode(List<BufferedImage> images) {
                passes.add(images.size());
                return encoder.encode(images);
            }
        };
    }

    /**
     * {@code maxBatch} images per pass and a minute's wait for them, so a pass of the whole batch starts as soon as
     * its last image is queued, and images queued one at a time would each wait alone (never a race on time).
     */
    private CaptionService service(int queueCapacity, int maxBatch) {
        return service(queueCapacity, maxBatch, null);
    }

    private CaptionService service(int queueCapacity, int maxBatch, ModelManifest.Calibration calibration) {
        EncoderFactory factory = (weights, layer) -> recording(new TestModels.FakeEncoder("vgg16/" + weights, 12, 1));
        ModelStore store = new ModelStore(dir);
        var probe = EncoderProbe.measure(factory.create(EncoderWeights.random(42), EncoderLayer.FC7));
        CaptionModel model = TestModels.untrained("m1", "random:42", 12, probe);
        store.save(calibration == null ? model
                : new CaptionModel(model.manifest().withCalibration(calibration), model.vocabulary(), model.decoder()));
        ModelRuntime runtime = new ModelRuntime(store, factory, CaptionerProperties.defaults(dir));
        runtime.activate("m1");
        passes.clear();
        batcher = new EncoderBatcher(queueCapacity, maxBatch, Duration.ofMinutes(1), Duration.ofMinutes(1));
        return new CaptionService(new ImageDecoder(40_000_000), runtime, new ServingLoad(), batcher,
                new DecodeAdmission(80_000_000), null);
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

    @Test
    void goodImagesGoThroughTheEncoderTogetherAndBadOnesAreRefusedAlone() throws IOException {
        CaptionService service = service(5, 3);
        byte[] red = png(Color.RED);
        List<byte[]> images = List.of(red, "not an image".getBytes(StandardCharsets.UTF_8), png(Color.BLUE),
                Arrays.copyOf(red, red.length / 2), png(Color.GREEN));
        List<CaptionOutcome> outcomes = service.captionEach(images, BEST);
        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.get(0).result().captions()).hasSize(1);
        assertThat(outcomes.get(1).rejection().getReason()).isEqualTo(ImageRejectedException.Reason.NOT_AN_IMAGE);
        assertThat(outcomes.get(2).result().modelId()).isEqualTo("m1");
        assertThat(outcomes.get(3).rejection().getReason()).isEqualTo(ImageRejectedException.Reason.CORRUPT);
        assertThat(outcomes.get(4).result().encoderId()).isEqualTo("vgg16/random:42");
        assertThat(passes).as("the three good images in one pass").containsExactly(3);
        // a refusal is the one the image alone gets
        assertThatThrownBy(() -> service.caption(images.get(3), BEST))
                .isInstanceOf(ImageRejectedException.class).hasMessage(outcomes.get(3).rejection().getMessage());
        assertNoPlaceLeftTaken(5);
    }

    @Test
    void aBatchEntryCarriesTheConfidenceTheImageAloneGets() throws IOException {
        ModelManifest.Calibration calibration = new ModelManifest.Calibration(
                List.of("meanLogProbability", "length", "meanEntropy"), new double[] {-2.0, 5, 2.0},
                new double[] {0.5, 2, 0.3}, new double[] {1.5, -0.25, -0.75}, 0.2, ModelManifest.Calibration.CIDER_D,
                1.0, "test", 10, 10, Map.of());
        CaptionService service = service(5, 1, calibration);
        byte[] red = png(Color.RED);
        List<CaptionOutcome> outcomes = service.captionEach(List.of(red, png(Color.BLUE)), BEST);
        CaptionResult alone = service.caption(red, BEST);
        assertThat(alone.confidences()).hasSize(1);
        assertThat(outcomes.get(0).result().confidences()).isEqualTo(alone.confidences());
        assertThat(outcomes.get(1).result().confidences()).hasSize(1);
    }

    @Test
    void aQueueWithoutRoomForTheWholeBatchRefusesItWholeAndKeepsNoPlace() throws IOException {
        CaptionService service = service(2, 2);
        List<byte[]> three = List.of(png(Color.RED), png(Color.BLUE), png(Color.GREEN));
        assertThatThrownBy(() -> service.captionEach(three, BEST)).isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("busy");
        assertThat(passes).isEmpty();
        assertNoPlaceLeftTaken(2);
        assertThat(service.captionEach(three.subList(0, 2), BEST)).allSatisfy(o -> assertThat(o.result()).isNotNull());
    }

    @Test
    void onlyBadImagesGiveOnlyRefusals() {
        CaptionService service = service(4, 4);
        List<CaptionOutcome> outcomes = service.captionEach(List.of(new byte[0], "GIF89a".getBytes(StandardCharsets.US_ASCII)), BEST);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.rejection()).isNotNull());
        assertThat(passes).isEmpty();
        assertNoPlaceLeftTaken(4);
    }

    /** Every place can be taken again: none leaked. */
    private void assertNoPlaceLeftTaken(int capacity) {
        List<EncoderBatcher.Place> places = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            places.add(batcher.reserve(null));
        }
        places.forEach(EncoderBatcher.Place::close);
        assertThat(batcher.waiting()).isZero();
    }
}
