package dev.captioner.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a confidence does on captions it was not fitted on: how it ranks them against their true score
 * (Spearman), beside how the raw mean log-probability ranks them (the baseline it must beat), and, since it
 * claims to be a probability, how close it is to what happens (the Brier score, and predicted against observed
 * in equal-width bins).
 *
 * @param spearman         Spearman correlation of confidence with the true score; null when either is constant
 * @param baselineSpearman the same for the baseline signal
 * @param brier            mean squared difference between confidence and the outcome (score at least the
 *                         threshold: 1, else 0); 0.25 is what a constant 0.5 earns
 * @param observedRate     how often the outcome was yes
 */
public record CalibrationFigures(int captions, Double spearman, Double baselineSpearman, double brier,
                                 double observedRate, List<Bin> bins) {

    /**
     * @param meanConfidence and {@code observedRate}: null for an empty bin
     */
    public record Bin(double from, double to, int captions, Double meanConfidence, Double observedRate) {
    }

    /** @param threshold the outcome is "yes" when a caption's score is at least this */
    public static CalibrationFigures of(double[] confidence, double[] baseline, double[] score, double threshold,
                                        int binCount) {
        int n = confidence.length;
        if (n == 0 || baseline.length != n || score.length != n) {
            throw new IllegalArgumentException("need the same number of confidences, baselines and scores, at least one");
        }
        double brier = 0;
        int yes = 0;
        int[] counts = new int[binCount];
        double[] confidenceSums = new double[binCount];
        int[] yesCounts = new int[binCount];
        for (int i = 0; i < n; i++) {
            int outcome = score[i] >= threshold ? 1 : 0;
            yes += outcome;
            brier += (confidence[i] - outcome) * (confidence[i] - outcome) / n;
            int bin = Math.min(binCount - 1, (int) (confidence[i] * binCount));
            counts[bin]++;
            confidenceSums[bin] += confidence[i];
            yesCounts[bin] += outcome;
        }
        List<Bin> bins = new ArrayList<>(binCount);
        for (int b = 0; b < binCount; b++) {
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, counts[b],
                    counts[b] == 0 ? null : confidenceSums[b] / counts[b],
                    counts[b] == 0 ? null : (double) yesCounts[b] / counts[b]));
        }
        return new CalibrationFigures(n, defined(Spearman.correlation(confidence, score)),
                defined(Spearman.correlation(baseline, score)), brier, (double) yes / n, List.copyOf(bins));
    }

    /** As the manifest and the job's view show it (JSON has no NaN: an undefined correlation is left out). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("captions", captions);
        if (spearman != null) {
            json.put("spearman", spearman);
        }
        if (baselineSpearman != null) {
            json.put("meanLogProbabilitySpearman", baselineSpearman);
        }
        json.put("brier", brier);
        json.put("observedRate", observedRate);
        List<Map<String, Object>> binRows = new ArrayList<>();
        for (Bin bin : bins) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from", bin.from());
            row.put("to", bin.to());
            row.put("captions", bin.captions());
            if (bin.captions() > 0) {
                row.put("meanConfidence", bin.meanConfidence());
                row.put("observedRate", bin.observedRate());
            }
            binRows.add(row);
        }
        json.put("bins", binRows);
        return json;
    }

    private static Double defined(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
