package dev.captioner.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.captioner.compute.Matmul;
import dev.captioner.compute.Workspaces;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.impl.ActivationReLU;
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
 * VGG16's forward pass up to fc7, run as libnd4j operations on channels-last (NHWC) activations with the
 * weights of a zoo {@link ComputationGraph}.
 *
 * <p>Why not {@code ComputationGraph.output} (measured on this project's 2-core machines, see BENCHMARKS.md):
 * DL4J 1.0.0-M2.1 runs its convolution layers channels-first, and out of the box through a generic im2col
 * path (its oneDNN layer helpers look for a class nd4j-native 1.0.0-M2.1 renamed): ~2-3 s per image. Bridging
 * that lookup switches the helpers on (0.33 s per image, 0.28 in batches of 8), but the layers still reach
 * only 50-60 GFLOPS per 3x3 convolution, while the same libnd4j {@code conv2d} op (oneDNN build) called
 * directly on channels-last data reaches 200-220 GFLOPS. This pass: ~0.19-0.22 s per image, ~0.16 in
 * batches. The graph stays the source of the weights (zoo download, local file, seeded random), and the
 * tests check that this pass gives the graph's fc7 features. Not thread-safe (it reuses its activation
 * buffers): the encoder runs one pass at a time.
 */
final class Vgg16Fc7Network {

    private static final String WORKSPACE = "vgg16-fc7";
    private static final long INPUT_SIZE = 224;
    private static final long LARGEST_CHANNELS = 64;  // at full resolution; deeper stages are smaller

    private sealed interface Stage permits Convolution, MaxPooling {
    }

    /** 3x3, stride 1, same padding, ReLU; weights in [kH, kW, inChannels, outChannels] order. */
    private record Convolution(String name, INDArray weights, INDArray bias) implements Stage {
    }

    /** 2x2, stride 2. */
    private record MaxPooling(String name) implements Stage {
    }

    private static final Conv2DConfig CONVOLUTION = Conv2DConfig.builder()
            .kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
            .paddingMode(PaddingMode.SAME).dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
    private static final Pooling2DConfig POOLING = Pooling2DConfig.builder()
            .kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
            .paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(true).build();

    private final List<Stage> stages;
    private final INDArray[] activationBuffers = new INDArray[2];
    /** [out, in] row-major, as multiplied by x·Wᵀ: ~1.4x faster than DL4J's [in, out] for one image (fc6 is 411 MB). */
    private final INDArray fc6WeightsByOutput;
    private final INDArray fc6Bias;
    private final INDArray fc7WeightsByOutput;
    private final INDArray fc7Bias;

    private Vgg16Fc7Network(List<Stage> stages, GraphVertex fc6, GraphVertex fc7) {
        this.stages = stages;
        this.fc6WeightsByOutput = fc6.getLayer().getParam("W").transpose().dup('c');
        this.fc6Bias = fc6.getLayer().getParam("b").dup();
        this.fc7WeightsByOutput = fc7.getLayer().getParam("W").transpose().dup('c');
        this.fc7Bias = fc7.getLayer().getParam("b").dup();
    }

    /**
     * Reads the layers of a VGG16 graph up to {@code fc7Vertex}, refusing anything this pass does not compute
     * exactly (another kernel size, stride, padding, pooling or activation). Weights are copied into the layouts
     * this pass multiplies fastest, so the graph itself can be dropped afterwards.
     */
    static Vgg16Fc7Network from(ComputationGraph graph, String fc7Vertex) {
        List<Stage> stages = new ArrayList<>();
        List<GraphVertex> dense = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[index];
            if (!vertex.hasLayer()) {
                continue;
            }
            String name = vertex.getVertexName();
            Object layer = vertex.getLayer().conf().getLayer();
            if (layer instanceof ConvolutionLayer conv && dense.isEmpty()) {
                require(Arrays.equals(conv.getKernelSize(), new int[] {3, 3}) && Arrays.equals(conv.getStride(), new int[] {1, 1})
                        && Arrays.equals(conv.getDilation(), new int[] {1, 1}) && conv.hasBias()
                        && (conv.getConvolutionMode() == ConvolutionMode.Same || Arrays.equals(conv.getPadding(), new int[] {1, 1}))
                        && conv.getActivationFn() instanceof ActivationReLU, name, "a 3x3 stride-1 same-padded ReLU convolution");
                INDArray weights = vertex.getLayer().getParam("W");  // [out, in, kH, kW]
                stages.add(new Convolution(name, weights.permute(2, 3, 1, 0).dup('c'), vertex.getLayer().getParam("b").dup()));
            } else if (layer instanceof SubsamplingLayer pool && dense.isEmpty()) {
                require(pool.getPoolingType() == PoolingType.MAX && Arrays.equals(pool.getKernelSize(), new int[] {2, 2})
                        && Arrays.equals(pool.getStride(), new int[] {2, 2})
                        && Arrays.equals(pool.getPadding(), new int[] {0, 0}), name, "2x2 stride-2 max pooling");
                stages.add(new MaxPooling(name));
            } else if (layer instanceof DenseLayer fc && fc.getActivationFn() instanceof ActivationReLU) {
                dense.add(vertex);
                if (name.equals(fc7Vertex)) {
                    break;
                }
            } else {
                require(false, name, "a convolution, max pooling or ReLU dense layer of VGG16");
            }
        }
        require(dense.size() == 2 && dense.get(1).getVertexName().equals(fc7Vertex)
                && stages.stream().filter(s -> s instanceof MaxPooling).count() == 5, fc7Vertex,
                "fc7, reached through VGG16's five pooling stages and fc6");
        return new Vgg16Fc7Network(stages, dense.get(0), dense.get(1));
    }

    private static void require(boolean condition, String vertex, String expected) {
        if (!condition) {
            throw new IllegalArgumentException("VGG16 vertex '" + vertex + "' is not " + expected);
        }
    }

    /**
     * @param nhwc the preprocessed batch, [n, 224, 224, 3]
     * @return fc7 activations, one row per image
     */
    float[][] fc7(INDArray nhwc) {
        long n = nhwc.size(0);
        if (nhwc.rank() != 4 || nhwc.size(1) != INPUT_SIZE || nhwc.size(2) != INPUT_SIZE || nhwc.size(3) != 3) {
            throw new IllegalArgumentException("VGG16 expects [n, 224, 224, 3] input, got " + Arrays.toString(nhwc.shape()));
        }
        ensureActivationBuffers(n);
        INDArray x = nhwc;
        long side = INPUT_SIZE;
        long channels = 3;
        int next = 0;
        for (Stage stage : stages) {
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
        try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
            // fc6 was trained on channels-first activations flattened as (c, h, w)
            INDArray flat = x.permute(0, 3, 1, 2).dup('c').reshape(n, fc6WeightsByOutput.size(1));
            INDArray fc6 = Transforms.relu(Matmul.product(flat, false, fc6WeightsByOutput, true).addiRowVector(fc6Bias), false);
            INDArray fc7 = Transforms.relu(Matmul.product(fc6, false, fc7WeightsByOutput, true).addiRowVector(fc7Bias), false);
            return fc7.toFloatMatrix();
        }
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

    private static INDArray slice(INDArray buffer, long n, long height, long width, long channels) {
        return buffer.get(NDArrayIndex.interval(0, n * height * width * channels)).reshape('c', n, height, width, channels);
    }
}
