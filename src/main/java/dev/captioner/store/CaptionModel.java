package dev.captioner.store;

import dev.captioner.language.LstmDecoder;
import dev.captioner.language.Vocabulary;

/** A trained decoder with its vocabulary and manifest: everything needed to caption behind its encoder. */
public record CaptionModel(ModelManifest manifest, Vocabulary vocabulary, LstmDecoder decoder) {

    public String id() {
        return manifest.id();
    }
}
