package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Each option changes what beam search, greedy decoding or sampling returns, on hand-built first-order Markov models
 * whose caption probabilities are known exactly.
 */
class LengthPenaltyAndTrigramGuardTest {

    private static final int A = 4;
    private static final int B = 5;
    private static final int C = 6;
    private static final int D = 7;
    private static final int VOCABULARY = 8;

    /**
     * A short caption against a longer one of surer steps: "a" = 0.5 * 0.6 = 0.3 over 2 steps (a, END), "b c d" =
     * 0.5 * 0.8 * 0.8 * 0.8 = 0.256 over 4; "a c d" = 0.128 over 4.
     */
    private static final double[][] SHORT_OR_LONG = new double[VOCABULARY][VOCABULARY];
    /** A loop: "a b a b ..." is the likeliest way on, and "c" the way out of it. */
    private static final double[][] LOOP = new double[VOCABULARY][VOCABULARY];

    static {
        SHORT_OR_LONG[Vocabulary.START_ID][A] = 0.5;
        SHORT_OR_LONG[Vocabulary.START_ID][B] = 0.5;
        SHORT_OR_LONG[A][Vocabulary.END_ID] = 0.6;
        SHORT_OR_LONG[A][C] = 0.4;
        SHORT_OR_LONG[B][C] = 0.8;
        SHORT_OR_LONG[B][Vocabulary.END_ID] = 0.2;
        SHORT_OR_LONG[C][D] = 0.8;
        SHORT_OR_LONG[C][Vocabulary.END_ID] = 0.2;
        SHORT_OR_LONG[D][Vocabulary.END_ID] = 0.8;
        SHORT_OR_LONG[D][A] = 0.2;

        LOOP[Vocabulary.START_ID][A] = 1.0;
        LOOP[A][B] = 0.9;
        LOOP[A][Vocabulary.END_ID] = 0.1;
        LOOP[B][A] = 0.9;
        LOOP[B][C] = 0.06;
        LOOP[B][Vocabulary.END_ID] = 0.04;
        LOOP[C][Vocabulary.END_ID] = 1.0;
    }

    private static List<GeneratedCaption> beam(double[][] next, int n, LengthPenalty penalty, boolean guard) {
        return CaptionGenerator.beamSearch(new MarkovWordModel(next), 2, n, 8, new Decoding(0, penalty, guard));
    }

    private static List<List<Integer>> words(List<GeneratedCaption> captions) {
        return captions.stream().map(c -> java.util.Arrays.stream(c.words()).boxed().toList()).toList();
    }

    @Test
    void withoutAPenaltyTheShortCaptionWins() {
        assertThat(words(beam(SHORT_OR_LONG, 2, LengthPenalty.NONE, false)))
                .containsExactly(List.of(A), List.of(B, C, D));
    }

    @Test
    void theAveragePenaltyPrefersSurerStepsAndKeepsRawLogProbabilities() {
        List<GeneratedCaption> captions = beam(SHORT_OR_LONG, 2, LengthPenalty.AVERAGE, false);
        // per step: "b c d" ln(0.256)/4 = -0.34, "a c d" ln(0.128)/4 = -0.51, "a" ln(0.3)/2 = -0.60
        assertThat(words(captions)).containsExactly(List.of(B, C, D), List.of(A, C, D));
        assertThat(captions.get(0).logProbability()).isCloseTo(Math.log(0.256), within(1e-12));
        assertThat(captions.get(1).logProbability()).isCloseTo(Math.log(0.128), within(1e-12));
    }

    @Test
    void gnmtsAlphaDecidesBetweenShortAndLong() {
        // ln(0.3) / (7/6)^alpha against ln(0.256) / (9/6)^alpha: "a" wins at alpha 0 and 0.2, "b c d" at 0.6
        assertThat(beam(SHORT_OR_LONG, 1, LengthPenalty.gnmt(0), false).get(0).words()).containsExactly(A);
        assertThat(beam(SHORT_OR_LONG, 1, LengthPenalty.gnmt(0.2), false).get(0).words()).containsExactly(A);
        GeneratedCaption long06 = beam(SHORT_OR_LONG, 1, LengthPenalty.gnmt(0.6), false).get(0);
        assertThat(long06.words()).containsExactly(B, C, D);
        assertThat(long06.logProbability()).isCloseTo(Math.log(0.256), within(1e-12));
    }

