package dev.captioner.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.captioner.compute.Matmul;
import dev.captioner.compute.Workspaces;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * VGG16's forward pass up to fc7, or up to conv5_3 (after its ReLU) for the grid, run as libnd4j operations on channels-last (NHWC) activations with
 * {@link Vgg16Weights} (from the zoo's graph, a Keras weight file, or a seeded random initialisation).
 *
 * <p>Why not {@code ComputationGraph.output} (measured on this project's 2-core machines, see BENCHMARKS.md):
 * DL4J 1.0.0-M2.1 runs its convolution layers channels-first, and out of the box through a generic im2col
 * path (its oneDNN layer helpers look for a class nd4j-native 1.0.0-M2.1 renamed): ~2-3 s per image. Bridging
 * that lookup switches the helpers on (0.33 s per image, 0.28 in batches of 8), but the layers still reach
 * only 50-60 GFLOPS per 3x3 convolution, while the same libnd4j {@code conv2d} op (oneDNN build) called
 * directly on channels-last data reaches 200-220 GFLOPS. This pass: ~0.19-0.22 s per image, ~0.16 in
 * batches. The tests check that this pass gives the zoo graph's fc7 features with the graph's weights, and
 * torchvision's with a Keras file's. Not thread-safe (it reuses its activation
 * buffers): the encoder runs one pass at a time.
 */
final class Vgg16Network {

    private static final String WORKSPACE = "vgg16-fc7";
    private static final long INPUT_SIZE = 224;
    private static final long LARGEST_CHANNELS = 64;  // at full resolution; deeper stages are smaller

    private sealed interface Stage permits Convolution, MaxPooling {
    }

    /** 3x3, stride 1, same padding, ReLU; weights in [kH, kW, inChannels, outChannels] order. */
    private record Convolution(INDArray weights, INDArray bias) implements Stage {
    }

    /** 2x2, stride 2. */
    private record MaxPooling() implements Stage {
    }

    private static final Conv2DConfig CONVOLUTION = Conv2DConfig.builder()
            .kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
            .paddingMode(PaddingMode.SAME).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
    private static final Pooling2DConfig POOLING = Pooling2DConfig.builder()
            .kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
            .paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(true).build();

    private final List<Stage> stages = new ArrayList<>();
    private final INDArray[] activationBuffers = new INDArray[2];
    private final Vgg16Weights.Dense fc6;
    private final Vgg16Weights.Dense fc7;

    /** Uses the weights' arrays as they are (no copy): the network owns them from here on. */
    Vgg16Network(Vgg16Weights weights) {
        int block = 0;
        for (int i = 0; i < weights.convolutions().size(); i++) {
            Vgg16Weights.Convolution conv = weights.convolutions().get(i);
            stages.add(new Convolution(conv.kernel(), conv.bias()));
            if (i == Vgg16Weights.BLOCK_ENDS[block]) {
                stages.add(new MaxPooling());
                block++;
            }
        }
        this.fc6 = weights.fc6();
        this.fc7 = weights.fc7();
    }

    /**
     * @param nhwc the preprocessed batch, [n, 224, 224, 3]
     * @return fc7 activations, one row per image
     */
    float[][] fc7(INDArray nhwc) {
        long n = nhwc.size(0);
        INDArray pool5 = convolutions(nhwc, stages.size());
        try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
            // pool5 [n, 7, 7, 512] flattened as (h, w, c): the order Vgg16Weights gives fc6's inputs in
            INDArray flat = pool5.reshape('c', n, Vgg16Weights.FC6_INPUTS);
            INDArray hidden = dense(flat, fc6);
            return dense(hidden, fc7).toFloatMatrix();
        }
    }

    /**
     * Stops after conv5_3's ReLU: pool5, fc6 and fc7 are never run (under 1% of the multiply-adds, but fc6
     * alone reads a 411 MB kernel on every pass).
     *
     * @param nhwc the preprocessed batch, [n, 224, 224, 3]
     * @return conv5_3 activations [n, 14, 14, 512] flattened row-major (h, w, c), one row per image
     */
    float[][] conv5Grid(INDArray nhwc) {
        long n = nhwc.size(0);
        INDArray conv5 = convolutions(nhwc, stages.size() - 1);
        return conv5.reshape('c', n, conv5.length() / n).toFloatMatrix();
    }

    /** Runs the first {@code stageCount} stages; the result is a view of one of the activation buffers. */
    private INDArray convolutions(INDArray nhwc, int stageCount) {
        long n = nhwc.size(0);
        if (nhwc.rank() != 4 || nhwc.size(1) != INPUT_SIZE || nhwc.size(2) != INPUT_SIZE || nhwc.size(3) != 3) {
            throw new IllegalArgumentException("VGG16 expects [n, 224, 224, 3] input, got " + Arrays.toString(nhwc.shape()));
        }
        ensureActivationBuffers(n);
        INDArray x = nhwc;
        long side = INPUT_SIZE;
        long channels = 3;
        int next = 0;
        for (Stage stage : stages.subList(0, stageCount)) {
            INDArray out;
            if (stage instanceof Convolution conv) {
                channels = conv.weights().size(3);
                out = slice(activationBuffers[next], n, side, side, channels);
                Nd4j.exec(new Conv2D(new INDArray[] {x, conv.weights(), conv.bias()}, new INDArray[] {out}, CONVOLUTION));
                Transforms.relu(out, false);
            } else {
                side /= 2;
                out = slice(activationBuffers[next], n, side, side, channels);
                Nd4j.exec(new MaxPooling2D(x, out, POOLING));
            }
            x = out;
            next = 1 - next;
        }
        return x;
    }

    /** relu(x·Wᵀ + b): [n, in] -> [n, out]. */
    private static INDArray dense(INDArray x, Vgg16Weights.Dense layer) {
        return Transforms.relu(Matmul.product(x, false, layer.kernel(), true).addiRowVector(layer.bias()), false);
    }

    /**
     * Two buffers the convolution stages write into in turn (each stage reads the other's output), sized for
     * the largest batch seen: 2 x 12.8 MB per image instead of every stage's activations (~60 MB per image)
     * living until the pass ends, and no page faults from fresh allocations on every request.
     */
    private void ensureActivationBuffers(long batch) {
        long needed = batch * INPUT_SIZE * INPUT_SIZE * LARGEST_CHANNELS;
        if (activationBuffers[0] == null || activationBuffers[0].length() < needed) {
            for (int i = 0; i < 2; i++) {
                if (activationBuffers[i] != null) {
                    activationBuffers[i].close();
                }
                try (MemoryWorkspace ignored = Workspaces.outside()) {
                    activationBuffers[i] = Nd4j.create(DataType.FLOAT, needed);
                }
            }
        }
    }

    /** Frees the buffers (2 x 12.8 MB per image of the largest batch seen); the next pass sizes them afresh. */
    void releaseActivationBuffers() {
        for (int i = 0; i < 2; i++) {
            if (activationBuffers[i] != null) {
                activationBuffers[i].close();
                activationBuffers[i] = null;
            }
        }
    }

    /** Bytes the activation buffers hold now. */
    long activationBufferBytes() {
        return activationBuffers[0] == null ? 0 : 2 * activationBuffers[0].length() * Float.BYTES;
    }

    private static INDArray slice(INDArray buffer, long n, long height, long width, long channels) {
        return buffer.get(NDArrayIndex.interval(0, n * height * width * channels)).reshape('c', n, height, width, channels);
    }
}
