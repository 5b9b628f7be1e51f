package dev.captioner.store;

import dev.captioner.language.Captioner;
import dev.captioner.language.LstmDecoder;
import dev.captioner.language.Vocabulary;

/** A trained decoder with its vocabulary and manifest: everything needed to caption behind its encoder. */
public record CaptionModel(ModelManifest manifest, Vocabulary vocabulary, LstmDecoder decoder) {

    public String id() {
        return manifest.id();
    }

    /** Captions from features, with this model's decoder and vocabulary. */
    public Captioner captioner() {
        return new Captioner(decoder, vocabulary);
    }
}
