package dev.captioner.language;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-position part of soft attention for a batch of rows, each row looking at one image's grid: scores
 * {@code e_ri = w · tanh(P_i + q_r)} with P = W_a a + b_a (fixed per image) and q_r = W_h h_r, the attended
 * context {@code sum_i alpha_ri a_i}, and their gradients. This is where the decoder's time goes (rows x L x A
 * activations at every step), so it has two implementations: {@link Nd4jAttentionGrid}, libnd4j operations in
 * any precision (the reference the gradient test checks), and {@link FusedAttentionGrid}, float32 Java loops that
 * make one pass over the activations where libnd4j makes six.
 */
interface AttentionGrid {

    /** @param hiddenTerm q: [rows, A]; @return the scores e: [rows, L], before the softmax */
    INDArray scores(INDArray hiddenTerm);

    /** @param alpha [rows, L]; @return sum_i alpha_ri a_i: [rows, C] */
    INDArray context(INDArray alpha);

    /** @param dContext [rows, C]; @return d/d(alpha): [rows, L] */
    INDArray alphaGradient(INDArray dContext);

    /**
     * Backpropagates d/d(scores) through the tanh, accumulating the gradients of P and w inside.
     *
     * @param hiddenTerm the q of the step, as given to {@link #scores}
     * @param dScores    [rows, L]
     * @return d/dq: [rows, A]
     */
    INDArray scoreBackward(INDArray hiddenTerm, INDArray dScores);

    /** The accumulated d/dP: [images*L, A]. */
    INDArray projectedGradient();

    /** The accumulated d/dw: [A, 1]. */
    INDArray vectorGradient();
}
