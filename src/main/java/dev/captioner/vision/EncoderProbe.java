package dev.captioner.vision;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import dev.captioner.store.ModelManifest;

/**
 * Fingerprints an encoder by its features on a fixed synthetic image. Stored in each model's manifest and
 * re-checked when the model is loaded: a decoder served behind other weights (another seed, a different
 * weight file, a changed preprocessing) would produce fluent nonsense, so it must fail loudly instead.
 */
public final class EncoderProbe {

    private static final int PROBE_DIMENSIONS = 16;
    /** Relative tolerance: oneDNN and the generic path agree to ~1e-6; other weights differ by O(1). */
    private static final double TOLERANCE = 1e-3;

    private EncoderProbe() {
    }

    static BufferedImage probeImage() {
        BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(230, 200, 120), 224, 224, new Color(40, 90, 200)));
        g.fillRect(0, 0, 224, 224);
        g.setColor(new Color(200, 30, 40));
        g.fillOval(30, 40, 90, 90);
        g.setColor(new Color(20, 160, 60));
        g.fillRect(130, 120, 70, 80);
        g.dispose();
        return image;
    }

    public static ModelManifest.EncoderProbe measure(FeatureEncoder encoder) {
        float[] features = encoder.encode(probeImage());
        int[] strongest = IntStream.range(0, features.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> features[i]).reversed())
                .limit(PROBE_DIMENSIONS).mapToInt(Integer::intValue).sorted().toArray();
        float[] values = new float[strongest.length];
        for (int i = 0; i < strongest.length; i++) {
            values[i] = features[strongest[i]];
        }
        return new ModelManifest.EncoderProbe(l2(features), strongest, values);
    }

    /** Empty when the encoder matches the recorded probe, otherwise what differs. */
    public static java.util.Optional<String> mismatch(FeatureEncoder encoder, ModelManifest.EncoderProbe expected) {
        float[] features = encoder.encode(probeImage());
        double norm = l2(features);
        double scale = Math.max(expected.l2Norm(), 1e-6);
        if (Math.abs(norm - expected.l2Norm()) > TOLERANCE * scale) {
            return java.util.Optional.of("probe feature norm " + norm + ", model expects " + expected.l2Norm());
        }
        for (int i = 0; i < expected.indices().length; i++) {
            int index = expected.indices()[i];
            if (index >= features.length || Math.abs(features[index] - expected.values()[i]) > TOLERANCE * scale) {
                return java.util.Optional.of("probe feature " + index + " differs from the model's record "
                        + Arrays.toString(expected.values()));
            }
        }
        return java.util.Optional.empty();
    }

    private static double l2(float[] features) {
        double sum = 0;
        for (float f : features) {
            sum += (double) f * f;
        }
        return Math.sqrt(sum);
    }
}
