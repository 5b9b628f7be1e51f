package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code generate-scenes} writes a COCO-format dataset of several-shape pictures, the same one for the same seed. */
class GenerateScenesCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void writesTheImagesCaptionsAndScenesAndPrintsEachImage() throws IOException {
        Path output = dir.resolve("scenes");
        CliRun run = CliRun.of("generate-scenes", "--output=" + output, "--count=3", "--seed=5");

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String[] pathAndCaption = lines.get(i).split("\t");
            assertThat(pathAndCaption).hasSize(2);
            assertThat(Path.of(pathAndCaption[0])).isEqualTo(output.resolve("images").resolve(
                    String.format("scene_%06d.png", i + 1))).isRegularFile();
            assertThat(pathAndCaption[1]).isNotBlank();
        }
        try (Stream<Path> images = Files.list(output.resolve("images"))) {
            assertThat(images).hasSize(3);
        }
        JsonNode captions = JSON.readTree(output.resolve("captions.json").toFile());
        assertThat(captions.get("images")).hasSize(3);
        assertThat(captions.get("annotations").size()).isGreaterThanOrEqualTo(15);
        assertThat(captions.get("info").get("seed").longValue()).isEqualTo(5);
        JsonNode scenes = JSON.readTree(output.resolve("scenes.json").toFile());
        assertThat(scenes.get("scenes")).hasSize(3)
                .allSatisfy(scene -> assertThat(scene.get("objects").size()).isBetween(1, 4));

        Path again = dir.resolve("again");
        assertThat(CliRun.of("generate-scenes", "--output=" + again, "--count=3", "--seed=5").exit()).isZero();
        assertThat(Files.readAllBytes(again.resolve("scenes.json"))).isEqualTo(Files.readAllBytes(output.resolve("scenes.json")));
    }

    @Test
    void aCountBelowOneIsAUsageErrorThatWritesNothing() {
        CliRun run = CliRun.of("generate-scenes", "--output=" + dir.resolve("none"), "--count=0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--count must be at least 1");
        assertThat(dir.resolve("none")).doesNotExist();
    }
}
