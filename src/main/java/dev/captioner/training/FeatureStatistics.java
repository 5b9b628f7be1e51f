package dev.captioner.training;

import java.util.BitSet;
import java.util.List;

/**
 * Mean and inverse standard deviation of the training images' features: per dimension (fc7), or per channel over
 * all positions of a grid (conv5_3), where one channel is the same detector at every position.
 */
final class FeatureStatistics {

    private FeatureStatistics() {
    }

    static float[][] meanAndScale(float[][] features, List<CaptionExample> train) {
        return meanAndScale(features, train, features[train.get(0).imageIndex()].length);
    }

    /** @param d the dimensions statistics are kept for; a feature vector's index k counts for dimension k mod d */
    static float[][] meanAndScale(float[][] features, List<CaptionExample> train, int d) {
        BitSet used = new BitSet(features.length);
        train.forEach(e -> used.set(e.imageIndex()));
        double[] sum = new double[d];
        double[] squares = new double[d];
        long count = 0;
        for (int i = used.nextSetBit(0); i >= 0; i = used.nextSetBit(i + 1)) {
            float[] row = features[i];
            for (int base = 0; base + d <= row.length; base += d) {
                for (int k = 0; k < d; k++) {
                    sum[k] += row[base + k];
                    squares[k] += (double) row[base + k] * row[base + k];
                }
            }
            count += row.length / d;
        }
        double[] variance = new double[d];
        double meanVariance = 0;
        float[] mean = new float[d];
        for (int k = 0; k < d; k++) {
            mean[k] = (float) (sum[k] / count);
            variance[k] = Math.max(0, squares[k] / count - mean[k] * (double) mean[k]);
            meanVariance += variance[k] / d;
        }
        // a floor relative to the typical variance keeps near-constant dimensions from being blown up to noise
        double floor = 1e-2 * meanVariance + 1e-12;
        float[] scale = new float[d];
        for (int k = 0; k < d; k++) {
            scale[k] = (float) (1 / Math.sqrt(variance[k] + floor));
        }
        return new float[][] {mean, scale};
    }
}
