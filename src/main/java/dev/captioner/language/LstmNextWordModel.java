package dev.captioner.language;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The LSTM decoder for one image, exposed as a batched next-word model (one row per beam or sample). */
public final class LstmNextWordModel implements NextWordModel {

    private final LstmDecoder decoder;
    private final INDArray imageGates;

    public LstmNextWordModel(LstmDecoder decoder, float[] features) {
        this.decoder = decoder;
        this.imageGates = decoder.imageGates(Nd4j.create(features, new long[] {1, features.length}));
    }

    private record LstmState(INDArray hidden, INDArray cell) implements State {
        @Override
        public State select(int[] rows) {
            return new LstmState(Nd4j.pullRows(hidden, 1, rows), Nd4j.pullRows(cell, 1, rows));
        }
    }

    @Override
    public State initialState(int rows) {
        return new LstmState(decoder.zeroState(rows), decoder.zeroState(rows));
    }

    @Override
    public Step step(State state, int[] lastWords) {
        LstmState s = (LstmState) state;
        LstmDecoder.Step step = decoder.step(lastWords, s.hidden(), s.cell(), imageGates);
        return new Step(new LstmState(step.hidden(), step.cell()), logSoftmax(step.logits().toDoubleMatrix()));
    }

    static double[][] logSoftmax(double[][] logits) {
        for (double[] row : logits) {
            double max = Double.NEGATIVE_INFINITY;
            for (double value : row) {
                max = Math.max(max, value);
            }
            double sum = 0;
            for (double value : row) {
                sum += Math.exp(value - max);
            }
            double logSum = max + Math.log(sum);
            for (int i = 0; i < row.length; i++) {
                row[i] -= logSum;
            }
        }
        return logits;
    }
}
