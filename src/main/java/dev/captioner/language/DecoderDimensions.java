package dev.captioner.language;

/** Sizes of the decoder: vocabulary V, word embedding E, LSTM hidden H, image feature D. */
public record DecoderDimensions(int vocabularySize, int embeddingSize, int hiddenSize, int featureSize) {

    public DecoderDimensions {
        if (vocabularySize < 5 || embeddingSize < 1 || hiddenSize < 1 || featureSize < 1) {
            throw new IllegalArgumentException("bad decoder dimensions: " + this);
        }
    }
}
