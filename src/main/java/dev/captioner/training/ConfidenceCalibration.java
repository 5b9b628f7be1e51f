package dev.captioner.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.captioner.evaluation.CalibrationFigures;
import dev.captioner.evaluation.LogisticFit;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.CaptionSignals;
import dev.captioner.language.Captioner;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.ModelManifest;

/**
 * Fits a decoder's caption confidence on captioned images whose CIDEr-D is known: the images, in order, go
 * alternately to a fitting half and a held-out half; on the fitting half a logistic regression learns from each
 * caption's {@link CaptionSignals} whether its CIDEr-D reaches the fitting half's median; the held-out half says
 * how well it then ranks and predicts captions it never saw.
 *
 * <p>The threshold is the median (see {@link #threshold}) so that the fit sees as many captions on each side as there are, whatever the
 * model's level: a fixed CIDEr-D would leave a weak model's captions all below it and a strong one's all above,
 * with nothing to learn from. The confidence therefore reads "the chance this caption is at least as good as this
 * model's typical caption", and the manifest records the threshold it is relative to.
 */
public final class ConfidenceCalibration {

    /** L2 penalty on the standardised weights: mild, for fits on as few as a few dozen captions. */
    static final double PENALTY = 1.0;
    static final int BINS = 5;
    /** Fewer captions a side than this fit noise. */
    static final int MIN_IMAGES_PER_HALF = 4;

    private ConfidenceCalibration() {
    }

    /**
     * @param calibration    null when none could be fitted, {@code notFittedBecause} saying why in words
     * @param signalSeconds  time spent walking the captions again for their signals
     */
    public record Result(ModelManifest.Calibration calibration, String notFittedBecause, int images,
                         double signalSeconds) {
    }

    /**
     * @param perImage  by image index (into {@code features}), in order: the image's caption and its CIDEr-D
     * @param fittedOn  which images these are, in words, for the manifest
     * @param cancelled polled before each image: when true, stops with {@link TrainingCancelledException}
     */
    public static Result fit(CaptionDecoder decoder, Vocabulary vocabulary, float[][] features,
                             Map<Integer, ValidationCaptionMetrics.ScoredCaption> perImage, String fittedOn,
                             BooleanSupplier cancelled) {
        int images = perImage.size();
        if (images < 2 * MIN_IMAGES_PER_HALF) {
            return new Result(null, "only " + images + " images were captioned; a confidence calibration needs at "
                    + "least " + 2 * MIN_IMAGES_PER_HALF + ", half to fit it and half to check it", images, 0);
        }
        long start = System.nanoTime();
        List<double[]> fitSignals = new ArrayList<>();
        List<Double> fitScores = new ArrayList<>();
        List<double[]> heldOutSignals = new ArrayList<>();
        List<Double> heldOutScores = new ArrayList<>();
        int position = 0;
        for (Map.Entry<Integer, ValidationCaptionMetrics.ScoredCaption> image : perImage.entrySet()) {
            if (cancelled.getAsBoolean()) {
                throw new TrainingCancelledException();
            }
            double[] signals = signals(decoder, vocabulary, features[image.getKey()], image.getValue().caption());
            boolean fitting = position++ % 2 == 0;
            (fitting ? fitSignals : heldOutSignals).add(signals);
            (fitting ? fitScores : heldOutScores).add(image.getValue().ciderD());
        }
        double signalSeconds = (System.nanoTime() - start) / 1e9;

        double threshold = threshold(fitScores);
        boolean[] reached = new boolean[fitScores.size()];
        int reaching = 0;
        for (int i = 0; i < reached.length; i++) {
            reached[i] = fitScores.get(i) >= threshold;
            reaching += reached[i] ? 1 : 0;
        }
        if (reaching == reached.length) {
            // the threshold is the next score up from a tie at the bottom whenever there is one, so only a tie
            // of them all leaves every caption reaching it
            return new Result(null, "the " + fitScores.size() + " fitting captions all score the same CIDEr-D ("
                    + threshold + "), so there is nothing to tell good captions from bad by", images, signalSeconds);
        }
        LogisticFit fit = LogisticFit.fit(fitSignals.toArray(double[][]::new), reached, PENALTY);

        int meanLogProbability = CaptionSignals.NAMES.indexOf("meanLogProbability");
        double[] confidence = heldOutSignals.stream().mapToDouble(fit::probability).toArray();
        double[] baseline = heldOutSignals.stream().mapToDouble(s -> s[meanLogProbability]).toArray();
        double[] scores = heldOutScores.stream().mapToDouble(Double::doubleValue).toArray();
        CalibrationFigures heldOut = CalibrationFigures.of(confidence, baseline, scores, threshold, BINS);
        ModelManifest.Calibration calibration = new ModelManifest.Calibration(CaptionSignals.NAMES, fit.means(),
                fit.standardDeviations(), fit.weights(), fit.bias(), ModelManifest.Calibration.CIDER_D, threshold,
                fittedOn, fitScores.size(), heldOutScores.size(), heldOut.toJson());
        return new Result(calibration, null, images, signalSeconds);
    }

    private static double[] signals(CaptionDecoder decoder, Vocabulary vocabulary, float[] features,
                                    Captioner.Caption caption) {
        int[] words = caption.tokens().stream().mapToInt(vocabulary::id).toArray();
        return CaptionSignals.measure(decoder, features, List.of(words)).get(0).values();
    }

    /**
     * The median; but where more than half the captions tie at the lowest score (a weak model's many CIDEr-D 0),
     * every caption would reach it, so the next score up instead.
     */
    static double threshold(List<Double> scores) {
        double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        if (median > sorted[0]) {
            return median;
        }
        return Arrays.stream(sorted).filter(score -> score > median).findFirst().orElse(median);
    }
}
