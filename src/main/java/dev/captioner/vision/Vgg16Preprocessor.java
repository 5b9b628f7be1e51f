package dev.captioner.vision;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VGG16's input: 224x224, BGR channel order, ImageNet channel means subtracted, no scaling — the Caffe
 * convention the zoo's ImageNet weights were converted from. The whole image is resized (not cropped) so
 * that objects near the edges, and where things are, stay visible to the captioner.
 */
public final class Vgg16Preprocessor {

    public static final int SIZE = 224;
    private static final float MEAN_BLUE = 103.939f;
    private static final float MEAN_GREEN = 116.779f;
    private static final float MEAN_RED = 123.68f;

    private Vgg16Preprocessor() {
    }

    /** NHWC (channels-last) float tensor for a batch of images: what the encoder's fast pass takes. */
    public static INDArray toChannelsLast(List<BufferedImage> images) {
        return toTensor(images, true);
    }

    /** NCHW (channels-first) float tensor for a batch of images: the zoo graph's input layout. */
    public static INDArray toInput(List<BufferedImage> images) {
        return toTensor(images, false);
    }

    private static INDArray toTensor(List<BufferedImage> images, boolean channelsLast) {
        int plane = SIZE * SIZE;
        int channelStride = channelsLast ? 1 : plane;
        float[] data = new float[images.size() * 3 * plane];
        int[] rgb = new int[plane];
        for (int n = 0; n < images.size(); n++) {
            BufferedImage resized = resize(images.get(n));
            resized.getRGB(0, 0, SIZE, SIZE, rgb, 0, SIZE);
            int base = n * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int pixel = rgb[p];
                int blue = base + (channelsLast ? 3 * p : p);
                data[blue] = (pixel & 0xff) - MEAN_BLUE;
                data[blue + channelStride] = ((pixel >> 8) & 0xff) - MEAN_GREEN;
                data[blue + 2 * channelStride] = ((pixel >> 16) & 0xff) - MEAN_RED;
            }
        }
        long[] shape = channelsLast ? new long[] {images.size(), SIZE, SIZE, 3} : new long[] {images.size(), 3, SIZE, SIZE};
        return Nd4j.create(data, shape, DataType.FLOAT);
    }

    /** Resize to 224x224, halving first so large images are averaged rather than aliased. */
    static BufferedImage resize(BufferedImage source) {
        BufferedImage current = source;
        while (current.getWidth() >= 2 * SIZE * 2 || current.getHeight() >= 2 * SIZE * 2) {
            current = scale(current, Math.max(SIZE, current.getWidth() / 2), Math.max(SIZE, current.getHeight() / 2));
        }
        if (current.getWidth() == SIZE && current.getHeight() == SIZE && current.getType() == BufferedImage.TYPE_INT_RGB) {
            return current;
        }
        return scale(current, SIZE, SIZE);
    }

    private static BufferedImage scale(BufferedImage source, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
