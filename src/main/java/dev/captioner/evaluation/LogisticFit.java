package dev.captioner.evaluation;

import java.util.Arrays;

/**
 * A logistic regression on standardised inputs: {@code P(yes | x) = sigmoid(bias + sum_k weights[k] * z_k)} with
 * {@code z_k = (x_k - means[k]) / standardDeviations[k]}. Fitted by Newton's method with an L2 penalty on the
 * weights (not the bias): a handful of parameters, so plain doubles and a small linear solve are enough, and the
 * fit is the same, to the bit, every time.
 */
public record LogisticFit(double[] means, double[] standardDeviations, double[] weights, double bias) {

    private static final int MAX_ITERATIONS = 100;
    private static final double CONVERGED = 1e-10;

    public LogisticFit {
        if (means.length != weights.length || standardDeviations.length != weights.length) {
            throw new IllegalArgumentException("means, standard deviations and weights differ in length");
        }
    }

    public double probability(double[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " inputs, got " + x.length);
        }
        double logit = bias;
        for (int k = 0; k < x.length; k++) {
            logit += weights[k] * (x[k] - means[k]) / standardDeviations[k];
        }
        return sigmoid(logit);
    }

    /**
     * @param x      one row of inputs per example
     * @param yes    each example's outcome; both outcomes must occur (with one only, the bias has no finite optimum)
     * @param lambda the L2 penalty on the standardised weights, summed over examples as the log-likelihood is
     */
    public static LogisticFit fit(double[][] x, boolean[] yes, double lambda) {
        int n = x.length;
        if (n == 0 || n != yes.length) {
            throw new IllegalArgumentException("need as many outcomes as input rows, and at least one");
        }
        int positives = 0;
        for (boolean y : yes) {
            positives += y ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("every example has the same outcome, so there is nothing to tell apart");
        }
        int d = x[0].length;
        double[] means = new double[d];
        double[] deviations = new double[d];
        for (int k = 0; k < d; k++) {
            for (double[] row : x) {
                means[k] += row[k] / n;
            }
            for (double[] row : x) {
                deviations[k] += (row[k] - means[k]) * (row[k] - means[k]) / n;
            }
            // a constant input carries nothing: standardised it is 0 whatever its scale
            deviations[k] = deviations[k] > 0 ? Math.sqrt(deviations[k]) : 1;
        }
        double[][] z = new double[n][d + 1];
        for (int i = 0; i < n; i++) {
            z[i][0] = 1;
            for (int k = 0; k < d; k++) {
                z[i][k + 1] = (x[i][k] - means[k]) / deviations[k];
            }
        }
        // theta[0] is the bias, theta[1..d] the weights
        double[] theta = new double[d + 1];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[d + 1];
            double[][] hessian = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(dot(theta, z[i]));
                double residual = p - (yes[i] ? 1 : 0);
                double curvature = p * (1 - p);
                for (int a = 0; a <= d; a++) {
                    gradient[a] += residual * z[i][a];
                    for (int b = 0; b <= d; b++) {
                        hessian[a][b] += curvature * z[i][a] * z[i][b];
                    }
                }
            }
            for (int a = 1; a <= d; a++) {
                gradient[a] += lambda * theta[a];
                hessian[a][a] += lambda;
            }
            double[] step = solve(hessian, gradient);
            double largest = 0;
            for (int a = 0; a <= d; a++) {
                theta[a] -= step[a];
                largest = Math.max(largest, Math.abs(step[a]));
            }
            if (largest < CONVERGED) {
                break;
            }
        }
        return new LogisticFit(means, deviations, Arrays.copyOfRange(theta, 1, d + 1), theta[0]);
    }

    static double sigmoid(double logit) {
        // written both ways so that neither exp overflows
        if (logit >= 0) {
            return 1 / (1 + Math.exp(-logit));
        }
        double e = Math.exp(logit);
        return e / (1 + e);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Gaussian elimination with partial pivoting; the matrix is small and, with the penalty, positive definite. */
    private static double[] solve(double[][] matrix, double[] vector) {
        int size = vector.length;
        double[][] a = new double[size][];
        double[] b = vector.clone();
        for (int i = 0; i < size; i++) {
            a[i] = matrix[i].clone();
        }
        for (int column = 0; column < size; column++) {
            int pivot = column;
            for (int row = column + 1; row < size; row++) {
                if (Math.abs(a[row][column]) > Math.abs(a[pivot][column])) {
                    pivot = row;
                }
            }
            double[] rowSwap = a[column];
            a[column] = a[pivot];
            a[pivot] = rowSwap;
            double valueSwap = b[column];
            b[column] = b[pivot];
            b[pivot] = valueSwap;
            for (int row = column + 1; row < size; row++) {
                double factor = a[row][column] / a[column][column];
                for (int k = column; k < size; k++) {
                    a[row][k] -= factor * a[column][k];
                }
                b[row] -= factor * b[column];
            }
        }
        double[] x = new double[size];
        for (int row = size - 1; row >= 0; row--) {
            double sum = b[row];
            for (int k = row + 1; k < size; k++) {
                sum -= a[row][k] * x[k];
            }
            x[row] = sum / a[row][row];
        }
        return x;
    }
}
