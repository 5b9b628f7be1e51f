package dev.captioner.bench;

import java.util.Locale;
import java.util.Random;

import dev.captioner.compute.Workspaces;
import dev.captioner.language.AttentionDecoder;
import dev.captioner.language.AttentionDimensions;
import dev.captioner.language.Vocabulary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Draft: forward+backward time of the attention decoder at the peer's sizes. */
public final class AttentionDecoderBenchmark {

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batch = 100, time = 17, vocabulary = 10_000;
        AttentionDimensions dims = new AttentionDimensions(vocabulary, 512, 512, 14, 14, 512, 512);
        float[] mean = new float[512];
        float[] scale = new float[512];
        java.util.Arrays.fill(scale, 1f);
        AttentionDecoder decoder = AttentionDecoder.initialize(dims, mean, scale, 1, DataType.FLOAT);
        Random random = new Random(1);
        INDArray grids = Nd4j.rand(DataType.FLOAT, batch, dims.featureSize());
        int[][] sequences = new int[batch][time + 1];
        for (int[] s : sequences) {
            s[0] = Vocabulary.START_ID;
            for (int w = 1; w < time; w++) {
                s[w] = 4 + random.nextInt(vocabulary - 4);
            }
            s[time] = Vocabulary.END_ID;
        }
        double total = 0;
        for (int i = 0; i <= steps; i++) {
            long start = System.nanoTime();
            try (MemoryWorkspace ignored = Workspaces.open("bench-attention")) {
                decoder.lossAndGradients(grids, sequences, 0, 1, random);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.println("step " + i + ": " + seconds + " s");
            if (i > 0) {
                total += seconds;
            }
        }
        double perStep = total / steps;
        System.out.println(String.format(Locale.ROOT, "{\"seconds_per_step\":%.3f,\"tokens_per_second\":%.1f}",
                perStep, batch * time / perStep));
    }
}
