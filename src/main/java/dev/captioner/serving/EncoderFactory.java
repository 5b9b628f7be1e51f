package dev.captioner.serving;

import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;

/** Builds the encoder a model needs; a seam so tests can serve models behind small fake encoders. */
@FunctionalInterface
public interface EncoderFactory {

    FeatureEncoder create(EncoderWeights weights);
}
