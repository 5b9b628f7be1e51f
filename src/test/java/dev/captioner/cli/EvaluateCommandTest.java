package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EvaluateCommandTest {

    private static final Path FAKECAP = Path.of("..", "shared", "fixtures", "coco-fakecap-1000");
    private static final String ANNOTATIONS = """
            {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "b.jpg"}],
             "annotations": [{"image_id": 1, "caption": "a red circle"}, {"image_id": 2, "caption": "a blue square"}]}
            """;

    @TempDir
    Path dir;

    private CliRun last;

    private int run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "evaluate";
        System.arraycopy(args, 0, command, 1, args.length);
        last = CliRun.of(command);
        return last.exit();
    }

    private String error() {
        return last.err();
    }

    private String output() {
        return last.out();
    }

    /** The toolkit's own demo: its notebook prints these 3-digit scores for the fakecap results. */
    @Test
    void reproducesTheToolkitDemoScores() {
        Assumptions.assumeTrue(Files.isDirectory(FAKECAP),
                "coco-fakecap-1000 fixture not found at " + FAKECAP.toAbsolutePath() + " (it lives in ../shared)");
        int exit = run("--annotations", FAKECAP.resolve("captions_val2014_subset.json").toString(),
                "--results", FAKECAP.resolve("fakecap_results.json").toString());
        assertThat(exit).as(error()).isZero();
        JsonNode scores = JsonMapper.builder().build().readTree(output());
        Map<String, Double> expected = Map.of("Bleu_1", 0.579, "Bleu_2", 0.404, "Bleu_3", 0.279, "Bleu_4", 0.191,
                "ROUGE_L", 0.396, "CIDEr", 0.600);
        expected.forEach((key, value) -> assertThat(scores.path(key).asDouble()).as(key).isCloseTo(value, within(5e-4)));
        assertThat(scores.has("perImage")).isFalse();
    }

    @Test
    void printsPerImageScoresWhenAsked() throws Exception {
        Path annotations = Files.writeString(dir.resolve("a.json"), ANNOTATIONS);
        Path results = Files.writeString(dir.resolve("r.json"),
                "[{\"image_id\": 1, \"caption\": \"a red circle\"}, {\"image_id\": 2, \"caption\": \"a green square\"}]");
        assertThat(run("--annotations", annotations.toString(), "--results", results.toString(), "--per-image"))
                .as(error()).isZero();
        JsonNode scores = JsonMapper.builder().build().readTree(output());
        assertThat(scores.path("perImage").path("1").path("Bleu_1").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(scores.path("perImage").path("2").path("Bleu_1").asDouble()).isLessThan(1.0);
    }

    @Test
    void badInputsGetAMessageAndANonZeroExit() throws Exception {
        Path annotations = Files.writeString(dir.resolve("a.json"), ANNOTATIONS);
        Path notJson = Files.writeString(dir.resolve("n.json"), "this is not json");
        Path unknown = Files.writeString(dir.resolve("u.json"),
                "[{\"image_id\": 1, \"caption\": \"x\"}, {\"image_id\": 2, \"caption\": \"y\"}, {\"image_id\": 99, \"caption\": \"z\"}]");
        Path partial = Files.writeString(dir.resolve("p.json"), "[{\"image_id\": 1, \"caption\": \"x\"}]");

        assertThat(run("--annotations", dir.resolve("missing.json").toString(), "--results", partial.toString())).isEqualTo(1);
        assertThat(error()).contains("does not exist");
        assertThat(run("--annotations", annotations.toString(), "--results", notJson.toString())).isEqualTo(1);
        assertThat(error()).contains("is not a COCO results file");
        assertThat(run("--annotations", notJson.toString(), "--results", partial.toString())).isEqualTo(1);
        assertThat(error()).contains("is not a COCO captions file");
        assertThat(run("--annotations", annotations.toString(), "--results", unknown.toString())).isEqualTo(1);
        assertThat(error()).contains("not in the annotations").contains("99");
        assertThat(run("--annotations", annotations.toString(), "--results", partial.toString())).isEqualTo(1);
        assertThat(error()).contains("have no result").contains("2");
        assertThat(run("--results", partial.toString())).isEqualTo(2);
        assertThat(error()).doesNotContain("Exception");
        assertThat(output()).as("nothing on stdout for a refused run").isEmpty();
    }
}
