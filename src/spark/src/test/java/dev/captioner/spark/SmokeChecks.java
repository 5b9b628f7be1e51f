package dev.captioner.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.captioner.dataset.ImageIds;
import dev.captioner.training.FeatureCache;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The checks of scripts/spark-cluster-smoke.sh on what a cluster run left (exit 1 and the reason on any failure):
 * {@code features IMAGES DATA_ROOT WEIGHTS PARQUET}: every image the single-machine {@link FeatureExtractor}
 * encodes has exactly one cache entry, equal to its features, and one Parquet row with the same vector, and nothing
 * else is there; {@code captions PARQUET COUNT}: one Parquet row per image id, COUNT in all.
 */
public final class SmokeChecks {

    private SmokeChecks() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.out.println(switch (args[0]) {
                case "features" -> features(Path.of(args[1]), Path.of(args[2]), args[3], args[4]);
                case "captions" -> captions(args[1], Integer.parseInt(args[2]));
                default -> throw new IllegalArgumentException("features or captions, not " + args[0]);
            });
        } catch (AssertionError e) {
            System.err.println("smoke check failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String features(Path images, Path dataRoot, String weights, String parquet) throws IOException {
        FeatureEncoder encoder = Vgg16Fc7Encoder.create(EncoderWeights.parse(weights), null);
        FeatureCache cache = new FeatureCache(dataRoot.resolve("features"), dataRoot, encoder.id());
        List<Path> files;
        try (Stream<Path> listed = Files.list(images)) {
            files = listed.filter(file -> ImageIds.isImageName(file.getFileName().toString())).sorted().toList();
        }
        float[][] expected = new FeatureExtractor(new ImageDecoder(40_000_000)).extract(files, encoder, 16, done -> { })
                .features();
        int encoded = 0;
        float worst = 0;
        List<float[]> cached = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            float[] entry = cache.get(files.get(i)).orElse(null);
            cached.add(entry);
            if (expected[i] == null) {
                check(entry == null, files.get(i) + " does not decode here but has a cache entry");
                continue;
            }
            check(entry != null, files.get(i) + " has no cache entry");
            worst = Math.max(worst, maxDifference(entry, expected[i]));
            check(worst <= 1e-5f, files.get(i) + ": the cached features differ from this machine's by " + worst);
            encoded++;
        }
        long entries;
        try (Stream<Path> all = Files.walk(cache.folder())) {
            List<String> names = all.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).toList();
            check(names.stream().noneMatch(name -> name.startsWith(".tmp-")), "half-written entries are left in the cache");
            entries = names.stream().filter(name -> name.endsWith(".f32")).count();
        }
        check(entries == encoded, "the cache holds " + entries + " entries for " + encoded + " images");
        int rows = 0;
        Set<String> paths = new HashSet<>();
        try (SparkSession session = Sessions.start("smoke-checks", "local[1]")) {
            for (Row row : session.read().parquet(parquet).collectAsList()) {
                String path = row.getString(row.fieldIndex("path"));
                check(paths.add(path), path + " has two Parquet rows");
                int at = files.indexOf(Path.of(java.net.URI.create(path)));
                check(at >= 0 && cached.get(at) != null, path + " is in Parquet but not an encoded image");
                List<Float> vector = row.getList(row.fieldIndex("features"));
                for (int i = 0; i < vector.size(); i++) {
                    check(vector.get(i) == cached.get(at)[i], path + ": Parquet and the cache differ");
                }
                rows++;
            }
        }
        check(rows == encoded, "Parquet has " + rows + " rows for " + encoded + " images");
        return "features: " + encoded + " images, each once in the cache and in Parquet, equal to this machine's "
                + "within " + worst;
    }

    private static String captions(String parquet, int count) throws IOException {
        Set<Long> ids = new HashSet<>();
        try (SparkSession session = Sessions.start("smoke-checks", "local[1]")) {
            for (Row row : session.read().parquet(parquet).collectAsList()) {
                check(ids.add(row.getLong(row.fieldIndex("image_id"))), "image " + row.getLong(0) + " has two rows");
            }
        }
        check(ids.size() == count, "Parquet has " + ids.size() + " images, " + count + " expected");
        return "captions: " + count + " images, each once in Parquet";
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = a.length == b.length ? 0 : Float.POSITIVE_INFINITY;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
