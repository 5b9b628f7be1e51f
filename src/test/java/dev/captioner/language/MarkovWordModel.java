package dev.captioner.language;

import java.util.ArrayList;
import java.util.List;

/**
 * A next-word model from a table of probabilities, {@code next[previous word][word]}, so that what generation
 * should give can be worked out by hand. It records how many rows each step carries, to check that beams are batched.
 */
final class MarkovWordModel implements NextWordModel {

    final List<Integer> batchSizes = new ArrayList<>();
    private final double[][] next;

    MarkovWordModel(double[][] next) {
        this.next = next;
    }

    record Rows(int count) implements State {
        @Override
        public State select(int[] rows) {
            return new Rows(rows.length);
        }
    }

    @Override
    public State initialState(int rows) {
        return new Rows(rows);
    }

    @Override
    public Step step(State state, int[] lastWords) {
        batchSizes.add(lastWords.length);
        // [rows][vocabulary] natural-log probabilities; a probability of 0 is -infinity
        double[][] logProbs = new double[lastWords.length][];
        for (int row = 0; row < lastWords.length; row++) {
            double[] probabilities = next[lastWords[row]];
            logProbs[row] = new double[probabilities.length];
            for (int w = 0; w < probabilities.length; w++) {
                logProbs[row][w] = Math.log(probabilities[w]);
            }
        }
        return new Step(new Rows(lastWords.length), logProbs);
    }
}
