package dev.captioner.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.training.synthetic.GeneratedDataset;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CaptionCommand.run(new String[] {"--images", dataset.imagesDir().toString(),
                "--output", results.toString(), "--models", "models"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("captioning [").contains("12/12");

        JsonMapper json = JsonMapper.builder().build();
        JsonNode written = json.readTree(results.toFile());
        assertThat(written.size()).isEqualTo(12);
        assertThat(written.path(0).path("image_id").asLong()).isEqualTo(1);
        assertThat(written.path(0).path("caption").asString()).isNotBlank();

        ByteArrayOutputStream scores = new ByteArrayOutputStream();
        assertThat(EvaluateCommand.run(new String[] {"--annotations", dataset.annotationsFile().toString(),
                "--results", results.toString()}, new PrintStream(scores, true, StandardCharsets.UTF_8), System.err)).isZero();
        JsonNode corpus = json.readTree(scores.toString(StandardCharsets.UTF_8));
        System.out.println("demo model on 12 fresh synthetic images: " + corpus);
        assertThat(corpus.path("Bleu_1").asDouble()).as("the demo model's captions share words with the references")
                .isGreaterThan(0.5);
    }

    @Test
    void refusesAMissingFolder() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CaptionCommand.run(new String[] {"--images", dir.resolve("nope").toString(), "--output", "x.json"},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a folder");
        assertThat(CaptionCommand.run(new String[] {"--images"}, System.out, System.err)).isEqualTo(2);
    }
}
