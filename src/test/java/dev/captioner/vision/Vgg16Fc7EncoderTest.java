package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.store.ModelManifest;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vgg16Fc7EncoderTest {

    private static Vgg16Fc7Encoder seed42;

    @BeforeAll
    static void createEncoder() {
        seed42 = Vgg16Fc7Encoder.random(42);
    }

    static BufferedImage picture(Color shape, int x) {
        BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(235, 230, 220));
        g.fillRect(0, 0, 300, 200);
        g.setColor(shape);
        g.fillOval(x, 50, 90, 90);
        g.dispose();
        return image;
    }

    @Test
    void producesFc7Vectors() {
        float[] features = seed42.encode(picture(Color.RED, 20));
        assertThat(features).hasSize(4096);
        int positive = 0;
        for (float f : features) {
            assertThat(f).as("fc7 is taken after its ReLU").isGreaterThanOrEqualTo(0f);
            positive += f > 0 ? 1 : 0;
        }
        assertThat(positive).isBetween(100, 4000);
        assertThat(seed42.id()).isEqualTo("vgg16/random:42");
    }

    @Test
    void sameSeedGivesTheSameFeaturesAndAnotherSeedDoesNot() {
        BufferedImage image = picture(Color.BLUE, 150);
        float[] first = seed42.encode(image);
        float[] again = Vgg16Fc7Encoder.random(42).encode(image);
        assertThat(again).containsExactly(first);
        float[] otherSeed = Vgg16Fc7Encoder.random(43).encode(image);
        assertThat(maxDifference(first, otherSeed)).isGreaterThan(1e-2);
    }

    @Test
    void batchesGiveTheSameFeaturesAsSingleImages() {
        BufferedImage red = picture(Color.RED, 20);
        BufferedImage green = picture(Color.GREEN, 180);
        float[][] batch = seed42.encode(List.of(red, green));
        assertThat(maxDifference(batch[0], seed42.encode(red))).isLessThan(1e-3 * norm(batch[0]));
        assertThat(maxDifference(batch[1], seed42.encode(green))).isLessThan(1e-3 * norm(batch[1]));
        assertThat(maxDifference(batch[0], batch[1])).as("different images, different features").isGreaterThan(1e-3);
    }

    /**
     * The fast pass must compute what the zoo's ComputationGraph computes with the same weights: decoded PNG
     * and JPEG files of several sizes (and PngSuite's photographs-free but real files, when ../shared is there),
     * through DL4J's own layers.
     */
    @Test
    void givesTheZooGraphsFc7FeaturesOnDecodedImageFiles() throws Exception {
        ImageDecoder decoder = new ImageDecoder(40_000_000);
        List<BufferedImage> images = new java.util.ArrayList<>();
        images.add(decoder.decode(TestImages.encode(picture(Color.RED, 20), "png")));
        images.add(decoder.decode(TestImages.jpeg(TestImages.noise(640, 480, 3), 0.9f)));
        images.add(decoder.decode(TestImages.jpeg(picture(Color.BLUE, 150), 0.8f)));
        Path pngSuite = Path.of("../shared/fixtures/pngsuite/png");
        for (String name : List.of("basn2c08.png", "basn6a16.png", "tbrn2c08.png")) {
            if (Files.isRegularFile(pngSuite.resolve(name))) {
                images.add(decoder.decode(Files.readAllBytes(pngSuite.resolve(name))));
            }
        }
        ComputationGraph zoo = VGG16.builder().numClasses(1000).seed(42).build().init();
        float[][] reference = zoo.feedForward(Vgg16Preprocessor.toInput(images), false)
                .get(Vgg16Fc7Encoder.FC7).toFloatMatrix();
        float[][] fast = seed42.encode(images);
        double maxDifference = 0;
        double maxFeature = 0;
        for (int i = 0; i < images.size(); i++) {
            maxDifference = Math.max(maxDifference, maxDifference(fast[i], reference[i]));
            for (float f : reference[i]) {
                maxFeature = Math.max(maxFeature, f);
            }
            assertThat(maxDifference(fast[i], reference[i])).as("image %d", i).isLessThan(1e-4 * norm(reference[i]));
        }
        System.out.printf("fc7 on %d decoded images: max |fast - zoo graph| = %.3g (largest feature %.3g)%n",
                images.size(), maxDifference, maxFeature);
        assertThat(maxFeature).as("features are not all zero").isGreaterThan(0.1);
    }

    /** A training job's feature batches size the shared encoder's buffers; after the job they are given back. */
    @Test
    void givesItsBatchSizedBuffersBackAndStillEncodesTheSame() {
        List<BufferedImage> batch = List.of(picture(Color.RED, 20), picture(Color.GREEN, 60), picture(Color.BLUE, 100));
        seed42.releaseWorkingMemory();  // other tests' batches may have sized them already
        float[][] before = seed42.encode(batch);
        assertThat(seed42.workingMemoryBytes()).as("two 224x224x64 float buffers per image")
                .isEqualTo(2L * 3 * 224 * 224 * 64 * 4);
        seed42.releaseWorkingMemory();
        assertThat(seed42.workingMemoryBytes()).isZero();
        assertThat(seed42.encode(batch)).isDeepEqualTo(before);
        assertThat(seed42.workingMemoryBytes()).isEqualTo(2L * 3 * 224 * 224 * 64 * 4);
    }

    @Test
    void refusesGraphsThatAreNotVgg16Shaped() {
        ComputationGraph vgg19 = VGG19.builder().numClasses(1000).seed(1).build().init();
        assertThatThrownBy(() -> Vgg16GraphWeights.from(vgg19))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VGG16");
    }

    /** The DL4J zoo's file format (here: a saved seeded graph) loads into the same features as the graph. */
    @Test
    void loadsVgg16WeightsFromADl4jZooFile(@TempDir Path dir) throws Exception {
        ComputationGraph graph = VGG16.builder().numClasses(1000).seed(42).build().init();
        Path file = dir.resolve("vgg16_dl4j_inference.zip");
        ModelSerializer.writeModel(graph, file.toFile(), false);
        ModelManifest.WeightsSource source = new ModelManifest.WeightsSource("dl4j-zip", file.getFileName().toString(),
                null, null, "test");
        Vgg16Fc7Encoder fromFile = Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), file, source);
        assertThat(fromFile.id()).isEqualTo("vgg16/imagenet");
        assertThat(fromFile.source()).isEqualTo(source);
        BufferedImage image = picture(Color.MAGENTA, 60);
        assertThat(fromFile.encode(image)).containsExactly(seed42.encode(image));
    }

    @Test
    void refusesFilesThatAreNotVgg16(@TempDir Path dir) throws Exception {
        ModelManifest.WeightsSource source = new ModelManifest.WeightsSource("dl4j-zip", "x", null, null, "test");
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), missing, source))
                .hasMessageContaining("does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage.zip"), "not a model");
        assertThatThrownBy(() -> Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), garbage, source))
                .hasMessageContaining("neither a Keras HDF5 file nor a DL4J zip");
        Path notAGraph = dir.resolve("other.zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(notAGraph))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        assertThatThrownBy(() -> Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), notAGraph, source))
                .hasMessageContaining("not a DL4J ComputationGraph");
    }

    @Test
    void parsesWeightChoices() {
        assertThat(EncoderWeights.parse("random:7")).isEqualTo(EncoderWeights.random(7));
        assertThat(EncoderWeights.parse(" ImageNet ")).isEqualTo(EncoderWeights.imagenet());
        assertThat(EncoderWeights.random(7).toString()).isEqualTo("random:7");
        assertThatThrownBy(() -> EncoderWeights.parse("random:x")).hasMessageContaining("integer");
        assertThatThrownBy(() -> EncoderWeights.parse("resnet")).hasMessageContaining("not understood");
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double norm(float[] a) {
        double sum = 0;
        for (float f : a) {
            sum += f * f;
        }
        return Math.sqrt(sum);
    }
}
