package dev.captioner.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.weights.ExpectedChecksum;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.InstalledWeights;
import dev.captioner.weights.WeightsSource;

/**
 * What every executor needs to build the same VGG16 the single-machine commands build, shipped with the tasks.
 *
 * @param weights        {@code imagenet} or {@code random:SEED}
 * @param layer          {@code fc7} or {@code conv5_3}
 * @param weightsFile    the ImageNet weights (Keras HDF5 or DL4J zip) as a Hadoop URI, copied once per executor
 *                       where it is not on a local file system; null for seeded random weights
 * @param weightsChecksum a checksum the file may match besides the known sources' (null: those only)
 * @param batchSize      images per pass through VGG16
 * @param maxPixels      the decoder's limit on width x height, checked from the header
 * @param maxImageBytes  a file larger than this is skipped unread
 */
public record EncoderSpec(String weights, String layer, String weightsFile, String weightsChecksum, int batchSize,
                          long maxPixels, long maxImageBytes) implements Serializable {

    EncoderWeights parsedWeights() {
        return EncoderWeights.parse(weights);
    }

    EncoderLayer parsedLayer() {
        return EncoderLayer.fromManifest(layer);
    }

    /** The id the encoder will have, e.g. {@code vgg16/random:42}: the feature cache's folder is named after it. */
    String encoderId() {
        return parsedLayer().encoderId(parsedWeights());
    }

    /**
     * Builds the network at fc7 (seconds, ~550 MB): once per executor JVM, through {@link ExecutorState}, which
     * takes the layer asked for from it.
     */
    FeatureEncoder create(Path localWeightsFile) {
        List<ExpectedChecksum> accepted = new ArrayList<>();
        WeightsSource.defaults(WeightsSource.DEFAULT_DL4J_BASE_URL).forEach(source -> accepted.add(source.checksum()));
        if (weightsChecksum != null && !weightsChecksum.isBlank()) {
            accepted.add(ExpectedChecksum.parse(weightsChecksum));
        }
        Path installDir = Path.of(System.getProperty("java.io.tmpdir"), "captioner-spark-weights");
        ImagenetWeights imagenet = new ImagenetWeights(new InstalledWeights(installDir), localWeightsFile,
                accepted.stream().distinct().toList());
        return Vgg16Fc7Encoder.create(parsedWeights(), imagenet);
    }

    ImageDecoder decoder() {
        return new ImageDecoder(maxPixels);
    }
}
