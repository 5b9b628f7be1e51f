package dev.captioner.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CalibrationFiguresTest {

    @Test
    void brierBinsAndBothRankings() {
        double[] confidence = {0.1, 0.15, 0.5, 0.9, 0.95};
        double[] baseline = {-3, -1, -2, -0.5, -0.4};
        double[] score = {0.2, 0.4, 1.5, 1.2, 2.0};

        CalibrationFigures figures = CalibrationFigures.of(confidence, baseline, score, 1.0, 5);

        // outcomes 0 0 1 1 1
        double brier = (0.01 + 0.0225 + 0.25 + 0.01 + 0.0025) / 5;
        assertThat(figures.brier()).isCloseTo(brier, within(1e-12));
        assertThat(figures.observedRate()).isCloseTo(0.6, within(1e-12));
        assertThat(figures.spearman()).isCloseTo(0.9, within(1e-12));
        assertThat(figures.baselineSpearman()).isCloseTo(0.7, within(1e-12));
        List<CalibrationFigures.Bin> bins = figures.bins();
        assertThat(bins).extracting(CalibrationFigures.Bin::captions).containsExactly(2, 0, 1, 0, 2);
        assertThat(bins.get(0).meanConfidence()).isCloseTo(0.125, within(1e-12));
        assertThat(bins.get(0).observedRate()).isZero();
        assertThat(bins.get(1).meanConfidence()).isNull();
        assertThat(bins.get(4).observedRate()).isEqualTo(1.0);
    }

    @Test
    void anUndefinedCorrelationIsLeftOutOfTheJson() {
        CalibrationFigures figures = CalibrationFigures.of(new double[] {0.5, 0.5}, new double[] {-1, -2},
                new double[] {0, 3}, 1.0, 5);

        Map<String, Object> json = figures.toJson();

        assertThat(figures.spearman()).isNull();
        assertThat(json).doesNotContainKey("spearman").containsKey("meanLogProbabilitySpearman");
        assertThat(json.get("brier")).isEqualTo(0.25);
    }
}
