package dev.captioner.language;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained word generator behind an image encoder: the fc7 LSTM ({@link LstmDecoder}) or the LSTM with soft
 * attention over a grid ({@link AttentionDecoder}). Training, the model store, checkpoints and captioning work
 * through this, so each handles both kinds.
 */
public sealed interface CaptionDecoder permits LstmDecoder, AttentionDecoder {

    String LSTM = "lstm";
    String ATTENTION = "attention";

    /** Rebuilds a stored decoder of either kind, told apart by its parameters. */
    static CaptionDecoder fromParameters(Map<String, INDArray> stored) {
        return stored.containsKey(AttentionDecoder.ATTENTION_VECTOR)
                ? AttentionDecoder.fromParameters(stored)
                : LstmDecoder.fromParameters(stored);
    }

    /** {@link #LSTM} or {@link #ATTENTION}, as model manifests name it. */
    String kind();

    int vocabularySize();

    int embeddingSize();

    int hiddenSize();

    /** Floats of one image's features: 4096 for fc7, rows x columns x channels for a grid. */
    int featureSize();

    /** The grid attended over, or null for a decoder that sees one vector per image. */
    GridShape grid();

    /** The live parameter arrays (the trainer updates them in place). */
    Map<String, INDArray> parameters();

    /** Names of the trained arrays, in a fixed order. */
    List<String> trainable();

    /** The weight matrices among them: weight decay applies to these, not to biases or embeddings. */
    List<String> weightMatrices();

    DataType dataType();

    CaptionDecoder copy();

    /** The decoder for one image's features, as a batched next-word model for beam search, greedy and sampling. */
    NextWordModel nextWordModel(float[] features);

    /** Mean cross-entropy per predicted token, without dropout or gradients (validation loss). */
    double loss(INDArray features, int[][] sequences);

    /**
     * Teacher forcing over a batch of features (one row per sequence) and sequences START w1 .. wn END.
     *
     * @param attentionRegularization lambda of the doubly stochastic attention term; ignored without attention
     */
    DecoderGradients lossAndGradients(INDArray features, int[][] sequences, double dropout,
                                      double attentionRegularization, Random random);
}
