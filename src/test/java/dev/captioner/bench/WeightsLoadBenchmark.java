package dev.captioner.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.captioner.TestModels;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.KerasVgg16Files;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.weights.ChecksumAlgorithm;
import dev.captioner.weights.ExpectedChecksum;
import dev.captioner.weights.FetchSettings;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.InstalledWeights;
import dev.captioner.weights.WeightsFetcher;
import dev.captioner.weights.WeightsSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How long VGG16's weights take to load from each source (not a test): the Keras HDF5 file, the DL4J zoo's
 * zip, a seeded random initialisation, the same numbers from the prepared file a later start reads, the SHA-256 the service checks before using a file, and DL4J's own
 * HDF5 reader ({@code Hdf5Archive.readDataSet}) against the encoder's, on files with the real sizes written
 * here from a seeded graph. Medians over alternating rounds; prints one JSON line.
 * <pre>java -cp ... dev.captioner.bench.WeightsLoadBenchmark DIR [rounds]</pre>
 * {@code prepare DIR} instead writes DIR/data with the Keras file installed and DIR/models with the demo decoder
 * active behind {@code imagenet}, for bench/run to time the service's startup with ImageNet weights.
 */
public final class WeightsLoadBenchmark {

    private static final List<String> KERAS_LAYERS = List.of("block1_conv1", "block1_conv2", "block2_conv1",
            "block2_conv2", "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1", "block4_conv2",
            "block4_conv3", "block5_conv1", "block5_conv2", "block5_conv3", "fc1", "fc2");

    public static void main(String[] args) throws Exception {
        if (args[0].equals("prepare")) {
            prepare(Path.of(args[1]));
            return;
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path keras = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        Path zoo = dir.resolve("vgg16_dl4j_inference.zip");
        ComputationGraph graph = VGG16.builder().numClasses(1000).seed(42).build().init();
        if (!Files.exists(keras)) {
            KerasVgg16Files.write(keras, KerasVgg16Files.fromZooGraph(graph));
        }
        if (!Files.exists(zoo)) {
            ModelSerializer.writeModel(graph, zoo.toFile(), false);
        }
        graph = null;
        ModelManifest.WeightsSource source = new ModelManifest.WeightsSource("bench", "bench", null, null, "bench");
        List<Double> kerasSeconds = new ArrayList<>();
        List<Double> zooSeconds = new ArrayList<>();
        List<Double> randomSeconds = new ArrayList<>();
        List<Double> sha256Seconds = new ArrayList<>();
        List<Double> dl4jReaderSeconds = new ArrayList<>();
        List<Double> preparedSeconds = new ArrayList<>();
        // the seeded graph's numbers in the network's own layout, as a start after the first finds them
        ImagenetWeights noneInstalled = new ImagenetWeights(new InstalledWeights(dir.resolve("prepared-only")), null, List.of());
        Vgg16Fc7Encoder.create(EncoderWeights.random(42), noneInstalled);
        for (int round = 0; round < rounds; round++) {
            preparedSeconds.add(seconds(() -> Vgg16Fc7Encoder.create(EncoderWeights.random(42), noneInstalled)));
            kerasSeconds.add(seconds(() -> Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), keras, source)));
            zooSeconds.add(seconds(() -> Vgg16Fc7Encoder.load(EncoderWeights.imagenet(), zoo, source)));
            randomSeconds.add(seconds(() -> Vgg16Fc7Encoder.random(42)));
            sha256Seconds.add(seconds(() -> sha256(keras)));
            dl4jReaderSeconds.add(seconds(() -> readWithHdf5Archive(keras)));
            System.gc();
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"rounds\":%d,\"keras_h5_mb\":%d,\"dl4j_zip_mb\":%d,\"keras_h5_load_seconds\":%.2f,"
                        + "\"dl4j_zip_load_seconds\":%.2f,\"random_init_seconds\":%.2f,\"sha256_seconds\":%.2f,"
                        + "\"dl4j_hdf5_reader_seconds\":%.2f,\"prepared_load_seconds\":%.2f}",
                rounds, Files.size(keras) >> 20, Files.size(zoo) >> 20, median(kerasSeconds), median(zooSeconds),
                median(randomSeconds), median(sha256Seconds), median(dl4jReaderSeconds), median(preparedSeconds)));
    }

    /** DL4J's reader on the same 15 datasets the encoder reads: what KerasVgg16File does not use, and why. */
    private static Object readWithHdf5Archive(Path file) {
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            for (String layer : KERAS_LAYERS) {
                for (String dataset : archive.getDataSets(layer)) {
                    INDArray array = archive.readDataSet(dataset, layer);
                    array.close();
                }
            }
            return archive;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return ChecksumAlgorithm.SHA256.compute(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void prepare(Path dir) throws Exception {
        Path keras = Files.createDirectories(dir).resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        KerasVgg16Files.write(keras, KerasVgg16Files.fromZooGraph(VGG16.builder().numClasses(1000).seed(42).build().init()));
        Path data = dir.resolve("data");
        new WeightsFetcher(FetchSettings.defaults()).installFile(keras,
                List.of(new ExpectedChecksum(ChecksumAlgorithm.SHA256, sha256(keras))), WeightsSettings.installDir(data));
        Files.delete(keras);
        ModelStore store = new ModelStore(dir.resolve("models"));
        store.save(TestModels.demoBehind("imagenet", "demo-imagenet"));
        store.setActive("demo-imagenet");
        System.out.println("{\"prepared\":\"" + dir + "\"}");
    }

    private static double seconds(Supplier<Object> work) {
        long start = System.nanoTime();
        work.get();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
