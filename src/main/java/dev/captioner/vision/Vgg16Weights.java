package dev.captioner.vision;

import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * VGG16's parameters up to fc7, in one layout whatever file they came from: convolution kernels
 * [kH, kW, in, out] (HWIO, Keras' and TensorFlow's order), dense kernels [out, in] (the order x·Wᵀ reads
 * fastest: ~1.4x faster than [in, out] for one image, and fc6 is 411 MB), and fc6's inputs in (h, w, c) order,
 * i.e. pool5 flattened channels-last, so the forward pass flattens its NHWC activations without a permute.
 * Each source converts once, at load time, into this; the arrays are c-ordered and the network uses them as
 * they are.
 *
 * @param convolutions the thirteen 3x3 convolutions in order (block1_conv1 .. block5_conv3)
 * @param fc6          kernel [4096, 25088]
 * @param fc7          kernel [4096, 4096]
 */
public record Vgg16Weights(List<Convolution> convolutions, Dense fc6, Dense fc7) {

    /** Output channels of the thirteen convolutions; a 2x2 max pooling follows the last of each block. */
    static final int[] CONVOLUTION_CHANNELS = {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512};
    static final int[] BLOCK_ENDS = {1, 3, 6, 9, 12};
    static final String[] KERAS_CONVOLUTION_NAMES = {
            "block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2",
            "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1", "block4_conv2", "block4_conv3",
            "block5_conv1", "block5_conv2", "block5_conv3"};
    static final int POOL5_SIDE = 7;
    static final int POOL5_CHANNELS = 512;
    static final int FC6_INPUTS = POOL5_SIDE * POOL5_SIDE * POOL5_CHANNELS;
    static final int FC_SIZE = 4096;

    /** @param kernel [3, 3, in, out]; @param bias [out] */
    public record Convolution(String name, INDArray kernel, INDArray bias) {
    }

    /** @param kernel [out, in]; @param bias [out] */
    public record Dense(String name, INDArray kernel, INDArray bias) {
    }

    public Vgg16Weights {
        convolutions = List.copyOf(convolutions);
        if (convolutions.size() != CONVOLUTION_CHANNELS.length) {
            throw new IllegalArgumentException("VGG16 has 13 convolutions, got " + convolutions.size());
        }
        long inputs = 3;
        for (int i = 0; i < convolutions.size(); i++) {
            Convolution conv = convolutions.get(i);
            requireShape(conv.name(), "kernel", conv.kernel(), 3, 3, inputs, CONVOLUTION_CHANNELS[i]);
            requireShape(conv.name(), "bias", conv.bias(), CONVOLUTION_CHANNELS[i]);
            inputs = CONVOLUTION_CHANNELS[i];
        }
        requireShape(fc6.name(), "kernel", fc6.kernel(), FC_SIZE, FC6_INPUTS);
        requireShape(fc6.name(), "bias", fc6.bias(), FC_SIZE);
        requireShape(fc7.name(), "kernel", fc7.kernel(), FC_SIZE, FC_SIZE);
        requireShape(fc7.name(), "bias", fc7.bias(), FC_SIZE);
    }

    private static void requireShape(String layer, String what, INDArray array, long... expected) {
        long[] actual = array.shape();
        if (!Arrays.equals(actual, expected) || array.ordering() != 'c') {
            throw new IllegalArgumentException("VGG16 layer '" + layer + "': " + what + " has shape "
                    + Arrays.toString(actual) + " (" + array.ordering() + "-ordered), expected c-ordered "
                    + Arrays.toString(expected));
        }
    }
}
