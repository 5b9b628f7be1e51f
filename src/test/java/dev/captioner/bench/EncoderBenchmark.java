package dev.captioner.bench;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.captioner.compute.Matmul;
import dev.captioner.vision.Dl4jRuntime;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.TestImages;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.vision.Vgg16Preprocessor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VGG16 to fc7 on this machine (not a test): seconds per image for one 224x224 image (median of repeats after
 * a warm-up) and per image in batches, through the service's encoder. Prints one JSON line.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.captioner.bench.EncoderBenchmark [repeats] [batch]</pre>
 * {@code grid [rounds] [batch]} compares fc7 with the conv5_3 grid of the same network instead: each round times
 * one image and one batch through both, in alternating order, so that a noisy neighbour slows both alike; it
 * prints the medians and their ratios.
 */
public final class EncoderBenchmark {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("grid")) {
            gridAgainstFc7(args.length > 1 ? Integer.parseInt(args[1]) : 9, args.length > 2 ? Integer.parseInt(args[2]) : 8);
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        double sgemmGflops = sgemmGflops();
        Vgg16Fc7Encoder encoder = Vgg16Fc7Encoder.random(42);
        List<BufferedImage> images = noiseImages(batch, 7);
        double single = medianSecondsPerImage(encoder, images.subList(0, 1), repeats);
        double batched = medianSecondsPerImage(encoder, images, Math.max(3, repeats / 3));
        System.out.println(String.format(Locale.ROOT,
                "{\"encoder\":\"%s\",\"onednn_build\":%s,\"seconds_per_image\":%.4f,\"batch\":%d,"
                        + "\"batched_seconds_per_image\":%.4f,\"batched_images_per_second\":%.3f,"
                        + "\"sgemm_gflops\":%.1f,\"floor_seconds_per_image\":%.4f}",
                encoder.id(), Dl4jRuntime.oneDnnBuild(), single, batch, batched, 1 / batched,
                sgemmGflops, VGG16_FC7_FLOP / (sgemmGflops * 1e9)));
    }

    private static void gridAgainstFc7(int rounds, int batch) {
        Vgg16Fc7Encoder fc7 = Vgg16Fc7Encoder.random(42);
        FeatureEncoder grid = fc7.atLayer(EncoderLayer.CONV5_3).orElseThrow();
        List<BufferedImage> images = noiseImages(batch, 7);
        List<BufferedImage> one = images.subList(0, 1);
        fc7.encode(images);
        grid.encode(images);
        double[][] seconds = new double[4][rounds];  // fc7 single, grid single, fc7 batch, grid batch
        for (int r = 0; r < rounds; r++) {
            boolean fc7First = r % 2 == 0;
            seconds[fc7First ? 0 : 1][r] = seconds(fc7First ? fc7 : grid, one);
            seconds[fc7First ? 1 : 0][r] = seconds(fc7First ? grid : fc7, one);
            seconds[fc7First ? 2 : 3][r] = seconds(fc7First ? fc7 : grid, images) / batch;
            seconds[fc7First ? 3 : 2][r] = seconds(fc7First ? grid : fc7, images) / batch;
        }
        double[] median = new double[4];
        for (int k = 0; k < 4; k++) {
            median[k] = median(seconds[k]);
        }
        // each round's own ratio: both passes of a round ran seconds apart, so a neighbour's load cancels out
        double[] singleRatios = new double[rounds];
        double[] batchedRatios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            singleRatios[r] = seconds[1][r] / seconds[0][r];
            batchedRatios[r] = seconds[3][r] / seconds[2][r];
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"rounds\":%d,\"batch\":%d,\"onednn_build\":%s,\"fc7_seconds_per_image\":%.4f,"
                        + "\"grid_seconds_per_image\":%.4f,\"grid_over_fc7_single\":%.3f,"
                        + "\"fc7_batched_seconds_per_image\":%.4f,\"grid_batched_seconds_per_image\":%.4f,"
                        + "\"grid_over_fc7_batched\":%.3f,\"fc7_seconds_per_batch\":%.4f,\"grid_seconds_per_batch\":%.4f,"
                        + "\"median_round_ratio_single\":%.3f,\"median_round_ratio_batched\":%.3f}",
                rounds, batch, Dl4jRuntime.oneDnnBuild(), median[0], median[1], median[1] / median[0],
                median[2], median[3], median[3] / median[2], median[2] * batch, median[3] * batch,
                median(singleRatios), median(batchedRatios)));
    }

    private static double seconds(FeatureEncoder encoder, List<BufferedImage> images) {
        long start = System.nanoTime();
        encoder.encode(images);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Floating-point operations of VGG16 up to fc7 for one 224x224 image: 13 convolutions + fc6 + fc7 are
     * 15.47 G multiply-adds, two operations each (the convention sgemm GFLOPS are quoted in).
     */
    static final double VGG16_FC7_FLOP = 30.93e9;

    /**
     * The machine's practical float32 peak: a 2048x2048 matrix product, best of five, through whichever is
     * faster here, oneDNN's matmul or ND4J's bundled OpenBLAS.
     */
    static double sgemmGflops() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2048, 2048);
        INDArray b = Nd4j.rand(DataType.FLOAT, 2048, 2048);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 6; r++) {
            long start = System.nanoTime();
            INDArray c = r % 2 == 0 ? Matmul.product(a, b) : a.mmul(b);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            c.close();
        }
        return 2.0 * 2048 * 2048 * 2048 / best / 1e9;
    }

    /** One warm-up pass, then the median of {@code repeats} timed passes, divided by the batch size. */
    static double medianSecondsPerImage(Vgg16Fc7Encoder encoder, List<BufferedImage> images, int repeats) {
        encoder.encode(images);
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            encoder.encode(images);
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        return median(seconds) / images.size();
    }

    /** 224x224 so that no resizing is timed: the peer is timed from a ready tensor too. */
    static List<BufferedImage> noiseImages(int count, long seed) {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(TestImages.noise(Vgg16Preprocessor.SIZE, Vgg16Preprocessor.SIZE, seed + i));
        }
        return images;
    }
}
