package dev.captioner.vision;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

import dev.captioner.store.ModelManifest;

/** Turns images into fixed-size feature vectors (VGG16's fc7 or conv5_3 grid in production, anything in tests). */
public interface FeatureEncoder {

    /** Stable identity of architecture + weights, e.g. {@code vgg16/random:42} or {@code vgg16-conv5_3/random:42}; stored in model manifests. */
    String id();

    int featureSize();

    /** Where in the network the features are taken; fc7 unless the encoder says otherwise. */
    default EncoderLayer layer() {
        return EncoderLayer.FC7;
    }

    /**
     * The same network and weights stopping at another layer, so that two layers cost one copy of the weights;
     * empty when this encoder cannot give that layer.
     */
    default Optional<FeatureEncoder> atLayer(EncoderLayer layer) {
        return layer == layer() ? Optional.of(this) : Optional.empty();
    }

    /** One feature vector per image, in order. Implementations must be safe to call from several threads. */
    float[][] encode(List<BufferedImage> images);

    /** Which weights file it runs with, for the manifests of models trained behind it; null when unknown. */
    default ModelManifest.WeightsSource source() {
        return null;
    }

    /**
     * Gives back working memory sized for the largest batch seen (a training job's feature batches); the next
     * call allocates what it needs.
     */
    default void releaseWorkingMemory() {
    }

    default float[] encode(BufferedImage image) {
        return encode(List.of(image))[0];
    }
}
