package dev.captioner.evaluation;

/**
 * The mean as the toolkit's {@code np.mean} of a float64 array takes it: numpy sums by pairwise summation (blocks
 * of 128 in eight running sums, halves above that), which differs from a running sum in the last digits. With
 * it, corpus ROUGE-L and CIDEr-D equal the toolkit's bit for bit, not just to 1e-15.
 */
final class NumpyMean {

    private static final int BLOCK = 128;
    private static final int UNROLL = 8;

    private NumpyMean() {
    }

    static double of(double[] values) {
        return pairwiseSum(values, 0, values.length) / values.length;
    }

    /** numpy's {@code pairwise_sum} for doubles. */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < UNROLL) {
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        if (n <= BLOCK) {
            double[] r = new double[UNROLL];
            System.arraycopy(a, from, r, 0, UNROLL);
            int i = UNROLL;
            for (; i < n - n % UNROLL; i += UNROLL) {
                for (int j = 0; j < UNROLL; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % UNROLL;
        return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
    }
}
