package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Generation on a hand-built first-order Markov model whose probabilities are known exactly.
 * Words: 4 = "a", 5 = "b", 6 = "c".
 */
class CaptionGeneratorTest {

    private static final int A = 4;
    private static final int B = 5;
    private static final int C = 6;
    private static final int VOCABULARY = 7;

    /** next[previous] = probabilities over the 7 ids. */
    static final double[][] NEXT = new double[VOCABULARY][VOCABULARY];

    static {
        // START -> a 0.6, b 0.4: greedy takes "a"
        NEXT[Vocabulary.START_ID][A] = 0.6;
        NEXT[Vocabulary.START_ID][B] = 0.4;
        // a is a dead end: a -> END 0.3, a -> c 0.35, a -> b 0.35   (best path via a: 0.6 * 0.35 ...)
        NEXT[A][Vocabulary.END_ID] = 0.3;
        NEXT[A][C] = 0.35;
        NEXT[A][B] = 0.35;
        // b ends confidently: b -> END 0.95
        NEXT[B][Vocabulary.END_ID] = 0.95;
        NEXT[B][C] = 0.05;
        NEXT[C][Vocabulary.END_ID] = 1.0;
    }

    @Test
    void greedyTakesTheLocallyBestWord() {
        GeneratedCaption greedy = CaptionGenerator.greedy(new MarkovWordModel(NEXT), 10);
        // START a (0.6) then c (0.35, tie with b broken by lower id? b=5 < c=6: first max wins) -> a b END
        assertThat(greedy.words()).containsExactly(A, B);
        assertThat(greedy.logProbability()).isCloseTo(Math.log(0.6 * 0.35 * 0.95), within(1e-12));
    }

    @Test
    void beamSearchFindsTheSequenceGreedyMisses() {
        MarkovWordModel model = new MarkovWordModel(NEXT);
        List<GeneratedCaption> best = CaptionGenerator.beamSearch(model, 2, 2, 10);
        // "b" = 0.4 * 0.95 = 0.38 beats "a c" = 0.21, greedy's "a b" = 0.1995 and "a" = 0.18
        assertThat(best.get(0).words()).containsExactly(B);
        assertThat(best.get(0).probability()).isCloseTo(0.38, within(1e-12));
        assertThat(best.get(0).complete()).isTrue();
        assertThat(best.get(1).words()).containsExactly(A, C);
        assertThat(best.get(1).probability()).isCloseTo(0.6 * 0.35, within(1e-12));
        assertThat(model.batchSizes).as("both beams go through the model as one batch").contains(2);
    }

    @Test
    void beamOfOneIsGreedy() {
        GeneratedCaption beam = CaptionGenerator.beamSearch(new MarkovWordModel(NEXT), 1, 1, 10).get(0);
        assertThat(beam.words()).containsExactly(A, B);
    }

    @Test
    void lengthLimitStopsGenerationAndMarksItIncomplete() {
        GeneratedCaption cut = CaptionGenerator.greedy(new MarkovWordModel(NEXT), 1);
        assertThat(cut.words()).containsExactly(A);
        assertThat(cut.complete()).isFalse();
        List<GeneratedCaption> beams = CaptionGenerator.beamSearch(new MarkovWordModel(NEXT), 3, 3, 1);
        assertThat(beams).allSatisfy(c -> assertThat(c.words().length).isLessThanOrEqualTo(1));
    }

    @Test
    void samplingIsReproducibleWithASeedAndFollowsTheModel() {
        List<GeneratedCaption> first = CaptionGenerator.sample(new MarkovWordModel(NEXT), 2000, 1.0, 10, new Random(42));
        List<GeneratedCaption> again = CaptionGenerator.sample(new MarkovWordModel(NEXT), 2000, 1.0, 10, new Random(42));
        List<GeneratedCaption> other = CaptionGenerator.sample(new MarkovWordModel(NEXT), 2000, 1.0, 10, new Random(43));
        assertThat(first).usingRecursiveFieldByFieldElementComparator().isEqualTo(again);
        assertThat(first).usingRecursiveFieldByFieldElementComparator().isNotEqualTo(other);
        long startsWithA = first.stream().filter(c -> c.words().length > 0 && c.words()[0] == A).count();
        assertThat(startsWithA / 2000.0).isCloseTo(0.6, within(0.04));
        GeneratedCaption one = first.get(0);
        double expected = 0;
        int previous = Vocabulary.START_ID;
        for (int word : one.words()) {
            expected += Math.log(NEXT[previous][word]);
            previous = word;
        }
        expected += Math.log(NEXT[previous][Vocabulary.END_ID]);
        assertThat(one.logProbability()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void lowTemperatureConcentratesOnTheMostLikelyWord() {
        List<GeneratedCaption> cold = CaptionGenerator.sample(new MarkovWordModel(NEXT), 500, 0.05, 10, new Random(1));
        assertThat(cold).allSatisfy(c -> assertThat(c.words()[0]).isEqualTo(A));
        List<GeneratedCaption> hot = CaptionGenerator.sample(new MarkovWordModel(NEXT), 500, 5.0, 10, new Random(1));
        long startsWithB = hot.stream().filter(c -> c.words()[0] == B).count();
        assertThat(startsWithB / 500.0).isGreaterThan(0.4);
    }
}
