package dev.captioner.training;

import java.util.BitSet;
import java.util.List;

/** Per-dimension mean and inverse standard deviation of the training images' features. */
final class FeatureStatistics {

    private FeatureStatistics() {
    }

    static float[][] meanAndScale(float[][] features, List<CaptionExample> train) {
        BitSet used = new BitSet(features.length);
        train.forEach(e -> used.set(e.imageIndex()));
        int d = features[train.get(0).imageIndex()].length;
        double[] sum = new double[d];
        double[] squares = new double[d];
        int count = used.cardinality();
        for (int i = used.nextSetBit(0); i >= 0; i = used.nextSetBit(i + 1)) {
            for (int k = 0; k < d; k++) {
                sum[k] += features[i][k];
                squares[k] += (double) features[i][k] * features[i][k];
            }
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
