package dev.captioner.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpearmanTest {

    @Test
    void tiesShareTheirMeanRank() {
        assertThat(Spearman.ranks(new double[] {3, 1, 2, 2})).containsExactly(4, 1, 2.5, 2.5);
        // SciPy: spearmanr([1, 2, 2, 3], [1, 2, 3, 4]) = 0.9486832980505139 (sqrt(0.9))
        assertThat(Spearman.correlation(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}))
                .isCloseTo(Math.sqrt(0.9), within(1e-12));
    }

    @Test
    void onlyTheOrderCounts() {
        double[] x = {0.1, 5, 2, 40, 3};
        double[] cubed = {0.001, 125, 8, 64000, 27};
        double[] reversed = {-0.1, -5, -2, -40, -3};
        assertThat(Spearman.correlation(x, cubed)).isCloseTo(1, within(1e-12));
        assertThat(Spearman.correlation(x, reversed)).isCloseTo(-1, within(1e-12));
    }

    @Test
    void aConstantSeriesOrdersNothing() {
        assertThat(Spearman.correlation(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    }
}
