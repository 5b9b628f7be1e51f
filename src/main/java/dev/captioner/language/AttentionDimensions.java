package dev.captioner.language;

/**
 * Sizes of the attention decoder: vocabulary V, word embedding E, LSTM hidden H, grid positions L (rows x
 * columns) of C channels each, attention space A.
 */
public record AttentionDimensions(int vocabularySize, int embeddingSize, int hiddenSize, int gridRows, int gridColumns,
                                  int channels, int attentionSize) {

    public AttentionDimensions {
        if (vocabularySize < 5 || embeddingSize < 1 || hiddenSize < 1 || gridRows < 1 || gridColumns < 1
                || channels < 1 || attentionSize < 1) {
            throw new IllegalArgumentException("bad attention decoder dimensions: " + this);
        }
    }

    /** L: the positions attended over. */
    public int positions() {
        return gridRows * gridColumns;
    }

    /** Floats of one image's grid, L x C, position-major (the encoder's channels-last layout). */
    public int featureSize() {
        return positions() * channels;
    }
}
