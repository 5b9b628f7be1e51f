package dev.captioner.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CIDEr-D as the COCO toolkit's {@code CiderScorer} computes it, on tokenized, space-joined captions. */
public final class CiderD {

    private static final double SIGMA = 6.0;

    private CiderD() {
    }

    /** TF-IDF weights of one caption, aligned with its sorted n-gram ids, with norms and penalty "length". */
    private record Vector(NGrams.Counts counts, double[][] weights, double[] norms, int length) {
    }

    /**
     * Document frequencies and log(N) come from the references of exactly this corpus, so scores depend on
     * which images are scored together; a single image always scores 0.
     */
    public static MetricScores compute(Map<String, List<String>> references, Map<String, String> candidates) {
        List<String> ids = NGrams.imageIds(references, candidates);
        NGrams index = new NGrams();
        List<List<NGrams.Counts>> referenceCounts = new ArrayList<>(ids.size());
        for (String id : ids) {
            List<NGrams.Counts> counts = new ArrayList<>();
            references.get(id).forEach(reference -> counts.add(index.count(reference)));
            referenceCounts.add(counts);
        }
        int[] documentFrequency = documentFrequency(referenceCounts, index.size());
        double referenceLength = Math.log(ids.size());

        Map<String, Double> perImage = new LinkedHashMap<>();
        double[] scores = new double[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            Vector hypothesis = vector(index.count(candidates.get(ids.get(i))), documentFrequency, referenceLength);
            double[] total = new double[NGrams.MAX_N];
            List<NGrams.Counts> imageReferences = referenceCounts.get(i);
            for (NGrams.Counts reference : imageReferences) {
                double[] similarity = similarity(hypothesis, vector(reference, documentFrequency, referenceLength));
                for (int n = 0; n < NGrams.MAX_N; n++) {
                    total[n] += similarity[n];
                }
            }
            double mean = 0;
            for (double value : total) {
                mean += value;
            }
            double score = mean / NGrams.MAX_N / imageReferences.size() * 10.0;
            perImage.put(ids.get(i), score);
            scores[i] = score;
        }
        return new MetricScores(NumpyMean.of(scores), perImage);
    }

    /** Number of images whose references contain each n-gram (an image counts once however often it occurs). */
    private static int[] documentFrequency(List<List<NGrams.Counts>> referenceCounts, int size) {
        int[] frequency = new int[size];
        int[] lastImage = new int[size];
        Arrays.fill(lastImage, -1);
        for (int image = 0; image < referenceCounts.size(); image++) {
            for (NGrams.Counts reference : referenceCounts.get(image)) {
                for (int[] order : reference.ids()) {
                    for (int id : order) {
                        if (lastImage[id] != image) {
                            lastImage[id] = image;
                            frequency[id]++;
                        }
                    }
                }
            }
        }
        return frequency;
    }

    private static Vector vector(NGrams.Counts counts, int[] documentFrequency, double referenceLength) {
        double[][] weights = new double[NGrams.MAX_N][];
        double[] norms = new double[NGrams.MAX_N];
        int length = 0;
        for (int n = 0; n < NGrams.MAX_N; n++) {
            int[] ids = counts.ids()[n];
            weights[n] = new double[ids.length];
            for (int g = 0; g < ids.length; g++) {
                // Candidate n-grams absent from every reference were interned later and have df 0.
                int df = ids[g] < documentFrequency.length ? documentFrequency[ids[g]] : 0;
                double weight = counts.counts()[n][g] * (referenceLength - Math.log(Math.max(1.0, df)));
                weights[n][g] = weight;
                norms[n] += weight * weight;
            }
            norms[n] = Math.sqrt(norms[n]);
        }
        for (int count : counts.counts()[1]) {
            // Toolkit quirk: the length penalty counts bigrams, not words.
            length += count;
        }
        return new Vector(counts, weights, norms, length);
    }

    /** Clipped cosine similarity per order (the "-D" of CIDEr-D), times a Gaussian length penalty. */
    private static double[] similarity(Vector hypothesis, Vector reference) {
        double delta = hypothesis.length - reference.length;
        double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
        double[] values = new double[NGrams.MAX_N];
        for (int n = 0; n < NGrams.MAX_N; n++) {
            int[] hypothesisIds = hypothesis.counts.ids()[n];
            int[] referenceIds = reference.counts.ids()[n];
            double value = 0;
            // Both id lists are sorted: a merge finds the shared n-grams; the others contribute 0.
            for (int h = 0, r = 0; h < hypothesisIds.length && r < referenceIds.length; ) {
                if (hypothesisIds[h] < referenceIds[r]) {
                    h++;
                } else if (hypothesisIds[h] > referenceIds[r]) {
                    r++;
                } else {
                    double referenceWeight = reference.weights[n][r];
                    value += Math.min(hypothesis.weights[n][h], referenceWeight) * referenceWeight;
                    h++;
                    r++;
                }
            }
            if (hypothesis.norms[n] != 0 && reference.norms[n] != 0) {
                value /= hypothesis.norms[n] * reference.norms[n];
            }
            values[n] = value * penalty;
        }
        return values;
    }
}
