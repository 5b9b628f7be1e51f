package dev.captioner.serving;

import dev.captioner.store.CaptionModel;
import dev.captioner.vision.FeatureEncoder;

/** A decoder together with the encoder it was trained behind; swapped as one unit. */
public record ActiveModel(CaptionModel model, FeatureEncoder encoder) {
}
