package dev.captioner.store;

import dev.captioner.language.Captioner;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.Vocabulary;

/** A trained decoder with its vocabulary and manifest: everything needed to caption behind its encoder. */
public record CaptionModel(ModelManifest manifest, Vocabulary vocabulary, CaptionDecoder decoder) {

    /** Whether captions come with attention maps (the decoder attends over a grid). */
    public boolean hasAttention() {
        return decoder.grid() != null;
    }

    public String id() {
        return manifest.id();
    }

    /** Captions from features, with this model's decoder and vocabulary. */
    public Captioner captioner() {
        return new Captioner(decoder, vocabulary);
    }
}
