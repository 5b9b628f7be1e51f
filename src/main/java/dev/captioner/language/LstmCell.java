package dev.captioner.language;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One LSTM cell update for a batch of rows, forward and backward, and the small pieces both decoders share
 * (initialisation, dropout masks, embedding gradients). Gates are ordered input, forget, output, candidate.
 *
 * @param i, f, o, g the gate activations, kept for backpropagation; each [rows, H]
 */
record LstmCell(INDArray i, INDArray f, INDArray o, INDArray g, INDArray tanhCell, INDArray cell, INDArray hidden) {

    /** @param preActivations [rows, 4H]; @param previousCell [rows, H] */
    static LstmCell forward(INDArray preActivations, INDArray previousCell, int h) {
        // sigmoid in one pass over the three sigmoid gates, which sit side by side
        INDArray ifo = Transforms.sigmoid(preActivations.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3 * h)), true);
        INDArray i = gate(ifo, 0, h);
        INDArray f = gate(ifo, 1, h);
        INDArray o = gate(ifo, 2, h);
        INDArray g = Transforms.tanh(gate(preActivations, 3, h), true);
        INDArray nextCell = f.mul(previousCell).addi(i.mul(g));
        INDArray tanhCell = Transforms.tanh(nextCell, true);
        return new LstmCell(i, f, o, g, tanhCell, nextCell, o.mul(tanhCell));
    }

    /**
     * Writes d(loss)/d(pre-activations) into {@code dPreActivations} [rows, 4H].
     *
     * @param dHidden gradient reaching this step's hidden state (from the output and the next step); consumed
     * @param dCellNext gradient reaching this step's cell state from the next step
     * @return the gradient reaching the previous step's cell state
     */
    static INDArray backward(LstmCell c, INDArray previousCell, INDArray dHidden, INDArray dCellNext,
                             INDArray dPreActivations, int h) {
        INDArray dc = dHidden.mul(c.o).muli(c.tanhCell.mul(c.tanhCell).rsubi(1)).addi(dCellNext);
        gate(dPreActivations, 0, h).assign(dc.mul(c.g).muli(c.i.mul(c.i.rsub(1))));
        gate(dPreActivations, 1, h).assign(dc.mul(previousCell).muli(c.f.mul(c.f.rsub(1))));
        gate(dPreActivations, 2, h).assign(dHidden.muli(c.tanhCell).muli(c.o.mul(c.o.rsub(1))));
        gate(dPreActivations, 3, h).assign(dc.mul(c.i).muli(c.g.mul(c.g).rsubi(1)));
        return dc.muli(c.f);
    }

    /** Columns {@code [index*h, (index+1)*h)}: one gate's block of a [rows, 4H] array (a view). */
    static INDArray gate(INDArray preActivations, int index, int h) {
        return preActivations.get(NDArrayIndex.all(), NDArrayIndex.interval(index * h, (index + 1) * h));
    }

    static INDArray gaussian(Random random, int rows, int cols, double std, DataType type) {
        double[] data = new double[rows * cols];
        for (int k = 0; k < data.length; k++) {
            data[k] = random.nextGaussian() * std;
        }
        return Nd4j.create(data, new long[] {rows, cols}, DataType.DOUBLE).castTo(type);
    }

    /** Inverted dropout: 0 with probability {@code rate}, else 1 / (1 - rate), so expectations are unchanged. */
    static INDArray dropoutMask(Random random, int rows, int cols, double rate, DataType type) {
        float keepScale = (float) (1 / (1 - rate));
        float[] mask = new float[rows * cols];
        for (int k = 0; k < mask.length; k++) {
            mask[k] = random.nextDouble() < rate ? 0f : keepScale;
        }
        return Nd4j.create(mask, new long[] {rows, cols}).castTo(type);
    }

    /** Adds each input position's gradient into the embedding row of the word read there (repeats add up). */
    static INDArray scatterRows(INDArray dInputs, int[] words, int vocabularySize, int embeddingSize, DataType type) {
        INDArray zeros = Nd4j.zeros(type, vocabularySize, embeddingSize);
        return Nd4j.exec((CustomOp) new ScatterAdd(zeros, Nd4j.createFromArray(words), dInputs))[0];
    }

    /**
     * Refuses stored parameters that lack an array or hold one of another shape, naming it.
     *
     * @param what the decoder, for the message
     */
    static void requireShapes(Map<String, INDArray> parameters, Map<String, long[]> expected, String what) {
        expected.forEach((name, shape) -> {
            INDArray array = parameters.get(name);
            if (array == null) {
                throw new IllegalArgumentException(what + " parameters lack '" + name + "'");
            }
            if (!Arrays.equals(array.shape(), shape)) {
                throw new IllegalArgumentException(what + " parameter '" + name + "' has shape "
                        + Arrays.toString(array.shape()) + ", expected " + Arrays.toString(shape));
            }
        });
    }
}
