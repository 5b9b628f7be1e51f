package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.captioner.language.CaptionGenerator;
import dev.captioner.language.PtbTokenizer;
import dev.captioner.language.GeneratedCaption;
import dev.captioner.language.Vocabulary;
import org.junit.jupiter.api.Test;

/**
 * A toy task only solvable by looking at the image: the colour word is encoded in the feature vector
 * (noisily, in a few of many dimensions), the rest of the caption is fixed.
 */
class DecoderTrainerTest {

    private static final PtbTokenizer TOKENIZER = new PtbTokenizer();

    private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    private static final int FEATURES = 32;

    private static float[] featuresFor(int colour, Random random) {
        float[] v = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            v[i] = (float) (random.nextGaussian() * 0.3);
        }
        v[colour * 3] += 2f;
        v[colour * 3 + 1] += 1.5f;
        return v;
    }

    @Test
    void learnsToNameTheColourItSees() {
        Random random = new Random(5);
        List<List<String>> tokenized = new ArrayList<>();
        int images = 120;
        float[][] features = new float[images][];
        int[] colourOf = new int[images];
        for (int i = 0; i < images; i++) {
            colourOf[i] = i % COLOURS.length;
            features[i] = featuresFor(colourOf[i], random);
            tokenized.add(TOKENIZER.tokenize("a " + COLOURS[colourOf[i]] + " ball on the floor"));
        }
        Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            train.add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 16)));
        }
        List<CaptionExample> validation = new ArrayList<>();
        for (int i = 100; i < images; i++) {
            validation.add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 16)));
        }
        TrainingConfig config = new TrainingConfig(16, 32, 25, 20, 0.01, 0.95, 5.0, 0.1, 0, 3);
        List<DecoderTrainer.EpochResult> reported = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        float[][] validationFeatures = new float[20][];
        for (int i = 100; i < images; i++) {
            references.add(List.of("a " + COLOURS[colourOf[i]] + " ball on the floor."));
            validationFeatures[i - 100] = features[i];
        }
        DecoderTrainer.Result result = new DecoderTrainer(config,
                new ValidationCaptionMetrics(vocabulary, validationFeatures, references, 16)).train(features, train, validation,
                vocabulary.size(), (epoch, decoder) -> reported.add(epoch), () -> false);

        assertThat(reported).hasSize(25);
        assertThat(reported.get(24).trainLoss()).isLessThan(reported.get(0).trainLoss() / 3);
        assertThat(reported.get(24).metrics()).containsKeys("Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr");
        assertThat(reported.get(24).metrics().get("Bleu_4"))
                .as("validation BLEU-4 improves with training").isGreaterThan(reported.get(0).metrics().get("Bleu_4") + 0.2);
        int correct = 0;
        for (int i = 100; i < images; i++) {
            GeneratedCaption caption = CaptionGenerator.greedy(result.best().nextWordModel(features[i]), 16);
            List<String> words = vocabulary.decode(caption.words());
            if (words.contains(COLOURS[colourOf[i]])) {
                correct++;
            }
        }
        assertThat(correct).as("held-out images captioned with their colour").isGreaterThanOrEqualTo(18);
    }

    @Test
    void stopsWhenCancelled() {
        float[][] features = {{1f, 0f}, {0f, 1f}};
        Vocabulary vocabulary = Vocabulary.of(List.of("x"));
        List<CaptionExample> train = List.of(new CaptionExample(0, vocabulary.encode(List.of("x"), 4)));
        TrainingConfig config = new TrainingConfig(4, 4, 3, 1, 0.01, 1, 5, 0, 0, 1);
        assertThatThrownBy(() -> new DecoderTrainer(config).train(features, train, List.of(), vocabulary.size(),
                (e, d) -> { }, () -> true)).isInstanceOf(TrainingCancelledException.class);
    }

    @Test
    void gradientClippingBoundsTheGlobalNorm() {
        var gradients = new java.util.LinkedHashMap<String, org.nd4j.linalg.api.ndarray.INDArray>();
        gradients.put("a", org.nd4j.linalg.factory.Nd4j.createFromArray(new float[] {3f, 0f}));
        gradients.put("b", org.nd4j.linalg.factory.Nd4j.createFromArray(new float[] {0f, 4f}));
        assertThat(AdamOptimizer.clipByGlobalNorm(gradients, 1.0)).isEqualTo(5.0);
        assertThat(gradients.get("a").getDouble(0)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(gradients.get("b").getDouble(1)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aRunResumedFromItsCheckpointEndsExactlyLikeAnUninterruptedOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Random random = new Random(9);
        float[][] features = new float[40][];
        List<List<String>> tokenized = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            features[i] = featuresFor(i % COLOURS.length, random);
            tokenized.add(TOKENIZER.tokenize("a " + COLOURS[i % COLOURS.length] + " ball"));
        }
        Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            train.add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 16)));
        }
        List<CaptionExample> validation = new ArrayList<>();
        for (int i = 30; i < 40; i++) {
            validation.add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 16)));
        }
        TrainingConfig config = new TrainingConfig(8, 8, 4, 8, 0.01, 0.9, 5.0, 0.2, 1e-4, 11);

        DecoderTrainer.Result straight = new DecoderTrainer(config).train(features, train, validation,
                vocabulary.size(), (e, d) -> { }, () -> false, dir.resolve("straight"));

        java.util.concurrent.atomic.AtomicBoolean crash = new java.util.concurrent.atomic.AtomicBoolean();
        java.nio.file.Path interruptedDir = dir.resolve("interrupted");
        assertThatThrownBy(() -> new DecoderTrainer(config).train(features, train, validation, vocabulary.size(),
                (e, d) -> crash.set(e.epoch() == 2), crash::get, interruptedDir))
                .isInstanceOf(TrainingCancelledException.class);
        List<Integer> epochsRun = new ArrayList<>();
        DecoderTrainer.Result resumed = new DecoderTrainer(config).train(features, train, validation,
                vocabulary.size(), (e, d) -> epochsRun.add(e.epoch()), () -> false, interruptedDir);

        assertThat(epochsRun).as("only the unfinished epochs run again").containsExactly(3, 4);
        assertThat(resumed.epochs()).hasSize(4);
        assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        straight.best().parameters().forEach((name, array) ->
                assertThat(resumed.best().parameters().get(name)).as(name).isEqualTo(array));
        assertThat(interruptedDir.toFile().list()).containsExactly("last");
    }

    /** An annotations file may list far more images than can be read: only readable ones get a matrix row. */
    @Test
    void holdsFeatureRowsOnlyForImagesThatHaveFeatures() {
        Random random = new Random(9);
        float[][] features = new float[10_000][];
        List<List<String>> tokenized = new ArrayList<>();
        for (int colour = 0; colour < COLOURS.length; colour++) {
            tokenized.add(TOKENIZER.tokenize("a " + COLOURS[colour] + " ball"));
        }
        Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
        List<CaptionExample> train = new ArrayList<>();
        List<CaptionExample> validation = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int row = 1_000 * i + 7;
            features[row] = featuresFor(i % COLOURS.length, random);
            (i < 6 ? train : validation).add(new CaptionExample(row, vocabulary.encode(tokenized.get(i % 4), 16)));
        }
        TrainingConfig config = new TrainingConfig(8, 8, 2, 4, 0.01, 0.95, 5.0, 0, 0, 3);
        DecoderTrainer.Run run = new DecoderTrainer(config).start(features, train, validation, vocabulary.size(), null);
        assertThat(run.featureRows()).isEqualTo(8);
        DecoderTrainer.EpochResult epoch = run.runEpoch(() -> false, fraction -> { });
        assertThat(epoch.trainLoss()).isFinite();
        assertThat(epoch.validationLoss()).isFinite();
    }

    /**
     * A COCO epoch is an hour: the trainer tells its listener after every batch where the epoch stands, with the
     * token-weighted running mean of the batch losses, which after the last batch is the epoch's train loss.
     */
    @Test
    void reportsEveryBatchWithTheEpochsRunningLoss() {
        Random random = new Random(13);
        List<List<String>> tokenized = new ArrayList<>();
        float[][] features = new float[22][];
        for (int i = 0; i < features.length; i++) {
            features[i] = featuresFor(i % COLOURS.length, random);
            tokenized.add(TOKENIZER.tokenize((i % 3 == 0 ? "a big " : "a ") + COLOURS[i % COLOURS.length] + " ball"));
        }
        Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            train.add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 16)));
        }
        TrainingConfig config = new TrainingConfig(8, 8, 2, 5, 0.01, 0.95, 5.0, 0, 0, 3);
        DecoderTrainer.Run run = new DecoderTrainer(config).start(features, train, List.of(), vocabulary.size(), null);
        run.runEpoch(() -> false, batch -> { });
        List<DecoderTrainer.BatchProgress> reported = new ArrayList<>();
        DecoderTrainer.EpochResult second = run.runEpoch(() -> false, reported::add);

        // 22 captions in batches of 5: four full batches and one of 2
        assertThat(reported).extracting(DecoderTrainer.BatchProgress::batch).containsExactly(1, 2, 3, 4, 5);
        assertThat(reported).allSatisfy(p -> {
            assertThat(p.epoch()).isEqualTo(2);
            assertThat(p.batches()).isEqualTo(5);
            assertThat(p.lastBatchLoss()).isFinite().isPositive();
        });
        assertThat(reported.get(0).runningLoss()).isEqualTo(reported.get(0).lastBatchLoss());
        assertThat(reported.get(4).fraction()).isEqualTo(1.0);
        assertThat(reported.get(4).runningLoss()).isEqualTo(second.trainLoss());
        double min = reported.stream().mapToDouble(DecoderTrainer.BatchProgress::lastBatchLoss).min().orElseThrow();
        double max = reported.stream().mapToDouble(DecoderTrainer.BatchProgress::lastBatchLoss).max().orElseThrow();
        assertThat(second.trainLoss()).isBetween(min, max);
    }

    /**
     * After its batches an epoch still scores the validation set, which can take minutes on a large one: a
     * cancel that arrives then stops the epoch there too, instead of after it.
     */
    @Test
    void aCancelDuringValidationStopsTheEpoch() {
        Random random = new Random(11);
        List<List<String>> tokenized = new ArrayList<>();
        float[][] features = new float[40][];
        for (int i = 0; i < features.length; i++) {
            features[i] = featuresFor(i % COLOURS.length, random);
            tokenized.add(TOKENIZER.tokenize("a " + COLOURS[i % COLOURS.length] + " ball"));
        }
        Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
        List<CaptionExample> train = new ArrayList<>();
        List<CaptionExample> validation = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            (i < 20 ? train : validation).add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 16)));
        }
        TrainingConfig config = new TrainingConfig(8, 8, 2, 10, 0.01, 0.95, 5.0, 0, 0, 3);
        int trainingBatches = 2;
        int[] polls = {0};
        java.util.function.BooleanSupplier cancelledAfterTheBatches = () -> ++polls[0] > trainingBatches;
        DecoderTrainer.Run run = new DecoderTrainer(config).start(features, train, validation, vocabulary.size(), null);
        assertThatThrownBy(() -> run.runEpoch(cancelledAfterTheBatches, fraction -> { }))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(run.history()).isEmpty();
    }

    /** Captioning thousands of validation images takes minutes: the metrics stop between images on a cancel. */
    @Test
    void captionMetricsStopBetweenImagesWhenCancelled() {
        Random random = new Random(13);
        List<List<String>> tokenized = new ArrayList<>();
        for (String colour : COLOURS) {
            tokenized.add(TOKENIZER.tokenize("a " + colour + " ball"));
        }
        Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
        float[][] features = new float[6][];
        List<List<String>> references = new ArrayList<>();
        List<CaptionExample> train = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            features[i] = featuresFor(i % COLOURS.length, random);
            references.add(List.of("a " + COLOURS[i % COLOURS.length] + " ball"));
            train.add(new CaptionExample(i, vocabulary.encode(tokenized.get(i % COLOURS.length), 16)));
        }
        var decoder = new DecoderTrainer(new TrainingConfig(8, 8, 1, 4, 0.01, 0.95, 5.0, 0, 0, 3))
                .start(features, train, List.of(), vocabulary.size(), null).decoder();
        int[] captioned = {0};
        ValidationCaptionMetrics metrics = new ValidationCaptionMetrics(vocabulary, features, references, 16,
                () -> ++captioned[0] > 2);
        assertThatThrownBy(() -> metrics.score(decoder)).isInstanceOf(TrainingCancelledException.class);
        assertThat(captioned[0]).isEqualTo(3);
    }
}
