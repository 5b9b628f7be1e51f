package dev.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.captioner.config.JsonFiles;
import dev.captioner.training.FeatureCache;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code features} job on {@code local[2]} against what the training job's own feature step stores: the
 * single-machine {@link FeatureExtractor} through the same seeded VGG16 into a {@link FeatureCache}.
 */
class FeaturesJobTest {

    private static final int IMAGES = 14;
    private static Vgg16Fc7Encoder reference;

    @TempDir
    Path dataRoot;

    @BeforeAll
    static void buildReferenceEncoder() {
        reference = Vgg16Fc7Encoder.random(42);
    }

    @AfterAll
    static void dropReferenceEncoder() {
        reference = null;
    }

    @Test
    void fillsTheTrainingJobsCacheWithTheSingleMachineFeaturesCountsTheUnreadableAndReusesOnARerun() throws IOException {
        GeneratedImages images = GeneratedImages.in(dataRoot.resolve("shapes"), IMAGES);
        Path parquet = dataRoot.resolve("out/features.parquet");

        JobRun run = JobRun.of("features", "--master", "local[2]", "--images", images.dataset().imagesDir().toString(),
                "--data-root", dataRoot.toString(), "--weights", "random:42", "--images-per-task", "4", "--batch", "3",
                "--parquet", parquet.toString(), "--report", dataRoot.resolve("out/report.json").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lastLine()).isEqualTo("features: images=" + (IMAGES + 1) + " encoded=" + IMAGES
                + " reused=0 skipped=1 [1 " + FeatureExtractor.NOT_A_READABLE_IMAGE + "]");
        assertThat(run.out()).contains("skipped " + images.broken().toUri().toString().replace("file:///", "file:/"));
        assertThat(Files.readString(dataRoot.resolve("out/report.json"))).contains("broken_000000999.png")
                .contains("\"encoded\" : " + IMAGES);

        // what the training job's feature step would find: a FeatureCache over the same data dir and encoder
        FeatureCache cache = new FeatureCache(dataRoot.resolve("features"), dataRoot, reference.id());
        List<Path> files = images.dataset().images().stream()
                .map(image -> images.dataset().imagesDir().resolve(image.fileName())).toList();
        float[][] expected = new FeatureExtractor(new ImageDecoder(40_000_000)).extract(files, reference, 16, done -> { })
                .features();
        for (int i = 0; i < files.size(); i++) {
            float[] cached = cache.get(files.get(i)).orElseThrow(() -> new AssertionError("not in the cache"));
            assertThat(maxDifference(cached, expected[i])).as(files.get(i).toString()).isLessThanOrEqualTo(1e-5f);
        }
        assertThat(cache.get(images.broken())).isEmpty();
        assertThat(cacheFiles()).filteredOn(name -> name.contains(".tmp-") || name.endsWith(".crc")).isEmpty();
        assertThat(cacheFiles()).filteredOn(name -> name.endsWith(".f32")).hasSize(IMAGES);
        assertThat(cache.bindTo(reference)).as("the probe recorded by the job is this encoder's").isEmpty();

        Map<String, float[]> fromParquet = parquetFeatures(parquet);
        assertThat(fromParquet).hasSize(IMAGES);
        for (int i = 0; i < files.size(); i++) {
            assertThat(fromParquet.get(files.get(i).getFileName().toString())).isEqualTo(cache.get(files.get(i)).orElseThrow());
        }

        JobRun again = JobRun.of("features", "--master", "local[2]", "--images", images.dataset().imagesDir().toString(),
                "--data-root", dataRoot.toString(), "--weights", "random:42");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.lastLine()).isEqualTo("features: images=" + (IMAGES + 1) + " encoded=0 reused=" + IMAGES
                + " skipped=1 [1 " + FeatureExtractor.NOT_A_READABLE_IMAGE + "]");
    }

    @Test
    void takesACocoCaptionsFilesImagesAndWritesTheConv5GridsTheAttentionDecoderTrainsOn() throws IOException {
        GeneratedImages images = GeneratedImages.in(dataRoot.resolve("coco"), 3);
        // one image in a sub-folder (as Karpathy's file names are), one the folder does not hold
        Path sub = Files.createDirectories(images.dataset().imagesDir().resolve("extra"));
        Files.copy(images.dataset().imagesDir().resolve(images.dataset().images().get(1).fileName()), sub.resolve("copy.png"));
        ObjectNode captions = (ObjectNode) JsonFiles.MAPPER.readTree(images.dataset().annotationsFile().toFile());
        ((ArrayNode) captions.get("images")).addObject().put("id", 500).put("file_name", "extra/copy.png");
        ((ArrayNode) captions.get("images")).addObject().put("id", 501).put("file_name", "gone.png");
        JsonFiles.MAPPER.writeValue(images.dataset().annotationsFile().toFile(), captions);

        JobRun run = JobRun.of("features", "--master", "local[2]", "--images", images.dataset().imagesDir().toString(),
                "--captions", images.dataset().annotationsFile().toString(), "--data-root", dataRoot.toString(),
                "--weights", "random:42", "--layer", "conv5_3", "--precision", "float16");

        assertThat(run.exitCode()).as(run.err()).isZero();
        // the broken file is not in the captions file: not the training set's, not counted
        assertThat(run.lastLine()).isEqualTo("features: images=5 encoded=4 reused=0 skipped=1 [1 missing]");
        assertThat(run.out()).contains("gone.png: missing");
        FeatureEncoder grid = reference.atLayer(EncoderLayer.CONV5_3).orElseThrow();
        FeatureCache cache = new FeatureCache(dataRoot.resolve("features"), dataRoot, grid.id(),
                FeatureCache.Precision.FLOAT16);
        Path first = images.dataset().imagesDir().resolve(images.dataset().images().get(0).fileName());
        float[] cached = cache.get(first).orElseThrow();
        float[] expected = new FeatureExtractor(new ImageDecoder(40_000_000)).extract(List.of(first), grid, 1, done -> { })
                .features()[0];
        assertThat(cached).hasSize(14 * 14 * 512);
        assertThat(cache.get(sub.resolve("copy.png"))).isPresent();
        // float16 keeps about three significant digits
        for (int i = 0; i < cached.length; i++) {
            assertThat(Math.abs(cached[i] - expected[i])).isLessThanOrEqualTo(Math.abs(expected[i]) / 500 + 1e-4f);
        }
    }

    @Test
    void refusesImagenetWeightsWithoutAFileAndADataRootTheImagesAreNotIn() throws IOException {
        GeneratedImages images = GeneratedImages.in(dataRoot.resolve("shapes"), 1);

        JobRun noWeights = JobRun.of("features", "--master", "local[2]", "--images",
                images.dataset().imagesDir().toString(), "--data-root", dataRoot.toString());
        assertThat(noWeights.exitCode()).isEqualTo(2);
        assertThat(noWeights.err()).contains("ImageNet weights need --weights-file");

        JobRun outside = JobRun.of("features", "--master", "local[2]", "--images",
                images.dataset().imagesDir().toString(), "--data-root", dataRoot.resolve("elsewhere").toString(),
                "--weights", "random:42");
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.err()).contains("is not inside the data root");
    }

    private static float maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataRoot.resolve("features"))) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }

    private static Map<String, float[]> parquetFeatures(Path parquet) throws IOException {
        Map<String, float[]> features = new HashMap<>();
        try (SparkSession session = Sessions.start("read-parquet", "local[1]")) {
            for (Row row : session.read().parquet(parquet.toString()).collectAsList()) {
                List<Float> vector = row.getList(row.fieldIndex("features"));
                float[] values = new float[vector.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = vector.get(i);
                }
                String path = row.getString(row.fieldIndex("path"));
                assertThat(features.put(path.substring(path.lastIndexOf('/') + 1), values)).as("once: " + path).isNull();
            }
        }
        return features;
    }
}
