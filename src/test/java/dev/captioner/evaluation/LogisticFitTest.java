package dev.captioner.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LogisticFitTest {

    /** Inputs of other scales and offsets, outcomes drawn from a known model on their standardised values. */
    private record Synthetic(double[][] x, boolean[] yes) {

        static Synthetic draw(int n, double bias, double[] weights, long seed) {
            Random random = new Random(seed);
            double[] means = {2, -1, 10};
            double[] deviations = {3, 0.5, 0.01};
            double[][] x = new double[n][weights.length];
            boolean[] yes = new boolean[n];
            for (int i = 0; i < n; i++) {
                double logit = bias;
                for (int k = 0; k < weights.length; k++) {
                    double z = random.nextGaussian();
                    x[i][k] = means[k] + deviations[k] * z;
                    logit += weights[k] * z;
                }
                yes[i] = random.nextDouble() < LogisticFit.sigmoid(logit);
            }
            return new Synthetic(x, yes);
        }
    }

    @Test
    void recoversTheWeightsTheOutcomesWereDrawnWith() {
        double[] weights = {1.5, -2.0, 0.0};
        Synthetic data = Synthetic.draw(40_000, 0.5, weights, 3);

        LogisticFit fit = LogisticFit.fit(data.x(), data.yes(), 1e-3);

        assertThat(fit.bias()).isCloseTo(0.5, within(0.05));
        for (int k = 0; k < weights.length; k++) {
            assertThat(fit.weights()[k]).as("weight %d", k).isCloseTo(weights[k], within(0.06));
        }
        assertThat(fit.means()[0]).isCloseTo(2, within(0.05));
        assertThat(fit.standardDeviations()[2]).isCloseTo(0.01, within(0.001));
        // the mean input with every z at 0 gives the bias's probability
        assertThat(fit.probability(fit.means())).isCloseTo(LogisticFit.sigmoid(fit.bias()), within(1e-12));
    }

    @Test
    void theSameDataGiveTheSameFitToTheBit() {
        Synthetic data = Synthetic.draw(2_000, -0.3, new double[] {0.8, 0.4, -1.0}, 11);

        LogisticFit first = LogisticFit.fit(data.x(), data.yes(), 1.0);
        LogisticFit second = LogisticFit.fit(data.x(), data.yes(), 1.0);

        assertThat(second.weights()).containsExactly(first.weights());
        assertThat(second.bias()).isEqualTo(first.bias());
    }

    @Test
    void thePenaltyKeepsSeparableDataFinite() {
        double[][] x = {{0}, {1}, {2}, {3}};
        boolean[] yes = {false, false, true, true};

        LogisticFit fit = LogisticFit.fit(x, yes, 1.0);

        assertThat(fit.weights()[0]).isPositive().isFinite();
        assertThat(fit.probability(new double[] {3})).isGreaterThan(0.5);
        assertThat(fit.probability(new double[] {0})).isLessThan(0.5);
    }

    @Test
    void oneOutcomeOnlyCannotBeFitted() {
        assertThatThrownBy(() -> LogisticFit.fit(new double[][] {{1}, {2}}, new boolean[] {true, true}, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same outcome");
    }

    @Test
    void aConstantInputGetsNoWeight() {
        double[][] x = {{5, 0}, {5, 1}, {5, 2}, {5, 3}, {5, 1.5}};
        boolean[] yes = {false, false, true, true, false};

        LogisticFit fit = LogisticFit.fit(x, yes, 1.0);

        assertThat(fit.weights()[0]).isZero();
        assertThat(fit.standardDeviations()[0]).isEqualTo(1);
    }
}
