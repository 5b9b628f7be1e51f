package dev.captioner.language;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link AttentionGrid} in float32 Java loops, for training and serving. Why not libnd4j here: at the benchmark
 * sizes (100 rows x 196 positions x 512) each step's activations are 10M floats, and libnd4j makes a separate
 * pass over them for the broadcast add, the tanh (69 ms here, it is not vectorised), the score product, and in
 * the backward pass the tanh derivative, two broadcast products, the accumulation and a reduction over the middle
 * axis (71 ms); these loops make one pass forward and one backward, with a vectorisable rational tanh.
 * Checked against {@link Nd4jAttentionGrid} in the tests. Rows are split across the common fork-join pool.
 */
final class FusedAttentionGrid implements AttentionGrid {

    /** Below this many activations a step runs on the calling thread (beam search: a few rows). */
    private static final long PARALLEL_THRESHOLD = 1 << 18;
    /** tanh(x) rounds to +-1 in float beyond this. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    private final float[] positions;   // [images*L*C]
    private final float[] projected;   // [images*L*A]
    private final float[] vector;      // [A]
    private final int images;
    private final int l;
    private final int c;
    private final int att;
    private float[] dProjected;
    private float[] dVector;

    FusedAttentionGrid(INDArray positions, INDArray projected, INDArray vector) {
        this.images = (int) projected.size(0);
        this.l = (int) projected.size(1);
        this.att = (int) projected.size(2);
        this.c = (int) positions.size(1);
        this.positions = floats(positions);
        this.projected = floats(projected);
        this.vector = floats(vector);
    }

    private static float[] floats(INDArray array) {
        return array.castTo(DataType.FLOAT).reshape(array.length()).toFloatVector();
    }

    private int imageOf(int row) {
        return images == 1 ? 0 : row;
    }

    private void forEachRow(int rows, IntConsumer body) {
        IntStream range = IntStream.range(0, rows);
        if ((long) rows * l * att >= PARALLEL_THRESHOLD) {
            range = range.parallel();
        }
        range.forEach(body);
    }

    @Override
    public INDArray scores(INDArray hiddenTerm) {
        int rows = (int) hiddenTerm.size(0);
        float[] q = floats(hiddenTerm);
        float[] scores = new float[rows * l];
        forEachRow(rows, r -> {
            float[] u = activations(imageOf(r), q, r * att);
            for (int i = 0; i < l; i++) {
                scores[r * l + i] = dot(u, i * att, vector, 0, att);
            }
        });
        return Nd4j.create(scores, new long[] {rows, l});
    }

    @Override
    public INDArray context(INDArray alpha) {
        int rows = (int) alpha.size(0);
        float[] weights = floats(alpha);
        float[] context = new float[rows * c];
        forEachRow(rows, r -> {
            int image = imageOf(r);
            for (int i = 0; i < l; i++) {
                float weight = weights[r * l + i];
                int base = (image * l + i) * c;
                for (int k = 0; k < c; k++) {
                    context[r * c + k] += weight * positions[base + k];
                }
            }
        });
        return Nd4j.create(context, new long[] {rows, c});
    }

    @Override
    public INDArray alphaGradient(INDArray dContext) {
        int rows = (int) dContext.size(0);
        float[] d = floats(dContext);
        float[] dAlpha = new float[rows * l];
        forEachRow(rows, r -> {
            int image = imageOf(r);
            for (int i = 0; i < l; i++) {
                dAlpha[r * l + i] = dot(positions, (image * l + i) * c, d, r * c, c);
            }
        });
        return Nd4j.create(dAlpha, new long[] {rows, l});
    }

    @Override
    public INDArray scoreBackward(INDArray hiddenTerm, INDArray dScores) {
        int rows = (int) hiddenTerm.size(0);
        if (rows != images) {
            throw new IllegalStateException("attention gradients are for one row per image");
        }
        if (dProjected == null) {
            dProjected = new float[images * l * att];
            dVector = new float[att];
        }
        float[] q = floats(hiddenTerm);
        float[] dS = floats(dScores);
        float[] dq = new float[rows * att];
        float[] dVectorRows = new float[rows * att];
        forEachRow(rows, r -> {
            float[] u = activations(r, q, r * att);
            int rowBase = r * att;
            for (int i = 0; i < l; i++) {
                float d = dS[r * l + i];
                int uBase = i * att;
                int base = (r * l + i) * att;
                for (int a = 0; a < att; a++) {
                    float ua = u[uBase + a];
                    dVectorRows[rowBase + a] += d * ua;
                    float g = d * vector[a] * (1 - ua * ua);
                    dProjected[base + a] += g;
                    dq[rowBase + a] += g;
                }
            }
        });
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < att; a++) {
                dVector[a] += dVectorRows[r * att + a];
            }
        }
        return Nd4j.create(dq, new long[] {rows, att});
    }

    /**
     * u = tanh(P + q) for one row over all its image's positions: [L*A]. The sum and the tanh are two loops
     * because C2 vectorises each alone but not the two fused (measured: 17 ms instead of 50-130 ms per 10M).
     */
    private float[] activations(int image, float[] q, int qOffset) {
        float[] u = new float[l * att];
        int imageBase = image * l * att;
        for (int i = 0; i < l; i++) {
            int base = i * att;
            for (int a = 0; a < att; a++) {
                u[base + a] = projected[imageBase + base + a] + q[qOffset + a];
            }
        }
        for (int k = 0; k < u.length; k++) {
            u[k] = tanh(u[k]);
        }
        return u;
    }

    @Override
    public INDArray projectedGradient() {
        return Nd4j.create(dProjected == null ? new float[images * l * att] : dProjected, new long[] {(long) images * l, att});
    }

    @Override
    public INDArray vectorGradient() {
        return Nd4j.create(dVector == null ? new float[att] : dVector, new long[] {att, 1});
    }

    /** Four partial sums, so the additions pipeline (a float sum in one order cannot be vectorised). */
    private static float dot(float[] x, int xOffset, float[] y, int yOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < length; k += 4) {
            s0 += x[xOffset + k] * y[yOffset + k];
            s1 += x[xOffset + k + 1] * y[yOffset + k + 1];
            s2 += x[xOffset + k + 2] * y[yOffset + k + 2];
            s3 += x[xOffset + k + 3] * y[yOffset + k + 3];
        }
        for (; k < length; k++) {
            s0 += x[xOffset + k] * y[yOffset + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * tanh as a rational function of x (numerator degree 13, denominator 6, the minimax fit Eigen uses for float):
     * within 4e-7 of {@code Math.tanh} everywhere, branch-free, so the loops above vectorise; Math.tanh is ~100x
     * slower here.
     */
    static float tanh(float x) {
        float v = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float v2 = v * v;
        float p = v2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = v2 * p + -8.60467152213735e-11f;
        p = v2 * p + 5.12229709037114e-08f;
        p = v2 * p + 1.48572235717979e-05f;
        p = v2 * p + 6.37261928875436e-04f;
        p = v2 * p + 4.89352455891786e-03f;
        float q = v2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = v2 * q + 2.26843463243900e-03f;
        q = v2 * q + 4.89352518554385e-03f;
        return v * p / q;
    }
}
