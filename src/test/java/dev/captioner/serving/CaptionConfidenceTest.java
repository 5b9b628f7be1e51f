package dev.captioner.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.captioner.TestModels;
import dev.captioner.evaluation.LogisticFit;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.CaptionSignals;
import dev.captioner.language.Captioner;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import org.junit.jupiter.api.Test;

class CaptionConfidenceTest {

    private static final ModelManifest.Calibration CALIBRATION = new ModelManifest.Calibration(
            List.of("meanLogProbability", "length", "meanEntropy"), new double[] {-2.0, 5, 2.0},
            new double[] {0.5, 2, 0.3}, new double[] {1.5, -0.25, -0.75}, 0.2, ModelManifest.Calibration.CIDER_D,
            1.0, "test", 10, 10, Map.of());

    private static float[] features() {
        Random random = new Random(5);
        float[] features = new float[12];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextGaussian();
        }
        return features;
    }

    @Test
    void aCalibratedModelGivesEveryCaptionTheProbabilityOfItsSignals() {
        CaptionModel plain = TestModels.untrained("m", "random:42", 12, null);
        CaptionModel calibrated = new CaptionModel(plain.manifest().withCalibration(CALIBRATION), plain.vocabulary(),
                plain.decoder());
        float[] features = features();
        List<Captioner.Caption> captions = calibrated.captioner().captions(features,
                new CaptionOptions(CaptionOptions.Mode.BEAM, 3, 3, 1.0, 8, null));

        List<Double> confidences = CaptionConfidence.of(calibrated, features, captions);

        assertThat(confidences).hasSize(captions.size());
        LogisticFit fit = new LogisticFit(CALIBRATION.means(), CALIBRATION.standardDeviations(),
                CALIBRATION.weights(), CALIBRATION.bias());
        for (int i = 0; i < captions.size(); i++) {
            int[] words = captions.get(i).tokens().stream().mapToInt(plain.vocabulary()::id).toArray();
            CaptionSignals alone = CaptionSignals.measure(plain.decoder(), features, List.of(words)).get(0);
            assertThat(alone.meanLogProbability() * (words.length + 1))
                    .isCloseTo(captions.get(i).logProbability(), within(1e-4));
            assertThat(confidences.get(i)).isBetween(0.0, 1.0)
                    .isCloseTo(fit.probability(alone.values(CALIBRATION.signals())), within(1e-9));
        }
    }

    @Test
    void aModelWithoutACalibrationOrWithUnknownSignalsGivesNone() {
        CaptionModel plain = TestModels.untrained("m", "random:42", 12, null);
        float[] features = features();
        List<Captioner.Caption> captions = plain.captioner().captions(features, CaptionOptions.best(8));
        ModelManifest.Calibration newer = new ModelManifest.Calibration(List.of("perplexity"), new double[] {0},
                new double[] {1}, new double[] {1}, 0, ModelManifest.Calibration.CIDER_D, 1.0, "test", 10, 10,
                Map.of());

        assertThat(CaptionConfidence.of(plain, features, captions)).isNull();
        assertThat(CaptionConfidence.of(new CaptionModel(plain.manifest().withCalibration(newer), plain.vocabulary(),
                plain.decoder()), features, captions)).isNull();
    }
}
