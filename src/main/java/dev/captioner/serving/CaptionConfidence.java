package dev.captioner.serving;

import java.util.List;

import dev.captioner.evaluation.LogisticFit;
import dev.captioner.language.CaptionSignals;
import dev.captioner.language.Captioner;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;

/**
 * The calibrated confidence of the captions a model returns: their signals, walked through the decoder in one
 * batch, through the logistic regression its manifest carries.
 */
final class CaptionConfidence {

    private CaptionConfidence() {
    }

    /**
     * One confidence per caption, in order; null when the model has no calibration, or one over signals this
     * version does not measure (a model calibrated by a newer release), so the answer goes without.
     */
    static List<Double> of(CaptionModel model, float[] features, List<Captioner.Caption> captions) {
        ModelManifest.Calibration calibration = model.manifest().calibration();
        if (calibration == null || !CaptionSignals.NAMES.containsAll(calibration.signals())) {
            return null;
        }
        Vocabulary vocabulary = model.vocabulary();
        List<int[]> words = captions.stream()
                .map(caption -> caption.tokens().stream().mapToInt(vocabulary::id).toArray()).toList();
        LogisticFit fit = new LogisticFit(calibration.means(), calibration.standardDeviations(), calibration.weights(),
                calibration.bias());
        return CaptionSignals.measure(model.decoder(), features, words).stream()
                .map(signals -> fit.probability(signals.values(calibration.signals()))).toList();
    }
}
