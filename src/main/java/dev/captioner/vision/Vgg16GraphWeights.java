package dev.captioner.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads VGG16's weights out of a DL4J zoo {@link ComputationGraph} (the zoo's ImageNet file, or a seeded
 * random initialisation), refusing any graph whose layers the fast pass would not compute exactly.
 */
final class Vgg16GraphWeights {

    /** The zoo graph's vertex names: "19" is fc7 (4096, ReLU), "20" fc8. */
    static final String FC7 = "19";
    static final String FC8 = "20";

    private Vgg16GraphWeights() {
    }

    /** Copies (never views) every array, so the graph can be dropped afterwards. */
    static Vgg16Weights from(ComputationGraph graph) {
        requireFc7(graph);
        List<Vgg16Weights.Convolution> convolutions = new ArrayList<>();
        List<GraphVertex> dense = new ArrayList<>();
        int pools = 0;
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
                require(convolutions.size() < Vgg16Weights.CONVOLUTION_CHANNELS.length, name, "one of VGG16's 13 convolutions");
                INDArray kernel = vertex.getLayer().getParam("W");  // [out, in, kH, kW]
                convolutions.add(new Vgg16Weights.Convolution(name, kernel.permute(2, 3, 1, 0).dup('c'), bias(vertex)));
            } else if (layer instanceof SubsamplingLayer pool && dense.isEmpty()) {
                require(pool.getPoolingType() == PoolingType.MAX && Arrays.equals(pool.getKernelSize(), new int[] {2, 2})
                        && Arrays.equals(pool.getStride(), new int[] {2, 2})
                        && Arrays.equals(pool.getPadding(), new int[] {0, 0}), name, "2x2 stride-2 max pooling");
                require(pools < Vgg16Weights.BLOCK_ENDS.length && convolutions.size() == Vgg16Weights.BLOCK_ENDS[pools] + 1,
                        name, "a pooling stage at the end of one of VGG16's five blocks");
                pools++;
            } else if (layer instanceof DenseLayer fc && fc.getActivationFn() instanceof ActivationReLU) {
                dense.add(vertex);
                if (name.equals(FC7)) {
                    break;
                }
            } else {
                require(false, name, "a convolution, max pooling or ReLU dense layer of VGG16");
            }
        }
        require(dense.size() == 2 && dense.get(1).getVertexName().equals(FC7) && pools == 5, FC7,
                "fc7, reached through VGG16's five pooling stages and fc6");
        return new Vgg16Weights(convolutions, fc6(dense.get(0)), fc7(dense.get(1)));
    }

    /** Guards against a weight file of another network: fc7 must exist and be a 4096-unit dense layer. */
    private static void requireFc7(ComputationGraph graph) {
        GraphVertex fc7 = graph.getVertex(FC7);
        if (fc7 == null || graph.getVertex(FC8) == null || !fc7.hasLayer()
                || !(fc7.getLayer().conf().getLayer() instanceof DenseLayer layer)
                || layer.getNOut() != Vgg16Weights.FC_SIZE) {
            throw new IllegalArgumentException("not a VGG16 graph: expected vertex '" + FC7
                    + "' to be the 4096-unit fc7 layer followed by '" + FC8 + "'");
        }
    }

    /**
     * DL4J flattens pool5 channels-first, so fc6's inputs are in (c, h, w) order; they are put in (h, w, c)
     * order here, and the kernel turned to [out, in], in one copy.
     */
    private static Vgg16Weights.Dense fc6(GraphVertex vertex) {
        INDArray kernel = vertex.getLayer().getParam("W");  // [c*h*w, out]
        require(kernel.size(0) == Vgg16Weights.FC6_INPUTS, vertex.getVertexName(), "fc6 with 7x7x512 inputs");
        INDArray byOutput = kernel.reshape('c', Vgg16Weights.POOL5_CHANNELS, Vgg16Weights.POOL5_SIDE,
                        Vgg16Weights.POOL5_SIDE, kernel.size(1))       // [c, h, w, out]
                .permute(3, 1, 2, 0)                                    // [out, h, w, c]
                .dup('c').reshape('c', kernel.size(1), Vgg16Weights.FC6_INPUTS);
        return new Vgg16Weights.Dense(vertex.getVertexName(), byOutput, bias(vertex));
    }

    private static Vgg16Weights.Dense fc7(GraphVertex vertex) {
        INDArray kernel = vertex.getLayer().getParam("W");  // [in, out]
        return new Vgg16Weights.Dense(vertex.getVertexName(), kernel.transpose().dup('c'), bias(vertex));
    }

    private static INDArray bias(GraphVertex vertex) {
        INDArray bias = vertex.getLayer().getParam("b");  // [1, out], a view of the graph's parameters
        return bias.reshape(bias.length()).dup('c');
    }

    private static void require(boolean condition, String vertex, String expected) {
        if (!condition) {
            throw new IllegalArgumentException("VGG16 vertex '" + vertex + "' is not " + expected);
        }
    }
}
