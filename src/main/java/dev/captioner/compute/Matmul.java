package dev.captioner.compute;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through libnd4j's {@code matmul} op, which the oneDNN build runs with oneDNN's own
 * kernels, instead of {@code INDArray.mmul}, which calls the bundled OpenBLAS 0.3.19. Measured here: the
 * decoder's output layer (1,700 x 512 by 512 x 10,000) 85 ms instead of 190-210 ms; VGG16's fc6 for one
 * image 12 ms instead of 31 ms, for eight 40-44 ms instead of 116 ms. Transposes are flags, never copies.
 */
public final class Matmul {

    private Matmul() {
    }

    /** {@code a · b} */
    public static INDArray product(INDArray a, INDArray b) {
        return product(a, false, b, false);
    }

    /** {@code op(a) · op(b)}, where op transposes when its flag is set. */
    public static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        return Nd4j.exec(new Mmul(a, b, transposeA, transposeB, false))[0];
    }
}
