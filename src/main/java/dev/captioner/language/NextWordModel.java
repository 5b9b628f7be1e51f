package dev.captioner.language;

/**
 * A model that, for a batch of partial captions (rows), gives the log-probabilities of each row's next
 * word. Beam search, greedy decoding and sampling are written against this so that they can be tested on
 * hand-built models with known probabilities.
 */
public interface NextWordModel {

    /** Opaque per-row decoder state. */
    interface State {
        /** A state whose row r is row {@code rows[r]} of this one (beams being kept, dropped or copied). */
        State select(int[] rows);
    }

    State initialState(int rows);

    /** Advances every row by the given last word; {@code logProbabilities[row][word]}. */
    Step step(State state, int[] lastWords);

    /**
     * @param attention {@code attention[row][position]}: where each row looked to choose its next word (weights
     *                  over the grid, summing to 1); null for a model without attention
     */
    record Step(State state, double[][] logProbabilities, float[][] attention) {

        public Step(State state, double[][] logProbabilities) {
            this(state, logProbabilities, null);
        }
    }
}
