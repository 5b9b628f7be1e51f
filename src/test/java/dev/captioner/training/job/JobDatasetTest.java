package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.Fifos;
import dev.captioner.config.DataDirectory;
import dev.captioner.dataset.RejectedEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading a job's dataset leaves out, with their reasons, the entries that name no image the job may open,
 * instead of failing the job on the first one (or, for a path through a file, only after all its features).
 */
class JobDatasetTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;

    @Test
    void badEntriesAreLeftOutWithTheirReasonsAndTheRestIsKept() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Path images = Files.createDirectories(data.resolve("ds/images"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        for (String name : List.of("1.png", "2.png", "3.png", "a.jpg")) {
            Files.write(images.resolve(name), new byte[] {1});
        }
        Files.writeString(outside.resolve("secret.txt"), "password=hunter2");
        Files.createSymbolicLink(images.resolve("secret.png"), outside.resolve("secret.txt"));
        Fifos.make(images.resolve("fifo.png"));
        Files.writeString(data.resolve("ds/captions.json"), coco("\"1.png\"", "\"bad\\u0000.png\"", "null",
                "\"secret.png\"", "\"fifo.png\"", "\"a.jpg/b.jpg\"", "\"" + "y".repeat(300) + "\"", "\"2.png\"",
                "\"3.png\"", "\"missing.png\""));

        JobDataset dataset = JobDataset.load(request("""
                {"dataset":{"annotations":"ds/captions.json","images":"ds/images"},"validationFraction":0.25}"""),
                new DataDirectory(data));
        List<Path> kept = new ArrayList<>(dataset.allImages());
        assertThat(kept).as("a missing image stays, to be counted missing when it is read")
                .containsExactlyInAnyOrder(images.resolve("1.png"), images.resolve("2.png"), images.resolve("3.png"),
                        images.resolve("missing.png"));
        assertThat(dataset.rejected()).extracting(RejectedEntry::reason).containsExactly(
                "a NUL character in the file name", "no file name", "a name longer than 255 bytes",
                "a symbolic link to outside the data directory",
                "not a regular file (a FIFO, socket or device), so it is not opened",
                "a part of its path is a file, not a folder");
        assertThat(dataset.rejected().get(3).shownName()).isEqualTo("ds/images/secret.png");
    }

    @Test
    void validationImagesThatAreAllUnusableEndTheJobInWords() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Path images = Files.createDirectories(data.resolve("ds/images"));
        Files.write(images.resolve("1.png"), new byte[] {1});
        Files.write(images.resolve("2.png"), new byte[] {1});
        Files.writeString(data.resolve("ds/train.json"), coco("\"1.png\"", "\"2.png\""));
        Files.writeString(data.resolve("ds/val.json"), coco("null", "\"bad\\u0000.png\""));
        assertThatThrownBy(() -> JobDataset.load(request("""
                {"dataset":{"annotations":"ds/train.json","images":"ds/images"},
                 "validation":{"annotations":"ds/val.json","images":"ds/images"}}"""), new DataDirectory(data)))
                .hasMessageContaining("none of the 2 validation images in ds/val.json can be used")
                .hasMessageContaining("no file name");
    }

    private static TrainingJobRequest request(String json) {
        return JSON.readValue(json, TrainingJobRequest.class).withDefaults("random:42");
    }

    /** A COCO captions file with one image per name (JSON text of file_name), each with a caption. */
    private static String coco(String... fileNames) {
        List<String> images = new ArrayList<>();
        List<String> annotations = new ArrayList<>();
        for (int i = 0; i < fileNames.length; i++) {
            images.add("{\"id\":" + i + ",\"file_name\":" + fileNames[i] + "}");
            annotations.add("{\"image_id\":" + i + ",\"caption\":\"a red circle\"}");
        }
        return "{\"images\":[" + String.join(",", images) + "],\"annotations\":[" + String.join(",", annotations)
                + "]}";
    }
}
