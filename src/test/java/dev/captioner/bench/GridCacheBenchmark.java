package dev.captioner.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.captioner.language.GridShape;
import dev.captioner.training.FeatureCache;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;

/**
 * What caching conv5_3 grids as float16 instead of float32 costs (not a test): real grids (seeded random VGG16
 * {@code random:42}, images drawn by generate-scenes) go through a float32 and a float16 {@link FeatureCache},
 * and the float16 numbers are compared with the exact ones after the decoder's standardisation (per channel:
 * mean and 1/sqrt(variance + 1% of the mean variance) over every cell of every image, as
 * {@code FeatureStatistics} does per dimension). Prints one JSON line: bytes per entry, what COCO's 123,287
 * images would take, and the errors.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.captioner.bench.GridCacheBenchmark [images] [seed]</pre>
 */
public final class GridCacheBenchmark {

    private static final long COCO_IMAGES = 123_287;

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 48;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 99;
        Path dir = Files.createTempDirectory("grid-cache-bench");
        GeneratedScenes scenes = new ScenesDatasetGenerator(seed).generate(dir, count, 1);
        List<Path> files = scenes.images().stream().map(image -> scenes.imagesDir().resolve(image.fileName())).toList();

        FeatureEncoder grid = Vgg16Fc7Encoder.random(42).atLayer(EncoderLayer.CONV5_3).orElseThrow();
        GridShape shape = EncoderLayer.CONV5_3.grid().orElseThrow();
        FeatureCache exact = new FeatureCache(dir.resolve("features-f32"), dir, grid.id(), FeatureCache.Precision.FLOAT32);
        FeatureCache halves = new FeatureCache(dir.resolve("features-f16"), dir, grid.id(), FeatureCache.Precision.FLOAT16);
        ImageDecoder decoder = new ImageDecoder(40_000_000);
        float[][] features = new float[count][];
        float[][] rounded = new float[count][];
        for (int start = 0; start < count; start += 8) {
            List<BufferedImage> batch = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 8); i++) {
                batch.add(decoder.decode(Files.readAllBytes(files.get(i))));
            }
            float[][] encoded = grid.encode(batch);
            for (int j = 0; j < encoded.length; j++) {
                Path file = files.get(start + j);
                exact.put(file, encoded[j]);
                halves.put(file, encoded[j]);
                features[start + j] = exact.get(file).orElseThrow();
                rounded[start + j] = halves.get(file).orElseThrow();
                if (!Arrays.equals(features[start + j], encoded[j])) {
                    throw new IllegalStateException("the float32 cache changed a grid");
                }
            }
        }

        int channels = shape.channels();
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        double max = 0;
        long zeros = 0;
        for (float[] f : features) {
            for (int k = 0; k < f.length; k++) {
                sum[k % channels] += f[k];
                squares[k % channels] += (double) f[k] * f[k];
                max = Math.max(max, f[k]);
                zeros += f[k] == 0 ? 1 : 0;
            }
        }
        long perChannel = (long) count * shape.positions();
        double[] mean = new double[channels];
        double[] variance = new double[channels];
        double meanVariance = 0;
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / perChannel;
            variance[c] = Math.max(0, squares[c] / perChannel - mean[c] * mean[c]);
            meanVariance += variance[c] / channels;
        }
        double floor = 1e-2 * meanVariance + 1e-12;
        double maxStandardisedError = 0;
        double sumStandardisedError = 0;
        double maxRelativeError = 0;
        double maxRelativeErrorNormal = 0;
        long subnormal = 0;
        long values = 0;
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < features[i].length; k++) {
                double scale = 1 / Math.sqrt(variance[k % channels] + floor);
                double error = Math.abs(rounded[i][k] - (double) features[i][k]) * scale;
                maxStandardisedError = Math.max(maxStandardisedError, error);
                sumStandardisedError += error;
                if (features[i][k] != 0) {
                    double relative = Math.abs(rounded[i][k] - (double) features[i][k]) / Math.abs(features[i][k]);
                    maxRelativeError = Math.max(maxRelativeError, relative);
                    // below 2^-14 float16 is subnormal: a fixed absolute step, so the relative error grows
                    if (Math.abs(features[i][k]) >= 0x1p-14f) {
                        maxRelativeErrorNormal = Math.max(maxRelativeErrorNormal, relative);
                    } else {
                        subnormal++;
                    }
                }
                values++;
            }
        }
        long f32Bytes = entryBytes(exact);
        long f16Bytes = entryBytes(halves);
        System.out.println(String.format(Locale.ROOT,
                "{\"images\":%d,\"encoder\":\"%s\",\"float32_entry_bytes\":%d,\"float16_entry_bytes\":%d,"
                        + "\"coco_float32_gb\":%.2f,\"coco_float16_gb\":%.2f,\"max_feature\":%.4g,\"zero_fraction\":%.4f,"
                        + "\"max_abs_error_standardised\":%.3g,\"mean_abs_error_standardised\":%.3g,"
                        + "\"max_relative_error_nonzero\":%.3g,\"max_relative_error_above_2^-14\":%.3g,"
                        + "\"subnormal_fraction\":%.3g}",
                count, grid.id(), f32Bytes, f16Bytes, COCO_IMAGES * f32Bytes / 1e9, COCO_IMAGES * f16Bytes / 1e9, max,
                zeros / (double) values, maxStandardisedError, sumStandardisedError / values, maxRelativeError,
                maxRelativeErrorNormal, subnormal / (double) values));
    }

    /** The size of one entry on disk (all entries of a cache have the same length). */
    private static long entryBytes(FeatureCache cache) throws IOException {
        try (Stream<Path> entries = Files.walk(cache.folder())) {
            Path entry = entries.filter(p -> p.toString().endsWith(".f32")).findFirst().orElseThrow();
            return Files.size(entry);
        }
    }
}
