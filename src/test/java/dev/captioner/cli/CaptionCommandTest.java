package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.GeneratedDataset;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The papers' workflow with the project's two commands: caption a folder with the demo model, then score it. */
class CaptionCommandTest {

    @TempDir
    Path dir;

    @Test
    void captionsAFolderAndTheResultsEvaluate() throws Exception {
        GeneratedDataset dataset = new ShapesDatasetGenerator(4242).generate(dir.resolve("set"), 12, 1);
        Files.writeString(dataset.imagesDir().resolve("notes.txt"), "not an image, ignored");
        Path results = dir.resolve("results.json");
        // the shapes demo, whichever model the repository's models/ serves by default
        ModelStore shapes = new ModelStore(dir.resolve("models"));
        shapes.save(new ModelStore(Path.of("models")).load("demo-shapes-v1"));
        shapes.setActive("demo-shapes-v1");
        CliRun caption = CliRun.of("caption", "--images", dataset.imagesDir().toString(),
                "--output", results.toString(), "--models", dir.resolve("models").toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(caption.exit()).as(caption.err()).isZero();
        assertThat(caption.err()).as("not a terminal: whole lines, the last at 100%")
                .contains("captioning [").contains("12/12 images").doesNotContain("\r");

        JsonMapper json = JsonMapper.builder().build();
        JsonNode written = json.readTree(results.toFile());
        assertThat(written.size()).isEqualTo(12);
        assertThat(written.path(0).path("image_id").asLong()).isEqualTo(1);
        assertThat(written.path(0).path("caption").asString()).isNotBlank();

        CliRun evaluate = CliRun.of("evaluate", "--annotations", dataset.annotationsFile().toString(),
                "--results", results.toString());
        assertThat(evaluate.exit()).as(evaluate.err()).isZero();
        JsonNode corpus = json.readTree(evaluate.out());
        System.out.println("demo model on 12 fresh synthetic images: " + corpus);
        assertThat(corpus.path("Bleu_1").asDouble()).as("the demo model's captions share words with the references")
                .isGreaterThan(0.5);
    }

    @Test
    void writesEachTokensAttentionMapWithTheAttentionDemoAndRefusesThemWithoutAttention() throws Exception {
        GeneratedScenes scenes = new ScenesDatasetGenerator(77).generate(dir.resolve("scenes"), 3, 1);
        ModelStore store = new ModelStore(dir.resolve("models"));
        store.save(new ModelStore(Path.of("models")).load("demo-scenes-attention-v1"));
        store.save(new ModelStore(Path.of("models")).load("demo-shapes-v1"));
        store.setActive("demo-scenes-attention-v1");
        Path results = dir.resolve("attention.json");
        CliRun caption = CliRun.of("caption", "--attention", "--images", scenes.imagesDir().toString(), "--output",
                results.toString(), "--models", dir.resolve("models").toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(caption.exit()).as(caption.err()).isZero();
        JsonNode written = JsonMapper.builder().build().readTree(results.toFile());
        assertThat(written.size()).isEqualTo(3);
        for (JsonNode result : written) {
            assertThat(result.path("attention").size()).isEqualTo(result.path("tokens").size()).isPositive();
            assertThat(result.path("attention").path(0).size()).isEqualTo(14);
            assertThat(result.path("attention").path(0).path(0).size()).isEqualTo(14);
        }

        store.setActive("demo-shapes-v1");
        CliRun refused = CliRun.of("caption", "--attention", "--images", scenes.imagesDir().toString(), "--output",
                results.toString(), "--models", dir.resolve("models").toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("'demo-shapes-v1' has no attention");
    }

    @Test
    void writesEachTokensLogProbabilityAndAlternativesUnderTheRankingOptions() throws Exception {
        GeneratedScenes scenes = new ScenesDatasetGenerator(78).generate(dir.resolve("scenes"), 2, 1);
        ModelStore store = new ModelStore(dir.resolve("models"));
        store.save(new ModelStore(Path.of("models")).load("demo-scenes-attention-v1"));
        store.setActive("demo-scenes-attention-v1");
        Path results = dir.resolve("alternatives.json");
        CliRun caption = CliRun.of("caption", "--alternatives", "2", "--length-penalty", "gnmt",
                "--length-penalty-alpha", "1.0", "--block-repeated-trigrams", "--images", scenes.imagesDir().toString(),
                "--output", results.toString(), "--models", dir.resolve("models").toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(caption.exit()).as(caption.err()).isZero();
        JsonNode written = JsonMapper.builder().build().readTree(results.toFile());
        assertThat(written.size()).isEqualTo(2);
        for (JsonNode result : written) {
            int tokens = result.path("tokens").size();
            assertThat(tokens).isPositive();
            assertThat(result.path("tokenLogProbabilities").size()).isEqualTo(tokens);
            assertThat(result.path("alternatives").size()).isEqualTo(tokens);
            assertThat(result.path("alternatives").path(0).size()).isEqualTo(2);
            assertThat(result.path("alternatives").path(0).path(0).path("word").asString()).isNotBlank();
            double sum = result.path("endLogProbability").asDouble(0);
            for (JsonNode value : result.path("tokenLogProbabilities")) {
                sum += value.asDouble();
            }
            assertThat(sum).isCloseTo(result.path("logProbability").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void refusesRankingOptionsOutOfRange() throws Exception {
        Path images = Files.createDirectories(dir.resolve("empty"));
        for (String[] options : new String[][] {{"--alternatives", "11"}, {"--length-penalty", "long"},
                {"--length-penalty-alpha", "0.5"}, {"--length-penalty", "gnmt", "--length-penalty-alpha", "3"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("caption", "--images",
                    images.toString(), "--output", "x.json"), java.util.Arrays.stream(options)).toArray(String[]::new);
            CliRun refused = CliRun.of(args);
            assertThat(refused.exit()).as(String.join(" ", options)).isEqualTo(1);
            assertThat(refused.err()).as(String.join(" ", options)).startsWith("caption: ")
                    .containsAnyOf("alternatives", "lengthPenalty", "length-penalty");
        }
    }

    @Test
    void refusesAMissingFolder() {
        CliRun missing = CliRun.of("caption", "--images", dir.resolve("nope").toString(), "--output", "x.json");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("is not a folder");
        assertThat(CliRun.of("caption", "--images").exit()).isEqualTo(2);
    }
}