    @Test
    void gnmtAtAlphaZeroIsNoPenalty() {
        assertThat(beam(SHORT_OR_LONG, 2, LengthPenalty.gnmt(0), false))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(beam(SHORT_OR_LONG, 2, LengthPenalty.NONE, false));
    }

    @Test
    void alphaOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> LengthPenalty.gnmt(2.5)).isInstanceOf(InvalidCaptionOptionsException.class)
                .hasMessageContaining("lengthPenaltyAlpha");
        assertThatThrownBy(() -> LengthPenalty.gnmt(-0.1)).isInstanceOf(InvalidCaptionOptionsException.class);
        assertThatThrownBy(() -> LengthPenalty.gnmt(Double.NaN)).isInstanceOf(InvalidCaptionOptionsException.class);
    }

    private static boolean repeatsATrigram(int[] words) {
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i + 2 < words.length; i++) {
            if (!seen.add(List.of(words[i], words[i + 1], words[i + 2]))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theGuardTurnsGreedyOutOfItsLoop() {
        GeneratedCaption loop = CaptionGenerator.greedy(new MarkovWordModel(LOOP), 8);
        assertThat(loop.words()).containsExactly(A, B, A, B, A, B, A, B);
        GeneratedCaption guarded = CaptionGenerator.greedy(new MarkovWordModel(LOOP), 8, new Decoding(1, LengthPenalty.NONE, true));
        // after "a b a b", "a" would repeat "a b a": c (0.06) beats END (0.04)
        assertThat(guarded.words()).containsExactly(A, B, A, B, C);
        assertThat(guarded.complete()).isTrue();
        assertThat(guarded.logProbability()).isCloseTo(Math.log(0.9 * 0.9 * 0.9 * 0.06), within(1e-12));
        // the alternatives are what the model weighed, the blocked word among them
        assertThat(guarded.alternatives()[4]).extracting(WordChoice::word).containsExactly(A);
    }

    @Test
    void theGuardKeepsBeamHypothesesFromRepeatingTrigrams() {
        // without it the loop, cut at maxLength (0.9^7 = 0.48 so far), beats every finished caption
        List<GeneratedCaption> plain = CaptionGenerator.beamSearch(new MarkovWordModel(LOOP), 3, 3, 8);
        assertThat(words(plain)).containsExactly(List.of(A, B, A, B, A, B, A, B), List.of(A), List.of(A, B, A));
        assertThat(plain.get(0).complete()).isFalse();
        List<GeneratedCaption> guarded = CaptionGenerator.beamSearch(new MarkovWordModel(LOOP), 3, 3, 8,
                new Decoding(0, LengthPenalty.NONE, true));
        // with it "a b a b" cannot go on to "a": "a" (0.1), "a b a" (0.081), "a b c" (0.054) beat "a b a b c" (0.044)
        assertThat(words(guarded)).containsExactly(List.of(A), List.of(A, B, A), List.of(A, B, C));
        assertThat(guarded).noneSatisfy(c -> assertThat(repeatsATrigram(c.words())).isTrue());
    }

    @Test
    void theGuardKeepsSamplesFromRepeatingTrigrams() {
        List<GeneratedCaption> plain = CaptionGenerator.sample(new MarkovWordModel(LOOP), 300, 1.0, 12, new Random(8));
        assertThat(plain).anySatisfy(c -> assertThat(repeatsATrigram(c.words())).isTrue());
        List<GeneratedCaption> guarded = CaptionGenerator.sample(new MarkovWordModel(LOOP), 300, 1.0, 12, new Random(8),
                new Decoding(0, LengthPenalty.NONE, true));
        assertThat(guarded).noneSatisfy(c -> assertThat(repeatsATrigram(c.words())).isTrue());
        // their log-probabilities stay the model's own
        for (GeneratedCaption caption : guarded) {
            double expected = 0;
            int previous = Vocabulary.START_ID;
            for (int word : caption.words()) {
                expected += Math.log(LOOP[previous][word]);
                previous = word;
            }
            if (caption.complete()) {
                expected += Math.log(LOOP[previous][Vocabulary.END_ID]);
            }
            assertThat(caption.logProbability()).isCloseTo(expected, within(1e-12));
        }
    }
}
