package dev.captioner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.Fifos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path root;

    @Test
    void resolvesRelativePathsInside() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Files.createDirectories(data.resolve("coco/images"));
        Files.writeString(data.resolve("coco/captions.json"), "{}");
        DataDirectory directory = new DataDirectory(data);
        assertThat(directory.existingFile("coco/captions.json", "f")).isEqualTo(data.resolve("coco/captions.json"));
        assertThat(directory.existingFolder("coco/./images", "f")).isEqualTo(data.resolve("coco/images"));
        assertThat(directory.resolve("coco/../coco/images", "f")).isEqualTo(data.resolve("coco/images"));
    }

    @Test
    void refusesPathsThatLeaveIt() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("secret.json"), "{}");
        Files.createSymbolicLink(data.resolve("link"), root);
        DataDirectory directory = new DataDirectory(data);
        for (String path : new String[] {"../secret.json", "/etc/passwd", root.resolve("secret.json").toString(),
                "link/secret.json", "coco/../../secret.json"}) {
            assertThatThrownBy(() -> directory.existingFile(path, "dataset.annotations"))
                    .isInstanceOf(DataPathException.class)
                    .hasMessageContaining("dataset.annotations")
                    .satisfies(e -> assertThat(((DataPathException) e).isOutsideDataDirectory()).isTrue());
        }
    }

    @Test
    void missingOrWrongKindIsAClearError() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Files.createDirectories(data.resolve("folder"));
        DataDirectory directory = new DataDirectory(data);
        assertThatThrownBy(() -> directory.existingFile("nope.json", "dataset.annotations"))
                .isInstanceOf(DataPathException.class).hasMessageContaining("no file 'nope.json'");
        assertThatThrownBy(() -> directory.existingFile("folder", "dataset.annotations"))
                .isInstanceOf(DataPathException.class);
        assertThatThrownBy(() -> directory.existingFolder("nope", "dataset.images"))
                .isInstanceOf(DataPathException.class).hasMessageContaining("no folder");
        assertThatThrownBy(() -> directory.resolve("bad\u0000name", "dataset.images"))
                .isInstanceOf(DataPathException.class).hasMessageContaining("not a valid path");
    }

    @Test
    void aFifoIsNotAFileToRead() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Fifos.make(data.resolve("captions.json"));
        assertThatThrownBy(() -> new DataDirectory(data).existingFile("captions.json", "dataset.annotations"))
                .isInstanceOf(DataPathException.class).hasMessageContaining("is not a regular file");
    }

    @Test
    void anOutputFolderALinkTakesOutsideIsRefused() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createSymbolicLink(data.resolve("features"), outside);
        Files.createSymbolicLink(data.resolve("nowhere"), root.resolve("missing"));
        DataDirectory directory = new DataDirectory(data);
        directory.requireInsideForWriting(data.resolve("training-jobs/7"), "the job's folder");
        for (Path output : new Path[] {data.resolve("features/vgg16"), data.resolve("nowhere/x"), outside}) {
            assertThatThrownBy(() -> directory.requireInsideForWriting(output, "the feature cache"))
                    .hasMessageContaining("the feature cache").hasMessageContaining("leads outside the data directory");
        }
    }

    /** A request's path is quoted in the error, but only its first 200 characters however long it is. */
    @Test
    void aLongPathIsQuotedAsAnExcerpt() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        DataDirectory directory = new DataDirectory(data);
        String huge = "d/".repeat(1_000_000) + "END";
        assertThatThrownBy(() -> directory.existingFile(huge, "dataset.annotations"))
                .isInstanceOf(DataPathException.class)
                .hasMessageContaining("no file '" + "d/".repeat(100) + "...'")
                .hasMessageNotContaining("END")
                .message().hasSizeLessThan(400);
        assertThatThrownBy(() -> directory.existingFolder(huge, "dataset.images"))
                .isInstanceOf(DataPathException.class).message().hasSizeLessThan(400);
        assertThatThrownBy(() -> directory.resolve("../" + huge, "dataset.images"))
                .isInstanceOf(DataPathException.class).hasMessageContaining("resolves outside")
                .message().hasSizeLessThan(400);
    }
}
