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
     * @param source  which file (and checksum) the weights came from; absent in models made before it was recorded
     */
    public record Encoder(String architecture, String layer, String weights, EncoderProbe probe, WeightsSource source) {

        /** The encoder of every model this service trains: VGG16 cut after fc7. */
        public static Encoder vgg16Fc7(String weights, EncoderProbe probe, WeightsSource source) {
            return new Encoder("vgg16", "fc7", weights, probe, source);
        }

        public String id() {
            return architecture + "/" + weights;
        }
    }

    public record EncoderProbe(double l2Norm, int[] indices, float[] values) {
    }

    /**
     * Where an encoder's weights came from.
     *
     * @param format   {@code keras-h5}, {@code dl4j-zip} or {@code seeded-random}
     * @param file     the weight file's name (none for seeded random weights)
     * @param sha256   the file's SHA-256
     * @param checksum the checksum its source publishes and it was verified against, e.g. {@code md5:6437...}
     * @param origin   where it was installed from: a URL, {@code file:<path>}, or how random weights were made
     */
    public record WeightsSource(String format, String file, String sha256, String checksum, String origin) {

        public static WeightsSource seededRandom(long seed) {
            return new WeightsSource("seeded-random", null, null, null, "DL4J zoo VGG16 initialisation, seed " + seed);
        }

        /** Same bytes, whatever they were called or fetched from. */
        public boolean sameFileAs(WeightsSource other) {
            return other != null && sha256 != null && sha256.equalsIgnoreCase(other.sha256);
        }
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
