package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Signals walked through {@link CaptionGeneratorTest}'s hand-built Markov model, against values worked out by hand. */
class CaptionSignalsTest {

    private static final int A = 4;
    private static final int B = 5;

    private static double entropy(double... probabilities) {
        double entropy = 0;
        for (double p : probabilities) {
            entropy -= p * Math.log(p);
        }
        return entropy;
    }

    @Test
    void aCaptionIsScoredOnEveryWordAndOnEnd() {
        // START -> a (0.6 of {0.6, 0.4}), a -> b (0.35 of {0.3, 0.35, 0.35}), b -> END (0.95 of {0.95, 0.05})
        CaptionSignals signals = CaptionSignals.walk(new MarkovWordModel(CaptionGeneratorTest.NEXT),
                List.of(new int[] {A, B})).get(0);

        assertThat(signals.length()).isEqualTo(2);
        assertThat(signals.meanLogProbability())
                .isCloseTo((Math.log(0.6) + Math.log(0.35) + Math.log(0.95)) / 3, within(1e-12));
        assertThat(signals.minLogProbability()).isCloseTo(Math.log(0.35), within(1e-12));
        assertThat(signals.meanEntropy()).isCloseTo(
                (entropy(0.6, 0.4) + entropy(0.3, 0.35, 0.35) + entropy(0.95, 0.05)) / 3, within(1e-12));
    }

    @Test
    void captionsOfDifferentLengthsWalkedTogetherScoreAsEachAlone() {
        MarkovWordModel model = new MarkovWordModel(CaptionGeneratorTest.NEXT);
        List<CaptionSignals> together = CaptionSignals.walk(model, List.of(new int[] {A, B}, new int[] {B}));

        assertThat(model.batchSizes).containsExactly(2, 2, 2);
        assertThat(together.get(0)).isEqualTo(CaptionSignals.walk(new MarkovWordModel(CaptionGeneratorTest.NEXT),
                List.of(new int[] {A, B})).get(0));
        CaptionSignals shorter = together.get(1);
        assertThat(shorter.length()).isEqualTo(1);
        assertThat(shorter.meanLogProbability()).isCloseTo((Math.log(0.4) + Math.log(0.95)) / 2, within(1e-12));
        assertThat(shorter.minLogProbability()).isCloseTo(Math.log(0.4), within(1e-12));
        assertThat(shorter.meanEntropy()).isCloseTo((entropy(0.6, 0.4) + entropy(0.95, 0.05)) / 2, within(1e-12));
    }

    @Test
    void signalsArePickedByName() {
        CaptionSignals signals = new CaptionSignals(-0.5, 3, 1.25, -2.0);

        assertThat(signals.values(List.of("length", "meanLogProbability"))).containsExactly(3, -0.5);
        assertThat(signals.values(CaptionSignals.NAMES)).containsExactly(signals.values());
        assertThatThrownBy(() -> signals.values(List.of("perplexity")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perplexity");
    }

    @Test
    void noCaptionsNeedNoStep() {
        MarkovWordModel model = new MarkovWordModel(CaptionGeneratorTest.NEXT);
        assertThat(CaptionSignals.walk(model, List.of())).isEmpty();
        assertThat(model.batchSizes).isEmpty();
    }
}
