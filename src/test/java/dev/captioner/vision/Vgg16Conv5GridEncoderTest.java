package dev.captioner.vision;

import static dev.captioner.vision.Vgg16Fc7EncoderTest.maxDifference;
import static dev.captioner.vision.Vgg16Fc7EncoderTest.norm;
import static dev.captioner.vision.Vgg16Fc7EncoderTest.picture;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.language.GridShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class Vgg16Conv5GridEncoderTest {

    private static final int GRID_FEATURES = 14 * 14 * 512;
    /** The zoo graph's vertex for block5_conv3: its vertices are numbered, 13 convolutions and 4 poolings in. */
    private static final String ZOO_BLOCK5_CONV3 = "16";
    private static Vgg16Fc7Encoder seed42;
    private static FeatureEncoder grid;

    @BeforeAll
    static void createEncoder() {
        seed42 = Vgg16Fc7Encoder.random(42);
        grid = seed42.atLayer(EncoderLayer.CONV5_3).orElseThrow();
    }

    @Test
    void isTheConv5GridOfTheSameWeights() {
        assertThat(grid.id()).isEqualTo("vgg16-conv5_3/random:42");
        assertThat(grid.layer()).isEqualTo(EncoderLayer.CONV5_3);
        assertThat(grid.featureSize()).isEqualTo(GRID_FEATURES);
        assertThat(grid.source()).isEqualTo(seed42.source());
        float[] features = grid.encode(picture(Color.RED, 20));
        assertThat(features).hasSize(GRID_FEATURES);
        int positive = 0;
        for (float f : features) {
            assertThat(f).as("conv5_3 is taken after its ReLU").isGreaterThanOrEqualTo(0f);
            positive += f > 0 ? 1 : 0;
        }
        assertThat(positive).as("neither all zero nor all active").isBetween(GRID_FEATURES / 100, GRID_FEATURES - 1);
    }

    /**
     * The grid must be DL4J's own block5_conv3 activations (after its ReLU; the zoo graph runs channels-first,
     * [n, 512, 14, 14]) with the same weights, laid out as (row, col, channel): index (r*14 + c)*512 + ch.
     */
    @Test
    void givesTheZooGraphsBlock5Conv3ActivationsRowByRow() throws Exception {
        ImageDecoder decoder = new ImageDecoder(40_000_000);
        List<BufferedImage> images = new ArrayList<>();
        images.add(decoder.decode(TestImages.encode(picture(Color.RED, 20), "png")));
        images.add(decoder.decode(TestImages.jpeg(TestImages.noise(640, 480, 3), 0.9f)));
        images.add(decoder.decode(TestImages.jpeg(picture(Color.BLUE, 150), 0.8f)));
        ComputationGraph zoo = VGG16.builder().numClasses(1000).seed(42).build().init();
        assertThat(zoo.getLayer(ZOO_BLOCK5_CONV3)).isInstanceOf(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class);
        assertThat(zoo.getLayer(String.valueOf(Integer.parseInt(ZOO_BLOCK5_CONV3) + 1)))
                .as("pool5 comes next").isInstanceOf(org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer.class);
        INDArray nchw = zoo.feedForward(Vgg16Preprocessor.toInput(images), false).get(ZOO_BLOCK5_CONV3);
        assertThat(nchw.shape()).containsExactly(images.size(), 512, 14, 14);
        float[][] fast = grid.encode(images);
        GridShape shape = EncoderLayer.CONV5_3.grid().orElseThrow();
        double maxDifference = 0;
        for (int i = 0; i < images.size(); i++) {
            float[] reference = new float[GRID_FEATURES];
            for (int r = 0; r < 14; r++) {
                for (int c = 0; c < 14; c++) {
                    for (int ch = 0; ch < 512; ch++) {
                        reference[shape.index(r, c, ch)] = nchw.getFloat(i, ch, r, c);
                    }
                }
            }
            maxDifference = Math.max(maxDifference, maxDifference(fast[i], reference));
            assertThat(maxDifference(fast[i], reference)).as("image %d", i).isLessThan(1e-4 * norm(reference));
            assertThat(norm(reference)).as("image %d is not all zero", i).isGreaterThan(0.1);
        }
        System.out.printf("conv5_3 grid on %d decoded images: max |fast - zoo graph| = %.3g%n", images.size(), maxDifference);
    }

    /** One VGG16 behind both layers: the view runs the fc7 encoder's network, buffers and all. */
    @Test
    void sharesTheFc7EncodersNetworkInsteadOfCopyingIt() {
        assertThat(seed42.atLayer(EncoderLayer.CONV5_3)).containsSame(grid);
        assertThat(grid.atLayer(EncoderLayer.FC7)).containsSame(seed42);
        assertThat(grid.atLayer(EncoderLayer.CONV5_3)).containsSame(grid);
        List<BufferedImage> batch = List.of(picture(Color.RED, 20), picture(Color.GREEN, 60), picture(Color.BLUE, 100));
        seed42.releaseWorkingMemory();
        grid.encode(batch);
        assertThat(seed42.workingMemoryBytes()).as("the grid's pass sized the fc7 encoder's buffers")
                .isEqualTo(2L * 3 * 224 * 224 * 64 * 4);
        grid.releaseWorkingMemory();
        assertThat(seed42.workingMemoryBytes()).isZero();
    }

    @Test
    void batchesGiveTheSameGridsAsSingleImagesAndFc7IsUnchangedBetweenThem() {
        BufferedImage red = picture(Color.RED, 20);
        BufferedImage green = picture(Color.GREEN, 180);
        float[] fc7Before = seed42.encode(red);
        float[][] batch = grid.encode(List.of(red, green));
        assertThat(maxDifference(batch[0], grid.encode(red))).isLessThan(1e-3 * norm(batch[0]));
        assertThat(maxDifference(batch[1], grid.encode(green))).isLessThan(1e-3 * norm(batch[1]));
        assertThat(maxDifference(batch[0], batch[1])).as("different images, different grids").isGreaterThan(1e-3);
        assertThat(seed42.encode(red)).containsExactly(fc7Before);
    }
}
