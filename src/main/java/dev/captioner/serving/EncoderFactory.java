package dev.captioner.serving;

import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;

/** Builds the encoder a model needs; a seam so tests can serve models behind small fake encoders. */
@FunctionalInterface
public interface EncoderFactory {

    /** A new network with these weights, giving the features of that layer. */
    FeatureEncoder create(EncoderWeights weights, EncoderLayer layer);
}
