package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import dev.captioner.store.ModelManifest;
import dev.captioner.weights.ChecksumAlgorithm;
import dev.captioner.weights.ExpectedChecksum;
import dev.captioner.weights.FetchSettings;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.InstalledWeights;
import dev.captioner.weights.WeightsFetcher;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The prepared file holds the network's own layout: the encoder built from it gives the conversion path's
 * features bit for bit, and a file that is cut short, corrupt, of another source or layout, or half written is
 * never used.
 */
class PreparedVgg16WeightsTest {

    private static final String KEY = PreparedVgg16Weights.sourceKey("ab".repeat(32));

    @TempDir
    static Path shared;
    private static Path kerasFile;
    private static Path installDir;
    private static List<BufferedImage> decodedImages;

    @BeforeAll
    static void installKerasFile() throws Exception {
        kerasFile = shared.resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        KerasVgg16Files.write(kerasFile, KerasVgg16Files.fromZooGraph(VGG16.builder().numClasses(1000).seed(42).build().init()));
        installDir = shared.resolve("data/weights/vgg16");
        new WeightsFetcher(FetchSettings.defaults()).installFile(kerasFile,
                List.of(new ExpectedChecksum(ChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA256.compute(kerasFile))), installDir);
        ImageDecoder decoder = new ImageDecoder(40_000_000);
        decodedImages = List.of(
                decoder.decode(TestImages.encode(Vgg16Fc7EncoderTest.picture(Color.RED, 20), "png")),
                decoder.decode(TestImages.jpeg(TestImages.noise(500, 375, 11), 0.9f)));
    }

