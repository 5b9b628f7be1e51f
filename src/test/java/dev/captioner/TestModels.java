package dev.captioner;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.captioner.language.DecoderDimensions;
import dev.captioner.language.AttentionDecoder;
import dev.captioner.language.AttentionDimensions;
import dev.captioner.language.GridShape;
import dev.captioner.language.LstmDecoder;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.FeatureEncoder;
import org.nd4j.linalg.api.buffer.DataType;

/** Small untrained models and cheap encoders for tests of plumbing (not of caption quality). */
public final class TestModels {

    public static final List<String> WORDS = List.of("a", "red", "green", "blue", "circle", "square", "on", "the", "left");

    private TestModels() {
    }

    public static CaptionModel untrained(String id, String encoderWeights, int featureSize,
                                         ModelManifest.EncoderProbe probe) {
        Vocabulary vocabulary = Vocabulary.of(WORDS);
        float[] mean = new float[featureSize];
        float[] scale = new float[featureSize];
        Arrays.fill(scale, 1f);
        LstmDecoder decoder = LstmDecoder.initialize(new DecoderDimensions(vocabulary.size(), 8, 8, featureSize),
                mean, scale, 1, DataType.FLOAT);
        ModelManifest manifest = new ModelManifest(id, Instant.parse("2026-01-01T00:00:00Z"), "test model",
                new ModelManifest.Encoder("vgg16", "fc7", encoderWeights, probe, null),
                new ModelManifest.Decoder("lstm", vocabulary.size(), 8, 8, featureSize, 16),
                Map.of("hiddenSize", 8), Map.of(), Map.of());
        return new CaptionModel(manifest, vocabulary, decoder);
    }

    /** An untrained attention decoder over a grid, behind VGG16's conv5_3 with the given weights. */
    public static CaptionModel untrainedAttention(String id, String encoderWeights, GridShape grid,
                                                  ModelManifest.EncoderProbe probe) {
        Vocabulary vocabulary = Vocabulary.of(WORDS);
        float[] mean = new float[grid.channels()];
        float[] scale = new float[grid.channels()];
        Arrays.fill(scale, 1f);
        AttentionDecoder decoder = AttentionDecoder.initialize(new AttentionDimensions(vocabulary.size(), 8, 8,
                grid.rows(), grid.columns(), grid.channels(), 6), mean, scale, 1, DataType.FLOAT);
        ModelManifest manifest = new ModelManifest(id, Instant.parse("2026-01-01T00:00:00Z"), "test attention model",
                new ModelManifest.Encoder("vgg16", "conv5_3", encoderWeights, probe, null),
                ModelManifest.Decoder.of(decoder, 16), Map.of("hiddenSize", 8), Map.of(), Map.of());
        return new CaptionModel(manifest, vocabulary, decoder);
    }

    /**
     * The committed demo model's decoder recorded as trained behind other weights (with the same probe): served
     * behind a weights file holding the {@code random:42} numbers, it must caption exactly as the demo does.
     */
    public static CaptionModel demoBehind(String weights, String id) {
        CaptionModel demo = new ModelStore(Path.of("models")).load("demo-shapes-v1");
        ModelManifest m = demo.manifest();
        ModelManifest manifest = new ModelManifest(id, m.created(), m.description() + " (recorded behind " + weights + ")",
                ModelManifest.Encoder.vgg16Fc7(weights, m.encoder().probe(), null), m.decoder(),
                m.hyperParameters(), m.metrics(), Map.of());
        return new CaptionModel(manifest, demo.vocabulary(), demo.decoder());
    }

    /** Features from the image's mean colour, scaled by a factor that stands in for "weights". */
    public record FakeEncoder(String id, int featureSize, float factor) implements FeatureEncoder {
        @Override
        public float[][] encode(List<BufferedImage> images) {
            float[][] out = new float[images.size()][featureSize];
            for (int n = 0; n < images.size(); n++) {
                BufferedImage image = images.get(n);
                long r = 0;
                long g = 0;
                long b = 0;
                for (int y = 0; y < image.getHeight(); y++) {
                    for (int x = 0; x < image.getWidth(); x++) {
                        int p = image.getRGB(x, y);
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                    }
                }
                double pixels = (double) image.getWidth() * image.getHeight();
                for (int k = 0; k < featureSize; k++) {
                    double c = switch (k % 3) {
                        case 0 -> r;
                        case 1 -> g;
                        default -> b;
                    };
                    out[n][k] = (float) (factor * (k + 1) * c / pixels / 255.0);
                }
            }
            return out;
        }
    }
}
