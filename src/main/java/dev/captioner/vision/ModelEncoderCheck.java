package dev.captioner.vision;

import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStoreException;

/**
 * Whether an encoder is the one a stored model was trained behind: the same id (architecture, layer, weights) and
 * the same features on the probe image. The service checks it on activation, the Spark jobs on every executor.
 */
public final class ModelEncoderCheck {

    private ModelEncoderCheck() {
    }

    /** The layer the model's manifest names. */
    public static EncoderLayer layerOf(String modelId, ModelManifest.Encoder wanted) {
        try {
            return EncoderLayer.fromManifest(wanted.layer());
        } catch (IllegalArgumentException e) {
            throw new ModelStoreException("model '" + modelId + "' cannot be served: " + e.getMessage());
        }
    }

    /** @throws ModelStoreException when the encoder differs from the one the model records */
    public static void requireMatch(String modelId, ModelManifest.Encoder wanted, FeatureEncoder encoder) {
        if (!encoder.id().equals(wanted.id())) {
            throw new ModelStoreException("model '" + modelId + "' needs encoder " + wanted.id() + ", got " + encoder.id());
        }
        if (wanted.probe() != null) {
            EncoderProbe.mismatch(encoder, wanted.probe()).ifPresent(problem -> {
                throw new ModelStoreException("model '" + modelId + "': the encoder " + encoder.id()
                        + " does not produce the features this model was trained on (" + problem + ")"
                        + sources(wanted.source(), encoder.source()));
            });
        }
    }

    /** Which files the two encoders' weights came from, when that is what differs. */
    private static String sources(ModelManifest.WeightsSource trainedBehind, ModelManifest.WeightsSource servedBehind) {
        if (trainedBehind == null || servedBehind == null || trainedBehind.sameFileAs(servedBehind)) {
            return "";
        }
        return "; it was trained behind " + trainedBehind.format() + " " + trainedBehind.file() + " ("
                + trainedBehind.checksum() + "), this service has " + servedBehind.format() + " " + servedBehind.file()
                + " (" + servedBehind.checksum() + "): install the file the model was trained behind";
    }
}
