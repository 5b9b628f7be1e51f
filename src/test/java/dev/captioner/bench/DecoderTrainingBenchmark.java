package dev.captioner.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.captioner.language.Vocabulary;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.TrainingConfig;

/**
 * Decoder training throughput at COCO's sizes (not a test): random fc7-like features and random captions
 * of COCO's length distribution, a COCO-sized vocabulary, H = E = 512, batch 100. Prints tokens per second
 * and the implied minutes per epoch of Karpathy's COCO training split.
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) dev.captioner.bench.DecoderEpochBenchmark [captions]</pre>
 */
public final class DecoderEpochBenchmark {

    static final int COCO_TRAIN_CAPTIONS = 566_747;   // 113,287 Karpathy train+restval images x ~5
    static final int COCO_VOCABULARY = 9_490;         // words seen >= 5 times in those captions, plus 4 reserved
    static final double COCO_MEAN_WORDS = 10.5;

    public static void main(String[] args) {
        int captions = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int images = captions / 5;
        Random random = new Random(1);
        float[][] features = new float[images][4096];
        for (float[] row : features) {
            for (int k = 0; k < row.length; k++) {
                row[k] = random.nextFloat() < 0.3 ? random.nextFloat() * 4 : 0; // sparse, non-negative like fc7
            }
        }
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < captions; i++) {
            int words = (int) Math.max(5, Math.min(16, Math.round(COCO_MEAN_WORDS + random.nextGaussian() * 2.4)));
            int[] sequence = new int[words + 2];
            sequence[0] = Vocabulary.START_ID;
            for (int w = 1; w <= words; w++) {
                // Zipf-like word frequencies, as in real captions
                sequence[w] = 4 + (int) Math.min(COCO_VOCABULARY - 5, Math.floor(Math.pow(COCO_VOCABULARY, random.nextDouble())) - 1);
            }
            sequence[words + 1] = Vocabulary.END_ID;
            train.add(new CaptionExample(i / 5, sequence));
        }
        TrainingConfig config = new TrainingConfig(512, 512, 2, 100, 1e-3, 0.95, 5, 0.5, 0, 1);
        DecoderTrainer.Run run = new DecoderTrainer(config).start(features, train, List.of(), COCO_VOCABULARY, null);
        for (int epoch = 1; epoch <= 2; epoch++) {
            DecoderTrainer.EpochResult result = run.runEpoch(() -> false, f -> { });
            double tokensPerEpoch = COCO_TRAIN_CAPTIONS * (COCO_MEAN_WORDS + 1);
            System.out.printf("epoch %d (%s): %d captions, %.0f tokens/s -> COCO epoch (%d captions) %.0f min%n", epoch,
                    epoch == 1 ? "warm-up" : "measured", captions, result.tokensPerSecond(), COCO_TRAIN_CAPTIONS,
                    tokensPerEpoch / result.tokensPerSecond() / 60);
        }
    }
}
