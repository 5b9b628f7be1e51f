package dev.captioner.store;

import java.time.Instant;
import java.util.Map;

import dev.captioner.language.DecoderDimensions;

/**
 * What a stored model is: written as {@code manifest.json} beside the model's files, and checked on load.
 *
 * @param files SHA-256 (hex) of every other file in the model's folder
 */
public record ModelManifest(
        String id,
        Instant created,
        String description,
        Encoder encoder,
        Decoder decoder,
        Map<String, Object> hyperParameters,
        Map<String, Object> metrics,
        Map<String, String> files) {

    /**
     * @param weights the weights choice, {@code imagenet} or {@code random:<seed>}
     * @param probe   fc7 features of a fixed probe image, to detect serving behind different weights
     */
    public record Encoder(String architecture, String layer, String weights, EncoderProbe probe) {

        /** The encoder of every model this service trains: VGG16 cut after fc7. */
        public static Encoder vgg16Fc7(String weights, EncoderProbe probe) {
            return new Encoder("vgg16", "fc7", weights, probe);
        }

        public String id() {
            return architecture + "/" + weights;
        }
    }

    public record EncoderProbe(double l2Norm, int[] indices, float[] values) {
    }

    public record Decoder(String type, int vocabularySize, int embeddingSize, int hiddenSize, int featureSize,
                          int maxLength) {

        public static Decoder lstm(DecoderDimensions dims, int maxLength) {
            return new Decoder("lstm", dims.vocabularySize(), dims.embeddingSize(), dims.hiddenSize(),
                    dims.featureSize(), maxLength);
        }
    }

    public ModelManifest withFiles(Map<String, String> checksums) {
        return new ModelManifest(id, created, description, encoder, decoder, hyperParameters, metrics, checksums);
    }
}
