package dev.captioner.language;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The attention decoder for one image as a batched next-word model; every step also says where each row looked. */
final class AttentionNextWordModel implements NextWordModel {

    private final AttentionDecoder.Prepared image;

    AttentionNextWordModel(AttentionDecoder decoder, float[] grid) {
        this.image = decoder.prepare(grid);
    }

    private record AttentionState(INDArray hidden, INDArray cell) implements State {
        @Override
        public State select(int[] rows) {
            return new AttentionState(Nd4j.pullRows(hidden, 1, rows), Nd4j.pullRows(cell, 1, rows));
        }
    }

    @Override
    public State initialState(int rows) {
        INDArray[] state = image.initialState(rows);
        return new AttentionState(state[0], state[1]);
    }

    @Override
    public Step step(State state, int[] lastWords) {
        AttentionState s = (AttentionState) state;
        AttentionDecoder.Step step = image.step(lastWords, s.hidden(), s.cell());
        return new Step(new AttentionState(step.hidden(), step.cell()),
                LstmNextWordModel.logSoftmax(step.logits().toDoubleMatrix()), step.attention().toFloatMatrix());
    }
}
