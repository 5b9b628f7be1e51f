package dev.captioner.language;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of captions laid out for teacher forcing: each sequence is START w1 .. wn END; at step t the decoder
 * reads token t and is scored on token t+1. Rows are step-major (row t*batch + b), padded positions are masked
 * out of the loss, which is the mean cross-entropy over real tokens.
 */
final class TeacherForcing {

    final int batch;
    final int steps;
    /** The word read at each row (PAD where the sequence has ended). */
    final int[] inputs;
    final int[] targets;
    /** 1 where the row is a real token, 0 on padding. */
    final boolean[] real;
    final int tokens;

    TeacherForcing(int[][] sequences) {
        batch = sequences.length;
        int longest = 0;
        for (int[] s : sequences) {
            longest = Math.max(longest, s.length - 1);
        }
        steps = longest;
        inputs = new int[steps * batch];
        targets = new int[steps * batch];
        real = new boolean[steps * batch];
        int count = 0;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                boolean isReal = t + 1 < sequences[b].length;
                inputs[t * batch + b] = isReal ? sequences[b][t] : Vocabulary.PAD_ID;
                targets[t * batch + b] = isReal ? sequences[b][t + 1] : Vocabulary.PAD_ID;
                real[t * batch + b] = isReal;
                count += isReal ? 1 : 0;
            }
        }
        tokens = count;
    }

    /** Step t's mask as a column [batch, 1]: 1 for sequences still running, 0 for those already ended. */
    INDArray stepMask(int t, DataType type) {
        double[] mask = new double[batch];
        for (int b = 0; b < batch; b++) {
            mask[b] = real[t * batch + b] ? 1 : 0;
        }
        return Nd4j.create(mask, new long[] {batch, 1}, DataType.DOUBLE).castTo(type);
    }

    /**
     * Turns scores [steps*batch, V] into probabilities in place and returns the mean cross-entropy per real token.
     */
    double softmaxCrossEntropy(INDArray scores) {
        Nd4j.exec((CustomOp) new SoftMax(scores, scores, 1));  // in place: one fused pass over steps*batch x V
        double loss = 0;
        for (int row = 0; row < targets.length; row++) {
            if (real[row]) {
                loss -= Math.log(Math.max(scores.getDouble(row, targets[row]), Double.MIN_NORMAL));
            }
        }
        return tokens == 0 ? 0 : loss / tokens;
    }

    /** Turns the probabilities into d(mean cross-entropy)/d(scores) = (p - onehot) * real / tokens, in place. */
    INDArray scoreGradient(INDArray probabilities) {
        double[] rowWeight = new double[targets.length];
        for (int row = 0; row < targets.length; row++) {
            if (real[row]) {
                probabilities.putScalar(row, targets[row], probabilities.getDouble(row, targets[row]) - 1);
                rowWeight[row] = 1.0 / tokens;
            }
        }
        return probabilities.muliColumnVector(Nd4j.create(rowWeight, new long[] {rowWeight.length, 1}, DataType.DOUBLE)
                .castTo(probabilities.dataType()));
    }
}
