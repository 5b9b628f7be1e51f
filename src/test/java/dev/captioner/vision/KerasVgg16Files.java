package dev.captioner.vision;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes VGG16 weight files in exactly the layout of Keras Applications'
 * {@code vgg16_weights_tf_dim_ordering_tf_kernels.h5}: root attribute {@code layer_names} (every layer, weightless
 * ones too), one group per layer with a {@code weight_names} attribute and datasets {@code <layer>_W_1:0}
 * (kernel: HWIO for convolutions, (in, out) for dense layers, fc1's rows in block5_pool's channels-last (h, w, c)
 * order) and {@code <layer>_b_1:0}.
 */
public final class KerasVgg16Files {

    /** One layer's arrays in Keras' own conventions. */
    public record KerasLayer(String name, float[] kernel, long[] kernelShape, float[] bias) {
    }

    private static final List<String> LAYER_NAMES = List.of("input_1",
            "block1_conv1", "block1_conv2", "block1_pool", "block2_conv1", "block2_conv2", "block2_pool",
            "block3_conv1", "block3_conv2", "block3_conv3", "block3_pool",
            "block4_conv1", "block4_conv2", "block4_conv3", "block4_pool",
            "block5_conv1", "block5_conv2", "block5_conv3", "block5_pool", "flatten", "fc1", "fc2", "predictions");

    private KerasVgg16Files() {
    }

    /**
     * The weights of a zoo VGG16 graph (up to and including fc8, "predictions") in Keras' conventions, turned by
     * explicit index arithmetic from DL4J's layouts (convolution kernels [out, in, kH, kW], dense [in, out] with
     * fc6's rows in pool5's channels-first (c, h, w) order), not by the reshapes and permutes the production
     * code uses.
     */
    public static List<KerasLayer> fromZooGraph(ComputationGraph graph) {
        List<KerasLayer> layers = new ArrayList<>();
        List<String> denseNames = List.of("fc1", "fc2", "predictions");
        int conv = 0;
        int dense = 0;
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[index];
            if (!vertex.hasLayer()) {
                continue;
            }
            Object layer = vertex.getLayer().conf().getLayer();
            if (!(layer instanceof ConvolutionLayer || layer instanceof DenseLayer)) {
                continue;  // pooling: no parameters
            }
            float[] bias = vertex.getLayer().getParam("b").dup().data().asFloat();
            INDArray w = vertex.getLayer().getParam("W");
            if (layer instanceof ConvolutionLayer) {
                int out = (int) w.size(0);
                int in = (int) w.size(1);
                float[] oihw = w.dup('c').data().asFloat();
                float[] hwio = new float[oihw.length];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        for (int h = 0; h < 3; h++) {
                            for (int x = 0; x < 3; x++) {
                                hwio[((h * 3 + x) * in + i) * out + o] = oihw[((o * in + i) * 3 + h) * 3 + x];
                            }
                        }
                    }
                }
                layers.add(new KerasLayer(Vgg16Weights.KERAS_CONVOLUTION_NAMES[conv++], hwio, new long[] {3, 3, in, out}, bias));
            } else {
                int in = (int) w.size(0);
                int out = (int) w.size(1);
                float[] dl4j = w.dup('c').data().asFloat();
                float[] kernel = dl4j;
                if (dense == 0) {
                    // DL4J row c*49 + h*7 + w holds what Keras keeps at row (h*7 + w)*512 + c
                    kernel = new float[dl4j.length];
                    for (int c = 0; c < 512; c++) {
                        for (int h = 0; h < 7; h++) {
                            for (int x = 0; x < 7; x++) {
                                System.arraycopy(dl4j, (c * 49 + h * 7 + x) * out, kernel, ((h * 7 + x) * 512 + c) * out, out);
                            }
                        }
                    }
                }
                layers.add(new KerasLayer(denseNames.get(dense++), kernel, new long[] {in, out}, bias));
            }
        }
        return layers;
    }

    public static void write(Path file, List<KerasLayer> layers) {
        write(file, layers, true);
    }

    /** @param includeTop false: the '_notop' file's layout, which ends at block5_pool */
    public static void write(Path file, List<KerasLayer> layers, boolean includeTop) {
        List<String> layerNames = includeTop ? LAYER_NAMES : LAYER_NAMES.subList(0, LAYER_NAMES.indexOf("flatten"));
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), H5F_ACC_TRUNC());
            try {
                writeStrings(h5, "layer_names", layerNames);
                writeStrings(h5, "backend", List.of("tensorflow"));
                writeStrings(h5, "keras_version", List.of("1.1.0"));
                for (String name : layerNames) {
                    KerasLayer layer = layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
                    Group group = h5.createGroup(name);
                    try {
                        if (layer == null) {
                            writeStrings(group, "weight_names", List.of());
                            continue;
                        }
                        String kernelName = name + "_W_1:0";
                        String biasName = name + "_b_1:0";
                        writeStrings(group, "weight_names", List.of(kernelName, biasName));
                        writeFloats(group, kernelName, layer.kernel(), layer.kernelShape());
                        writeFloats(group, biasName, layer.bias(), new long[] {layer.bias().length});
                    } finally {
                        group.deallocate();
                    }
                }
            } finally {
                h5.deallocate();
            }
        }
    }

    private static void writeFloats(Group group, String name, float[] values, long[] shape) {
        INDArray array = Nd4j.create(values, shape, DataType.FLOAT);
        DataSpace space = new DataSpace(shape.length, shape);
        DataSet dataset = group.createDataSet(name, PredType.IEEE_F32LE(), space);
        try {
            dataset.write(array.data().pointer(), PredType.NATIVE_FLOAT());
        } finally {
            dataset.deallocate();
            space.deallocate();
            array.close();
        }
    }

    /** Fixed-length, NUL-padded strings: how h5py stores the numpy byte-string arrays Keras writes. */
    private static void writeStrings(H5Object target, String attribute, List<String> values) {
        int width = Math.max(1, values.stream().mapToInt(String::length).max().orElse(1));
        byte[] bytes = new byte[Math.max(1, values.size() * width)];
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(value, 0, bytes, i * width, value.length);
        }
        StrType type = new StrType(PredType.C_S1(), width);
        DataSpace space = new DataSpace(1, new long[] {values.size()});
        Attribute attr = target.createAttribute(attribute, type, space);
        try {
            if (!values.isEmpty()) {
                attr.write(type, new BytePointer(bytes));
            }
        } finally {
            attr.deallocate();
            space.deallocate();
            type.deallocate();
        }
    }
}
