package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import dev.captioner.language.CaptionOptions;
import dev.captioner.language.Captioner;
import dev.captioner.language.GridShape;
import dev.captioner.language.PtbTokenizer;
import dev.captioner.language.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attention decoder trained end to end on a task that needs attention: a 3x3 grid with two objects in two
 * cells, each cell's vector saying its object's colour and shape; the caption names both objects in a fixed colour
 * order ("red circle blue square"). Which colours are present shows in the grid's mean, but which shape goes with
 * which colour does not (the mean of two cells mixes them): to name the right shape with a colour the decoder
 * must look at that colour's cell. It must caption held-out scenes right and look at the object whose colour it
 * names.
 */
class AttentionTrainingTest {

    private static final String[] COLOURS = {"red", "green", "blue"};
    private static final String[] SHAPES = {"circle", "square", "triangle"};
    private static final GridShape GRID = new GridShape(3, 3, 6);
    private static final PtbTokenizer TOKENIZER = new PtbTokenizer();

    /** @param cells cell of each colour, -1 when absent; shapes likewise */
    private record Scene(int[] cells, int[] shapes, float[] grid, String caption) {
    }

    private static Scene scene(Random random) {
        int first = random.nextInt(COLOURS.length);
        int second = (first + 1 + random.nextInt(COLOURS.length - 1)) % COLOURS.length;
        int[] cells = {-1, -1, -1};
        int[] shapes = {-1, -1, -1};
        cells[first] = random.nextInt(GRID.positions());
        cells[second] = (cells[first] + 1 + random.nextInt(GRID.positions() - 1)) % GRID.positions();
        shapes[first] = random.nextInt(SHAPES.length);
        shapes[second] = random.nextInt(SHAPES.length);
        float[] grid = new float[GRID.featureSize()];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) (random.nextGaussian() * 0.3);
        }
        StringBuilder caption = new StringBuilder();
        for (int colour = 0; colour < COLOURS.length; colour++) {
            if (cells[colour] >= 0) {
                grid[cells[colour] * GRID.channels() + colour] += 3;
                grid[cells[colour] * GRID.channels() + 3 + shapes[colour]] += 3;
                caption.append(caption.length() == 0 ? "" : " ").append(COLOURS[colour]).append(' ')
                        .append(SHAPES[shapes[colour]]);
            }
        }
        return new Scene(cells, shapes, grid, caption.toString());
    }

    /** Scenes, their vocabulary and grids, the first {@code trainCount} for training and the rest for validation. */
    private record Dataset(List<Scene> scenes, Vocabulary vocabulary, float[][] features, List<CaptionExample> train,
                           List<CaptionExample> validation) {

        static Dataset of(Random random, int count, int trainCount) {
            List<Scene> scenes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                scenes.add(scene(random));
            }
            List<List<String>> tokenized = scenes.stream().map(s -> TOKENIZER.tokenize(s.caption())).toList();
            Vocabulary vocabulary = Vocabulary.build(tokenized, 1);
            List<CaptionExample> train = new ArrayList<>();
            List<CaptionExample> validation = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                (i < trainCount ? train : validation).add(new CaptionExample(i, vocabulary.encode(tokenized.get(i), 8)));
            }
            return new Dataset(scenes, vocabulary, scenes.stream().map(Scene::grid).toArray(float[][]::new), train,
                    validation);
        }
    }

    @Test
    void learnsWhatAndWhereAndLooksThere(@TempDir Path dir) {
        Dataset data = Dataset.of(new Random(5), 360, 300);
        List<Scene> scenes = data.scenes();
        Vocabulary vocabulary = data.vocabulary();
        float[][] features = data.features();
        List<CaptionExample> train = data.train();
        List<CaptionExample> validation = data.validation();
        TrainingConfig config = new TrainingConfig(16, 32, 30, 20, 0.01, 0.97, 5.0, 0, 0, 3)
                .withAttention(new TrainingConfig.Attention(16, 0.01));
        AtomicInteger epochs = new AtomicInteger();
        DecoderTrainer.Result result = new DecoderTrainer(config, d -> java.util.Map.of(), GRID)
                .train(features, train, validation, vocabulary.size(), (e, d) -> epochs.incrementAndGet(), () -> false,
                        dir.resolve("checkpoint"));
        assertThat(epochs.get()).isEqualTo(30);
        assertThat(result.best().kind()).isEqualTo("attention");

        Captioner captioner = new Captioner(result.best(), vocabulary);
        int right = 0;
        int colourLooks = 0;
        int colourLooksInside = 0;

        for (Scene s : scenes.subList(300, 360)) {
            Captioner.Caption caption = captioner.captions(s.grid(), CaptionOptions.best(8)).get(0);
            if (caption.text().equals(s.caption())) {
                right++;
            }
            assertThat(caption.attention()).hasSize(caption.tokens().size());
            for (int k = 0; k < caption.tokens().size(); k++) {
                float[] map = caption.attention().get(k);
                assertThat(map).hasSize(GRID.positions());
                double sum = 0;
                for (float w : map) {
                    sum += w;
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                int named = List.of(COLOURS).indexOf(caption.tokens().get(k));
                if (named >= 0 && s.cells()[named] >= 0) {
                    colourLooks++;
                    colourLooksInside += argMax(map) == s.cells()[named] ? 1 : 0;
                }
            }
        }
        // without attention to the right cell, each shape is a guess among two: a quarter of the captions right
        assertThat(right).as("held-out scenes captioned exactly (colours and their shapes)").isGreaterThanOrEqualTo(50);
        // it looks at an object when it names its colour, and reads the shape there: by the shape word it has it
        // in its memory and may look elsewhere (measured: 97% of colour words, 49% of shape words peak on the cell)
        assertThat(colourLooks).isGreaterThan(100);
        assertThat((double) colourLooksInside / colourLooks)
                .as("colour words whose attention peaked on that colour's cell (chance 1/9)").isGreaterThan(0.8);
    }

    @Test
    void aResumedAttentionRunEndsExactlyLikeAnUninterruptedOne(@TempDir Path dir) {
        Dataset data = Dataset.of(new Random(8), 40, 30);
        Vocabulary vocabulary = data.vocabulary();
        float[][] features = data.features();
        List<CaptionExample> train = data.train();
        List<CaptionExample> validation = data.validation();
        TrainingConfig config = new TrainingConfig(8, 8, 4, 8, 0.01, 0.9, 5.0, 0.2, 1e-4, 11)
                .withAttention(new TrainingConfig.Attention(8, 0.5));
        DecoderTrainer.Result straight = new DecoderTrainer(config, d -> java.util.Map.of(), GRID).train(features, train,
                validation, vocabulary.size(), (e, d) -> { }, () -> false, dir.resolve("straight"));

        java.util.concurrent.atomic.AtomicBoolean crash = new java.util.concurrent.atomic.AtomicBoolean();
        Path interruptedDir = dir.resolve("interrupted");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DecoderTrainer(config, d -> java.util.Map.of(), GRID)
                        .train(features, train, validation, vocabulary.size(), (e, d) -> crash.set(e.epoch() == 2),
                                crash::get, interruptedDir))
                .isInstanceOf(TrainingCancelledException.class);
        List<Integer> epochsRun = new ArrayList<>();
        DecoderTrainer.Result resumed = new DecoderTrainer(config, d -> java.util.Map.of(), GRID).train(features, train,
                validation, vocabulary.size(), (e, d) -> epochsRun.add(e.epoch()), () -> false, interruptedDir);

        assertThat(epochsRun).as("only the unfinished epochs run again").containsExactly(3, 4);
        assertThat(resumed.best().kind()).isEqualTo("attention");
        straight.best().parameters().forEach((name, array) ->
                assertThat(resumed.best().parameters().get(name)).as(name).isEqualTo(array));
    }

    private static int argMax(float[] map) {
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        return best;
    }
}