    @Test
    void theEncoderFromThePreparedFileGivesTheConversionsFeaturesBitForBit() throws Exception {
        ModelManifest.WeightsSource source = new ModelManifest.WeightsSource("keras-h5", "test.h5", null, null, "test");
        float[][] converted = Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), kerasFile, source).encode(decodedImages);
        ImagenetWeights imagenet = new ImagenetWeights(new InstalledWeights(installDir), null, List.of());
        String key = PreparedVgg16Weights.sourceKey(ChecksumAlgorithm.SHA256.compute(kerasFile));
        Path prepared = new PreparedVgg16Weights(installDir.resolve(PreparedVgg16Weights.FOLDER)).fileFor(key);

        float[][] firstStart = Vgg16Fc7Encoder.create(EncoderWeights.imagenet(), imagenet).encode(decodedImages);
        assertThat(prepared).as("the first start prepares the file").isRegularFile();
        Object inode = Files.readAttributes(prepared, "unix:ino").get("ino");
        System.gc();
        float[][] secondStart = Vgg16Fc7Encoder.create(EncoderWeights.imagenet(), imagenet).encode(decodedImages);
        assertThat(Files.readAttributes(prepared, "unix:ino").get("ino")).as("read, not written again").isEqualTo(inode);

        for (int i = 0; i < decodedImages.size(); i++) {
            assertThat(firstStart[i]).as("image %d, first start", i).containsExactly(converted[i]);
            assertThat(secondStart[i]).as("image %d, from the prepared file", i).containsExactly(converted[i]);
        }
        Vgg16Weights fromFile = new PreparedVgg16Weights(prepared.getParent()).read(key).orElseThrow();
        assertSameNumbers(fromFile, KerasVgg16File.read(kerasFile));
    }

    @Test
    void aSeededInitialisationIsPreparedOnceAndGivesTheSameFeatures(@TempDir Path dir) {
        ImagenetWeights none = new ImagenetWeights(new InstalledWeights(dir), null, List.of());
        float[][] direct = Vgg16Fc7Encoder.random(42).encode(decodedImages);
        Vgg16Fc7Encoder first = Vgg16Fc7Encoder.create(EncoderWeights.random(42), none);
        float[][] prepared = Vgg16Fc7Encoder.create(EncoderWeights.random(42), none).encode(decodedImages);
        assertThat(first.encode(decodedImages)[0]).containsExactly(direct[0]);
        assertThat(prepared[0]).containsExactly(direct[0]);
        assertThat(prepared[1]).containsExactly(direct[1]);
        assertThat(dir.resolve(PreparedVgg16Weights.FOLDER)).isDirectoryContaining(path -> path.toString().contains("random-42-dl4j-"));
    }

    @Test
    void aCorruptTruncatedOrStaleFileIsDeletedAndRebuiltNeverUsed(@TempDir Path dir) throws Exception {
        PreparedVgg16Weights prepared = new PreparedVgg16Weights(dir);
        Vgg16Weights weights = KerasVgg16File.read(kerasFile);
        Path file = prepared.fileFor(KEY);

        prepared.write(KEY, weights);
        assertSameNumbers(prepared.read(KEY).orElseThrow(), weights);

        flipOneBit(file, Files.size(file) / 2);
        assertThat(prepared.read(KEY)).as("a flipped bit in fc6").isEmpty();
        assertThat(file).as("deleted").doesNotExist();
        PreparedVgg16Weights.Loaded rebuilt = prepared.readOrPrepare(KEY, () -> weights);
        assertThat(rebuilt.converted()).isTrue();
        assertSameNumbers(prepared.read(KEY).orElseThrow(), weights);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 4);
        }
        assertThat(prepared.read(KEY)).as("cut short").isEmpty();

        prepared.write(KEY, weights);
        flipOneBit(file, Files.size(file) - 1);
        assertThat(prepared.read(KEY)).as("a flipped bit in the checksum").isEmpty();

        String otherKey = PreparedVgg16Weights.sourceKey("cd".repeat(32));
        prepared.write(KEY, weights);
        Files.copy(file, prepared.fileFor(otherKey), StandardCopyOption.REPLACE_EXISTING);
        assertThat(prepared.read(otherKey)).as("another source's file under this key's name").isEmpty();

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(8);
            raf.write(new byte[] {(byte) (PreparedVgg16Weights.LAYOUT_VERSION + 1), 0, 0, 0});  // little-endian int
        }
        assertThat(prepared.read(KEY)).as("another layout version").isEmpty();
        Files.write(file, new byte[] {1, 2, 3});
        assertThat(prepared.read(KEY)).as("not a prepared file at all").isEmpty();
        assertThat(prepared.readOrPrepare(KEY, () -> weights).converted()).isTrue();
        assertThat(prepared.readOrPrepare(KEY, () -> {
            throw new AssertionError("a usable file must not be converted again");
        }).converted()).isFalse();
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNeitherAFileNorATemporaryOne(@TempDir Path dir) throws Exception {
        PreparedVgg16Weights prepared = new PreparedVgg16Weights(dir);
        Vgg16Weights weights = KerasVgg16File.read(kerasFile);
        // fc7's kernel as a view into a larger array: refused once the convolutions and fc6 are written
        INDArray larger = Nd4j.create(DataType.FLOAT, 2, Vgg16Weights.FC_SIZE, Vgg16Weights.FC_SIZE);
        INDArray view = larger.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
        assertThat(view.isView()).isTrue();
        Vgg16Weights unwritable = new Vgg16Weights(weights.convolutions(), weights.fc6(),
                new Vgg16Weights.Dense("fc2", view, weights.fc7().bias()));

        assertThatThrownBy(() -> prepared.write(KEY, unwritable)).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("nothing left behind").isEmpty();
        }
        prepared.write(KEY, weights);
        assertThatThrownBy(() -> prepared.write(KEY, unwritable)).isInstanceOf(IllegalArgumentException.class);
        assertSameNumbers(prepared.read(KEY).orElseThrow(), weights);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the complete file, untouched").containsExactly(prepared.fileFor(KEY));
        }
    }

    private static void flipOneBit(Path file, long position) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x10);
        }
    }

    private static void assertSameNumbers(Vgg16Weights actual, Vgg16Weights expected) {
        for (int i = 0; i < expected.convolutions().size(); i++) {
            assertSame(actual.convolutions().get(i).kernel(), expected.convolutions().get(i).kernel(), "conv " + i);
            assertSame(actual.convolutions().get(i).bias(), expected.convolutions().get(i).bias(), "conv bias " + i);
            assertThat(actual.convolutions().get(i).name()).isEqualTo(expected.convolutions().get(i).name());
        }
        assertSame(actual.fc6().kernel(), expected.fc6().kernel(), "fc6");
        assertSame(actual.fc6().bias(), expected.fc6().bias(), "fc6 bias");
        assertSame(actual.fc7().kernel(), expected.fc7().kernel(), "fc7");
        assertSame(actual.fc7().bias(), expected.fc7().bias(), "fc7 bias");
    }

    /** Bit for bit; AssertJ's containsExactly would diff 100M-element arrays for minutes on a mismatch. */
    private static void assertSame(INDArray actual, INDArray expected, String what) {
        assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
        int mismatch = java.util.Arrays.mismatch(actual.data().asFloat(), expected.data().asFloat());
        assertThat(mismatch).as("%s: first differing element", what).isEqualTo(-1);
    }
}
