package dev.captioner.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ROUGE-L as the COCO toolkit's {@code Rouge} scorer computes it, on tokenized, space-joined captions. */
public final class RougeL {

    private static final double BETA = 1.2;

    private RougeL() {
    }

    /** Corpus value is the mean of the image values (numpy's, see {@link NumpyMean}). */
    public static MetricScores compute(Map<String, List<String>> references, Map<String, String> candidates) {
        List<String> ids = NGrams.imageIds(references, candidates);
        Map<String, Double> perImage = new LinkedHashMap<>();
        double[] scores = new double[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            scores[i] = score(candidates.get(ids.get(i)), references.get(ids.get(i)));
            perImage.put(ids.get(i), scores[i]);
        }
        return new MetricScores(NumpyMean.of(scores), perImage);
    }

    /**
     * Precision and recall are maximised separately over the references (not the best single reference's F),
     * which is what the toolkit does.
     */
    static double score(String candidate, List<String> references) {
        String[] candidateTokens = tokens(candidate);
        double maxPrecision = 0;
        double maxRecall = 0;
        for (String reference : references) {
            String[] referenceTokens = tokens(reference);
            int lcs = lcsLength(referenceTokens, candidateTokens);
            maxPrecision = Math.max(maxPrecision, lcs / (double) candidateTokens.length);
            maxRecall = Math.max(maxRecall, lcs / (double) referenceTokens.length);
        }
        if (maxPrecision == 0 || maxRecall == 0) {
            return 0.0;
        }
        double betaSquared = BETA * BETA;
        return (1 + betaSquared) * maxPrecision * maxRecall / (maxRecall + betaSquared * maxPrecision);
    }

    /** Python's {@code str.split(" ")}: an empty caption is one empty token, so its length is 1, not 0. */
    private static String[] tokens(String sentence) {
        return sentence.split(" ", -1);
    }

    private static int lcsLength(String[] a, String[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (String x : a) {
            for (int j = 1; j <= b.length; j++) {
                current[j] = x.equals(b[j - 1]) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }
}
