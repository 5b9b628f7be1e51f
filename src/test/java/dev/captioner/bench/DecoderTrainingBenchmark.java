package dev.captioner.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.captioner.language.Vocabulary;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.TrainingConfig;

/**
 * Decoder training throughput (not a test), in the configuration of the PyTorch peer ({@code bench/peer_lstm.py}):
 * vocabulary 10,000, hidden 512, embedding 512, batch 100, 17 time steps per caption (16 words + END), Adam,
 * gradient clipping at 5, no dropout (the peer has none). Random fc7-like features and random word ids: speed
 * does not depend on what the words are. One warm-up epoch of {@code steps} batches, then a timed one; prints
 * one JSON line with seconds per step and tokens per second, and the implied minutes per epoch of Karpathy's
 * COCO training split.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.captioner.bench.DecoderTrainingBenchmark [steps]</pre>
 */
public final class DecoderTrainingBenchmark {

    static final int VOCABULARY = 10_000;
    static final int BATCH = 100;
    static final int TIME_STEPS = 17;
    static final int COCO_TRAIN_CAPTIONS = 566_747;   // 113,287 Karpathy train+restval images x ~5
    static final double COCO_MEAN_TARGETS = 11.5;     // ~10.5 words + END

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int captions = steps * BATCH;
        Random random = new Random(1);
        float[][] features = new float[captions][4096];
        for (float[] row : features) {
            for (int k = 0; k < row.length; k++) {
                row[k] = random.nextFloat() < 0.3 ? random.nextFloat() * 4 : 0; // sparse, non-negative like fc7
            }
        }
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < captions; i++) {
            int[] sequence = new int[TIME_STEPS + 1];  // START, 16 words, END: 17 inputs and 17 targets
            sequence[0] = Vocabulary.START_ID;
            for (int w = 1; w < TIME_STEPS; w++) {
                sequence[w] = 4 + random.nextInt(VOCABULARY - 4);
            }
            sequence[TIME_STEPS] = Vocabulary.END_ID;
            train.add(new CaptionExample(i, sequence));
        }
        TrainingConfig config = new TrainingConfig(512, 512, 2, BATCH, 1e-3, 1.0, 5, 0, 0, 1);
        DecoderTrainer.Run run = new DecoderTrainer(config).start(features, train, List.of(), VOCABULARY, null);
        run.runEpoch(() -> false, f -> { });  // warm-up
        DecoderTrainer.EpochResult timed = run.runEpoch(() -> false, f -> { });
        double tokensPerSecond = timed.tokensPerSecond();
        System.out.println(String.format(Locale.ROOT,
                "{\"vocabulary\":%d,\"hidden\":512,\"embedding\":512,\"batch\":%d,\"steps_per_sequence\":%d,"
                        + "\"seconds_per_step\":%.3f,\"tokens_per_second\":%.1f,\"coco_epoch_minutes\":%.0f}",
                VOCABULARY, BATCH, TIME_STEPS, timed.seconds() / steps, tokensPerSecond,
                COCO_TRAIN_CAPTIONS * COCO_MEAN_TARGETS / tokensPerSecond / 60));
    }
}
