package dev.captioner.training.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.captioner.config.CaptionerProperties;

/**
 * Whether a job's model is good enough to swap in by itself: most validation captions non-empty, BLEU-1 and
 * CIDEr-D not below their floors and, if asked, CIDEr-D not below the active model's on the same images. A
 * model that a crash or a bad run left saying nothing scores zero and is kept out of serving.
 */
final class ActivationGate {

    static final String BLEU_1 = "Bleu_1";
    static final String CIDER = "CIDEr";

    /** The candidate's scores on the validation images; {@code emptyCaptions} null if not counted. */
    record Scores(Map<String, Double> metrics, int captions, Integer emptyCaptions) {
    }

    /** The active model's CIDEr-D on the same images, to compare against. */
    record Incumbent(String modelId, double cider) {
    }

    private final CaptionerProperties.Activation floors;

    ActivationGate(CaptionerProperties.Activation floors) {
        this.floors = floors;
    }

    boolean comparesWithActive() {
        return floors.notWorseThanActive();
    }

    /** @return why the model may not be activated, in words; empty when it may */
    Optional<String> refusal(Scores candidate, Optional<Incumbent> active) {
        List<String> reasons = new ArrayList<>();
        if (candidate.captions() == 0) {
            reasons.add("no validation image could be captioned");
        } else if (candidate.emptyCaptions() != null) {
            int nonEmpty = candidate.captions() - candidate.emptyCaptions();
            if (nonEmpty < floors.minNonEmptyCaptions() * candidate.captions()) {
                reasons.add("the captions of " + candidate.emptyCaptions() + " of " + candidate.captions()
                        + " validation images are empty (at least " + percent(floors.minNonEmptyCaptions())
                        + " must say something)");
            }
        }
        below(candidate, BLEU_1, floors.minBleu1()).ifPresent(reasons::add);
        below(candidate, CIDER, floors.minCider()).ifPresent(reasons::add);
        active.filter(incumbent -> score(candidate, CIDER) < incumbent.cider()).ifPresent(incumbent ->
                reasons.add("CIDEr " + format(score(candidate, CIDER)) + " is below the active model '"
                        + incumbent.modelId() + "''s " + format(incumbent.cider()) + " on the same validation images"));
        return reasons.isEmpty() ? Optional.empty()
                : Optional.of("not activated: " + String.join("; ", reasons));
    }

    private static Optional<String> below(Scores candidate, String metric, double floor) {
        double value = score(candidate, metric);
        return value < floor ? Optional.of(metric + " " + format(value) + " is below the floor of " + format(floor))
                : Optional.empty();
    }

    /** A metric the evaluation did not produce counts as zero. */
    private static double score(Scores candidate, String metric) {
        Double value = candidate.metrics().get(metric);
        return value == null || value.isNaN() ? 0 : value;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
