package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.store.ModelManifest;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Keras Applications VGG16 file, written here in exactly its layout with the numbers of a seeded zoo
 * graph (turned into Keras' conventions by index arithmetic in the test, not by the production code's
 * permutes), must load into the same network as those numbers put in directly, and give DL4J's own fc7.
 */
class KerasVgg16FileTest {

    private static final ModelManifest.WeightsSource TEST_SOURCE =
            new ModelManifest.WeightsSource("keras-h5", "test.h5", "0".repeat(64), null, "test");

    @TempDir
    static Path dir;
    private static ComputationGraph graph;
    private static Path kerasFile;

    @BeforeAll
    static void writeKerasFile() {
        graph = VGG16.builder().numClasses(1000).seed(42).build().init();
        kerasFile = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        KerasVgg16Files.write(kerasFile, KerasVgg16Files.fromZooGraph(graph));
    }

    @Test
    void loadsTheSameNumbersAsTheGraphPutInDirectly() {
        Vgg16Weights fromKeras = KerasVgg16File.read(kerasFile);
        Vgg16Weights direct = Vgg16GraphWeights.from(graph);
        for (int i = 0; i < direct.convolutions().size(); i++) {
            assertSameNumbers(fromKeras.convolutions().get(i).kernel(), direct.convolutions().get(i).kernel(), "conv " + i + " kernel");
            assertSameNumbers(fromKeras.convolutions().get(i).bias(), direct.convolutions().get(i).bias(), "conv " + i + " bias");
        }
        assertSameNumbers(fromKeras.fc6().kernel(), direct.fc6().kernel(), "fc6 kernel");
        assertSameNumbers(fromKeras.fc6().bias(), direct.fc6().bias(), "fc6 bias");
        assertSameNumbers(fromKeras.fc7().kernel(), direct.fc7().kernel(), "fc7 kernel");
        assertSameNumbers(fromKeras.fc7().bias(), direct.fc7().bias(), "fc7 bias");

        BufferedImage image = Vgg16Fc7EncoderTest.picture(Color.ORANGE, 40);
        float[] loaded = Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), kerasFile, TEST_SOURCE).encode(image);
        assertThat(loaded).containsExactly(Vgg16Fc7Encoder.random(42).encode(image));
    }

    /** Bit for bit; AssertJ's containsExactly would diff 100M-element arrays for minutes on a mismatch. */
    private static void assertSameNumbers(INDArray actual, INDArray expected, String what) {
        assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
        float[] a = actual.data().asFloat();
        float[] e = expected.data().asFloat();
        int mismatch = java.util.Arrays.mismatch(a, e);
        assertThat(mismatch).as("%s: first differing element %d (%s vs %s)", what, mismatch,
                mismatch >= 0 && mismatch < a.length ? a[mismatch] : "-", mismatch >= 0 && mismatch < e.length ? e[mismatch] : "-")
                .isEqualTo(-1);
    }

    @Test
    void givesTheZooGraphsFc7OnDecodedImages() {
        ImageDecoder decoder = new ImageDecoder(40_000_000);
        List<BufferedImage> images = new ArrayList<>();
        images.add(decoder.decode(TestImages.encode(Vgg16Fc7EncoderTest.picture(Color.RED, 20), "png")));
        images.add(decoder.decode(TestImages.jpeg(TestImages.noise(500, 375, 11), 0.9f)));
        float[][] reference = graph.feedForward(Vgg16Preprocessor.toInput(images), false)
                .get(Vgg16Fc7Encoder.FC7).toFloatMatrix();
        Vgg16Fc7Encoder encoder = Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), kerasFile, TEST_SOURCE);
        float[][] fromKeras = encoder.encode(images);
        for (int i = 0; i < images.size(); i++) {
            double difference = Vgg16Fc7EncoderTest.maxDifference(fromKeras[i], reference[i]);
            System.out.printf("Keras-layout file vs zoo graph, image %d: max |diff| %.3g (norm %.3g)%n",
                    i, difference, Vgg16Fc7EncoderTest.norm(reference[i]));
            assertThat(difference).as("image %d", i).isLessThan(1e-4 * Vgg16Fc7EncoderTest.norm(reference[i]));
        }
        assertThat(encoder.source()).isEqualTo(TEST_SOURCE);
        assertThat(encoder.id()).isEqualTo("vgg16/imagenet");
    }

    @Test
    void refusesTheNoTopFileAndOtherShapes(@TempDir Path temp) throws Exception {
        List<KerasVgg16Files.KerasLayer> layers = KerasVgg16Files.fromZooGraph(graph);
        Path noTop = temp.resolve("notop.h5");
        KerasVgg16Files.write(noTop, layers, false);
        assertThatThrownBy(() -> KerasVgg16File.read(noTop))
                .hasMessageContaining("no layer 'fc1'").hasMessageContaining("_notop");

        List<KerasVgg16Files.KerasLayer> narrow = new ArrayList<>(layers);
        KerasVgg16Files.KerasLayer first = narrow.get(0);
        narrow.set(0, new KerasVgg16Files.KerasLayer(first.name(), new float[3 * 3 * 3 * 32], new long[] {3, 3, 3, 32}, new float[32]));
        Path wrongShape = temp.resolve("narrow.h5");
        KerasVgg16Files.write(wrongShape, narrow.subList(0, 2));
        assertThatThrownBy(() -> KerasVgg16File.read(wrongShape))
                .hasMessageContaining("block1_conv1").hasMessageContaining("[3, 3, 3, 32]").hasMessageContaining("[3, 3, 3, 64]");

        Path notHdf5 = Files.writeString(temp.resolve("garbage.h5"), "not an HDF5 file");
        assertThatThrownBy(() -> KerasVgg16File.read(notHdf5)).hasMessageContaining("not an HDF5 file");
    }
}
