package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.captioner.TestModels;
import dev.captioner.language.CaptionSignals;
import dev.captioner.language.Captioner;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import org.junit.jupiter.api.Test;

class ConfidenceCalibrationTest {

    @Test
    void theThresholdIsTheMedianUnlessMostCaptionsTieAtTheBottom() {
        assertThat(ConfidenceCalibration.threshold(List.of(3.0, 0.5, 2.0, 1.0))).isEqualTo(1.5);
        assertThat(ConfidenceCalibration.threshold(List.of(0.0, 2.0, 0.0, 1.0, 0.0))).isEqualTo(1.0);
        assertThat(ConfidenceCalibration.threshold(List.of(0.7, 0.7, 0.7))).isEqualTo(0.7);
    }

    @Test
    void tooFewImagesFitNothingAndSayWhy() {
        Map<Integer, ValidationCaptionMetrics.ScoredCaption> three = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            three.put(i, new ValidationCaptionMetrics.ScoredCaption(
                    new Captioner.Caption("a", List.of("a"), -1, Math.exp(-1), true), i));
        }

        ConfidenceCalibration.Result result = ConfidenceCalibration.fit(null, null, new float[3][], three, "test",
                () -> false);

        assertThat(result.calibration()).isNull();
        assertThat(result.notFittedBecause()).contains("only 3 images").contains("at least 8");
    }

    @Test
    void captionsThatAllScoreTheSameFitNothingAndSayWhy() {
        CaptionModel model = TestModels.untrained("m", "random:42", 12, null);
        float[][] features = new float[8][12];
        Map<Integer, ValidationCaptionMetrics.ScoredCaption> perImage = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            features[i][i] = 1;
            perImage.put(i, new ValidationCaptionMetrics.ScoredCaption(model.captioner().best(features[i], 4), 0.0));
        }

        ConfidenceCalibration.Result result = ConfidenceCalibration.fit(model.decoder(), model.vocabulary(),
                features, perImage, "test", () -> false);

        assertThat(result.calibration()).isNull();
        assertThat(result.notFittedBecause()).contains("all score the same CIDEr-D");
    }

    /** Scores that follow the mean log-probability: the fitted confidence must rank the held-out half as they do. */
    @Test
    void fitsOnEveryOtherImageAndRanksTheRestAsTheirScoresDo() {
        CaptionModel model = TestModels.untrained("m", "random:42", 12, null);
        Random random = new Random(9);
        int images = 80;
        float[][] features = new float[images][12];
        Map<Integer, ValidationCaptionMetrics.ScoredCaption> perImage = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            for (int k = 0; k < 12; k++) {
                features[i][k] = (float) (3 * random.nextGaussian());
            }
            Captioner.Caption caption = model.captioner().best(features[i], 6);
            int[] words = caption.tokens().stream().mapToInt(model.vocabulary()::id).toArray();
            double meanLogProbability = CaptionSignals.measure(model.decoder(), features[i], List.of(words)).get(0)
                    .meanLogProbability();
            perImage.put(i, new ValidationCaptionMetrics.ScoredCaption(caption, Math.exp(meanLogProbability)));
        }

        ConfidenceCalibration.Result result = ConfidenceCalibration.fit(model.decoder(), model.vocabulary(),
                features, perImage, "80 test images", () -> false);

        ModelManifest.Calibration calibration = result.calibration();
        assertThat(calibration).as(result.notFittedBecause()).isNotNull();
        assertThat(calibration.fitImages()).isEqualTo(40);
        assertThat(calibration.heldOutImages()).isEqualTo(40);
        assertThat(calibration.signals()).isEqualTo(CaptionSignals.NAMES);
        assertThat(calibration.target()).isEqualTo("CIDEr-D");
        assertThat((Double) calibration.heldOut().get("meanLogProbabilitySpearman")).isEqualTo(1.0);
        assertThat((Double) calibration.heldOut().get("spearman")).isGreaterThan(0.8);
        assertThat((Double) calibration.heldOut().get("brier")).isLessThan(0.25);
    }
}
