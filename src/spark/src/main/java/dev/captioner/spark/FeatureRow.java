package dev.captioner.spark;

import java.io.Serializable;

/**
 * One image's outcome in the {@code features} job.
 *
 * @param features the vector when the job writes Parquet, else null
 * @param reused   found in the cache, not encoded by this run
 */
record FeatureRow(ImageRef image, float[] features, boolean reused, String skipKind, String skipReason)
        implements Serializable {

    static FeatureRow reused(ImageRef image, float[] features) {
        return new FeatureRow(image, features, true, null, null);
    }

    static FeatureRow of(Encoded encoded, boolean keepVectors) {
        return new FeatureRow(encoded.image(), keepVectors ? encoded.features() : null, false, encoded.skipKind(),
                encoded.skipReason());
    }

    FeatureRow withoutFeatures() {
        return new FeatureRow(image, null, reused, skipKind, skipReason);
    }

    /** As Spark's rows take an array column. */
    Float[] boxedFeatures() {
        Float[] boxed = new Float[features.length];
        for (int i = 0; i < features.length; i++) {
            boxed[i] = features[i];
        }
        return boxed;
    }
}
