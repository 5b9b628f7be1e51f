package dev.captioner.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.CaptionGenerator;
import dev.captioner.language.GeneratedCaption;
import dev.captioner.language.GridShape;
import dev.captioner.language.NextWordModel;
import dev.captioner.language.Vocabulary;
import dev.captioner.compute.Workspaces;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.TrainingConfig;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * Attention decoder speed (not a test), in the configuration of the PyTorch peer ({@code bench/peer_attention.py}):
 * grid 14x14x512, attention 512, embedding 512, hidden 512, vocabulary 10,000, batch 100, 17 time steps, Adam,
 * gradient clipping at 5, dropout 0.5, attention regularisation 1. Random non-negative grids (conv5_3 is after a
 * ReLU) and random words: speed does not depend on them. One warm-up epoch of {@code steps} batches, then a timed
 * one, through {@link DecoderTrainer} as a training job runs it. Then beam search of width 3 with attention maps on
 * 10 images (after a warm-up one), always 16 model steps as the peer times it: END is kept out of reach, since an
 * untrained model's search would otherwise stop after a word or two. Prints one JSON line.
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.captioner.bench.AttentionDecoderBenchmark [steps]</pre>
 */
public final class AttentionDecoderBenchmark {

    static final GridShape GRID = new GridShape(14, 14, 512);
    static final int BEAM = 3;
    static final int MAX_WORDS = 16;

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int vocabulary = DecoderTrainingBenchmark.VOCABULARY;
        int batch = DecoderTrainingBenchmark.BATCH;
        int time = DecoderTrainingBenchmark.TIME_STEPS;
        int captions = steps * batch;
        Random random = new Random(1);
        float[][] grids = new float[captions][GRID.featureSize()];
        for (float[] grid : grids) {
            for (int k = 0; k < grid.length; k++) {
                grid[k] = random.nextFloat() < 0.3 ? random.nextFloat() * 4 : 0;
            }
        }
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < captions; i++) {
            int[] sequence = new int[time + 1];
            sequence[0] = Vocabulary.START_ID;
            for (int w = 1; w < time; w++) {
                sequence[w] = 4 + random.nextInt(vocabulary - 4);
            }
            sequence[time] = Vocabulary.END_ID;
            train.add(new CaptionExample(i, sequence));
        }
        TrainingConfig config = new TrainingConfig(512, 512, 2, batch, 1e-3, 1.0, 5, 0.5, 0, 1)
                .withAttention(new TrainingConfig.Attention(512, 1.0));
        DecoderTrainer.Run run = new DecoderTrainer(config, d -> java.util.Map.of(), GRID)
                .start(grids, train, List.of(), vocabulary, null);
        run.runEpoch(() -> false, f -> { });  // warm-up
        DecoderTrainer.EpochResult timed = run.runEpoch(() -> false, f -> { });
        double tokensPerSecond = timed.tokensPerSecond();

        CaptionDecoder decoder = run.decoder();
        double[] seconds = new double[10];
        int words = 0;
        for (int image = 0; image <= seconds.length; image++) {
            long start = System.nanoTime();
            GeneratedCaption best;
            try (MemoryWorkspace ignored = Workspaces.open("bench-attention-beam")) {
                best = CaptionGenerator.beamSearch(new WithoutEnd(decoder.nextWordModel(grids[image])), BEAM, 1, MAX_WORDS).get(0);
            }
            if (image > 0) {
                seconds[image - 1] = (System.nanoTime() - start) / 1e9;
                words = best.words().length;
            }
            if (best.attention() == null || best.attention().length != best.words().length) {
                throw new IllegalStateException("beam search lost the attention maps");
            }
        }
        Arrays.sort(seconds);
        double beamMedian = (seconds[4] + seconds[5]) / 2;
        System.out.println(String.format(Locale.ROOT,
                "{\"vocabulary\":%d,\"grid\":\"14x14x512\",\"attention\":512,\"hidden\":512,\"embedding\":512,\"batch\":%d,"
                        + "\"steps_per_sequence\":%d,\"seconds_per_step\":%.3f,\"tokens_per_second\":%.1f,"
                        + "\"coco_epoch_minutes\":%.0f,\"beam3_seconds_per_image\":%.4f,\"beam3_caption_words\":%d}",
                vocabulary, batch, time, timed.seconds() / steps, tokensPerSecond,
                DecoderTrainingBenchmark.COCO_TRAIN_CAPTIONS * DecoderTrainingBenchmark.COCO_MEAN_TARGETS / tokensPerSecond / 60,
                beamMedian, words));
    }

    /** The model with END out of reach, so that every search runs its full 16 steps. */
    private record WithoutEnd(NextWordModel model) implements NextWordModel {
        @Override
        public State initialState(int rows) {
            return model.initialState(rows);
        }

        @Override
        public Step step(State state, int[] lastWords) {
            Step step = model.step(state, lastWords);
            for (double[] row : step.logProbabilities()) {
                row[Vocabulary.END_ID] = -1e30;
            }
            return step;
        }
    }
}
