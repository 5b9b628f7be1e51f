package dev.captioner.language;

import static dev.captioner.compute.Matmul.product;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link AttentionGrid} as libnd4j operations, in the decoder's precision: the reference implementation (double
 * precision in the gradient test). Rows are images one to one, or all rows look at a single image (beams).
 */
final class Nd4jAttentionGrid implements AttentionGrid {

    private final INDArray positions;   // [images*L, C]
    private final INDArray projected;   // [images, L, A]
    private final INDArray vector;      // [A, 1]
    private final int images;
    private final int l;
    private final int c;
    private final int att;
    private INDArray dProjected;
    private INDArray dVector;

    Nd4jAttentionGrid(INDArray positions, INDArray projected, INDArray vector) {
        this.positions = positions;
        this.projected = projected;
        this.vector = vector;
        this.images = (int) projected.size(0);
        this.l = (int) projected.size(1);
        this.att = (int) projected.size(2);
        this.c = (int) positions.size(1);
    }

    /** tanh(P + q) as [rows*L, A]. */
    private INDArray activations(INDArray hiddenTerm) {
        int rows = (int) hiddenTerm.size(0);
        INDArray perRow = images == rows ? projected : projected.repeat(0, rows);
        INDArray sum = Nd4j.create(projected.dataType(), rows, l, att);
        Nd4j.exec(new BroadcastAddOp(perRow, hiddenTerm, sum, 0, 2));
        return Transforms.tanh(sum, false).reshape('c', (long) rows * l, att);
    }

    @Override
    public INDArray scores(INDArray hiddenTerm) {
        return product(activations(hiddenTerm), vector).reshape('c', hiddenTerm.size(0), l);
    }

    @Override
    public INDArray context(INDArray alpha) {
        int rows = (int) alpha.size(0);
        if (images == 1) {
            return product(alpha, positions);
        }
        // [rows, 1, L] x [rows, L, C] -> [rows, 1, C]
        return product(alpha.reshape('c', rows, 1, l), positions.reshape('c', rows, l, c)).reshape('c', rows, c);
    }

    @Override
    public INDArray alphaGradient(INDArray dContext) {
        int rows = (int) dContext.size(0);
        if (images == 1) {
            return product(dContext, false, positions, true);
        }
        // [rows, L, C] x [rows, C, 1] -> [rows, L, 1]
        return product(positions.reshape('c', rows, l, c), dContext.reshape('c', rows, c, 1)).reshape('c', rows, l);
    }

    @Override
    public INDArray scoreBackward(INDArray hiddenTerm, INDArray dScores) {
        if (images != hiddenTerm.size(0)) {
            throw new IllegalStateException("attention gradients are for one row per image");
        }
        int rows = images;
        INDArray u = activations(hiddenTerm);
        INDArray dScoreColumn = dScores.reshape('c', (long) rows * l, 1);
        INDArray dw = product(u, true, dScoreColumn, false);
        dVector = dVector == null ? dw : dVector.addi(dw);
        INDArray dPre = u.muli(u).rsubi(1).muliColumnVector(dScoreColumn).muliRowVector(vector.reshape(1, att));
        dProjected = dProjected == null ? dPre.dup() : dProjected.addi(dPre);
        return dPre.reshape('c', rows, l, att).sum(1);
    }

    @Override
    public INDArray projectedGradient() {
        return dProjected == null ? Nd4j.zeros(projected.dataType(), (long) images * l, att) : dProjected;
    }

    @Override
    public INDArray vectorGradient() {
        return dVector == null ? Nd4j.zeros(projected.dataType(), att, 1) : dVector;
    }
}
