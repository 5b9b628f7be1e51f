package dev.captioner.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..4 exactly as the COCO toolkit's {@code BleuScorer} with option "closest" computes it, on already
 * tokenized, space-joined captions.
 */
public final class Bleu {

    /** The toolkit adds these to every numerator and denominator, so zero matches give tiny, not zero, scores. */
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private Bleu() {
    }

    /**
     * Length and n-gram statistics behind a BLEU score.
     *
     * @param testLength      candidate words
     * @param referenceLength reference length closest to the candidate's (ties to the shorter); summed for a corpus
     * @param guess           candidate n-grams for n = 1..4
     * @param correct         clipped matching n-grams for n = 1..4
     */
    public record Counts(int testLength, int referenceLength, int[] guess, int[] correct) {

        public Counts {
            guess = guess.clone();
            correct = correct.clone();
        }

        @Override
        public int[] guess() {
            return guess.clone();
        }

        @Override
        public int[] correct() {
            return correct.clone();
        }

        public double ratio() {
            return (testLength + TINY) / (referenceLength + SMALL);
        }

        /** BLEU-1..4 from these counts, including the brevity penalty. */
        double[] scores() {
            double[] bleu = new double[NGrams.MAX_N];
            double product = 1.0;
            for (int k = 0; k < NGrams.MAX_N; k++) {
                product *= (correct[k] + TINY) / (guess[k] + SMALL);
                bleu[k] = Math.pow(product, 1.0 / (k + 1));
            }
            double ratio = ratio();
            if (ratio < 1) {
                double penalty = Math.exp(1 - 1 / ratio);
                for (int k = 0; k < NGrams.MAX_N; k++) {
                    bleu[k] *= penalty;
                }
            }
            return bleu;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Counts other && testLength == other.testLength
                    && referenceLength == other.referenceLength
                    && Arrays.equals(guess, other.guess) && Arrays.equals(correct, other.correct);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * testLength + referenceLength) + Arrays.hashCode(guess)) + Arrays.hashCode(correct);
        }

        @Override
        public String toString() {
            return "Counts[testLength=" + testLength + ", referenceLength=" + referenceLength
                    + ", guess=" + Arrays.toString(guess) + ", correct=" + Arrays.toString(correct) + "]";
        }
    }

    /**
     * @param corpus          BLEU-1..4 of the corpus (from summed counts, not the mean of image scores)
     * @param corpusCounts    the summed counts
     * @param perImage        BLEU-1..4 per image id
     * @param perImageCounts  counts per image id
     */
    public record Result(double[] corpus, Counts corpusCounts, Map<String, double[]> perImage,
                         Map<String, Counts> perImageCounts) {

        /** BLEU-n of the corpus, n = 1..4. */
        public double corpus(int n) {
            return corpus[n - 1];
        }

        /** BLEU-n of one image, n = 1..4. */
        public double image(String imageId, int n) {
            return perImage.get(imageId)[n - 1];
        }
    }

    /** Scores tokenized candidates against tokenized references, both keyed by image id. */
    public static Result compute(Map<String, List<String>> references, Map<String, String> candidates) {
        List<String> ids = NGrams.imageIds(references, candidates);
        Map<String, double[]> perImage = new LinkedHashMap<>();
        Map<String, Counts> perImageCounts = new LinkedHashMap<>();
        int testTotal = 0;
        int refTotal = 0;
        int[] guessTotal = new int[NGrams.MAX_N];
        int[] correctTotal = new int[NGrams.MAX_N];
        NGrams index = new NGrams();
        for (String id : ids) {
            Counts counts = imageCounts(index, references.get(id), candidates.get(id));
            perImage.put(id, counts.scores());
            perImageCounts.put(id, counts);
            testTotal += counts.testLength;
            refTotal += counts.referenceLength;
            for (int k = 0; k < NGrams.MAX_N; k++) {
                guessTotal[k] += counts.guess[k];
                correctTotal[k] += counts.correct[k];
            }
        }
        Counts corpusCounts = new Counts(testTotal, refTotal, guessTotal, correctTotal);
        return new Result(corpusCounts.scores(), corpusCounts, perImage, perImageCounts);
    }

    private static Counts imageCounts(NGrams index, List<String> references, String candidate) {
        List<NGrams.Counts> referenceCounts = new ArrayList<>(references.size());
        int[] referenceLengths = new int[references.size()];
        for (int r = 0; r < references.size(); r++) {
            NGrams.Counts counts = index.count(references.get(r));
            referenceCounts.add(counts);
            referenceLengths[r] = counts.words();
        }
        NGrams.Counts candidateCounts = index.count(candidate);
        int[] guess = new int[NGrams.MAX_N];
        int[] correct = new int[NGrams.MAX_N];
        for (int k = 0; k < NGrams.MAX_N; k++) {
            guess[k] = Math.max(candidateCounts.words() - k, 0);
            int[] ids = candidateCounts.ids()[k];
            for (int g = 0; g < ids.length; g++) {
                // Matches are clipped by the highest count of the n-gram in any single reference.
                int maxReferenceCount = 0;
                for (NGrams.Counts reference : referenceCounts) {
                    maxReferenceCount = Math.max(maxReferenceCount, reference.countOf(k, ids[g]));
                }
                correct[k] += Math.min(candidateCounts.counts()[k][g], maxReferenceCount);
            }
        }
        return new Counts(candidateCounts.words(), closestLength(referenceLengths, candidateCounts.words()),
                guess, correct);
    }

    /** The reference length closest to the candidate length; on a tie the shorter one, like the toolkit. */
    private static int closestLength(int[] referenceLengths, int testLength) {
        int best = referenceLengths[0];
        for (int length : referenceLengths) {
            int distance = Math.abs(length - testLength);
            int bestDistance = Math.abs(best - testLength);
            if (distance < bestDistance || (distance == bestDistance && length < best)) {
                best = length;
            }
        }
        return best;
    }
}
