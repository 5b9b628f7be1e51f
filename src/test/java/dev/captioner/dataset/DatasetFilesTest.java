package dev.captioner.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.captioner.Fifos;
import dev.captioner.config.DataDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFilesTest {

    @TempDir
    Path root;

    private Path data;
    private Path outside;
    private DatasetFiles files;

    @BeforeEach
    void folders() throws Exception {
        data = Files.createDirectories(root.resolve("data"));
        outside = Files.createDirectories(root.resolve("outside"));
        files = new DatasetFiles(new DataDirectory(data));
    }

    @Test
    void readsRegularFilesInsideAlsoThroughLinksThatStayInside() throws Exception {
        Path image = Files.write(data.resolve("a.png"), new byte[] {1, 2, 3});
        Files.createDirectories(data.resolve("images"));
        Path link = Files.createSymbolicLink(data.resolve("images/b.png"), image);
        assertThat(files.read(image, 3)).containsExactly(1, 2, 3);
        assertThat(files.read(link, 3)).containsExactly(1, 2, 3);
        assertThat(files.problem(link)).isEmpty();
        assertThat(files.read(Files.write(data.resolve("empty.png"), new byte[0]), 3)).isEmpty();
    }

    @Test
    void refusesWhatALinkReachesOutsideTheDataDirectory() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "password=hunter2");
        Path toSecret = Files.createSymbolicLink(data.resolve("secret.png"), outside.resolve("secret.txt"));
        Path toPasswd = Files.createSymbolicLink(data.resolve("passwd.png"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(data.resolve("folder"), outside);
        for (Path file : new Path[] {toSecret, toPasswd, data.resolve("folder/secret.txt")}) {
            assertThatThrownBy(() -> files.read(file, 1000)).isInstanceOf(RefusedFileException.class)
                    .hasMessage("a symbolic link to outside the data directory");
            assertThat(files.problem(file)).contains("a symbolic link to outside the data directory");
        }
        assertThatThrownBy(() -> files.read(data.resolve("../outside/secret.txt"), 1000))
                .hasMessage("outside the data directory");
    }

    @Test
    void neverOpensAFifoInsideOrLinkedFromOutside() throws Exception {
        Path fifo = Fifos.make(data.resolve("fifo.png"));
        Path linked = Files.createSymbolicLink(data.resolve("linked.png"), Fifos.make(outside.resolve("fifo")));
        Path linkedInside = Files.createSymbolicLink(data.resolve("linked-inside.png"), fifo);
        // were any of them opened, the test would block here for good: nothing writes to them
        assertThatThrownBy(() -> files.read(fifo, 1000)).isInstanceOf(RefusedFileException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> files.read(linkedInside, 1000)).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> files.read(linked, 1000)).hasMessage("a symbolic link to outside the data directory");
        assertThat(files.problem(fifo)).hasValueSatisfying(reason -> assertThat(reason).contains("FIFO"));
        assertThatThrownBy(() -> files.read(Files.createDirectories(data.resolve("dir.png")), 1000))
                .hasMessage("a folder, not a file");
    }

    @Test
    void readsNoMoreThanTheLimit() throws Exception {
        Path file = Files.write(data.resolve("big.png"), new byte[1001]);
        assertThat(files.read(file, 1001)).hasSize(1001);
        assertThatThrownBy(() -> files.read(file, 1000)).isInstanceOf(RefusedFileException.class)
                .hasMessageContaining("larger than the image size limit").hasMessageContaining("1000 bytes");
    }

    @Test
    void namesWhatIsWrongWithAPathThroughAFileAndLeavesMissingFilesToTheCaller() throws Exception {
        Files.write(data.resolve("a.jpg"), new byte[] {1});
        assertThatThrownBy(() -> files.read(data.resolve("a.jpg/b.jpg"), 1000)).isInstanceOf(RefusedFileException.class)
                .hasMessage("a part of its path is a file, not a folder");
        assertThat(files.problem(data.resolve("a.jpg/b.jpg"))).contains("a part of its path is a file, not a folder");
        assertThatThrownBy(() -> files.read(data.resolve("missing.png"), 1000)).isInstanceOf(NoSuchFileException.class);
        assertThat(files.problem(data.resolve("missing.png"))).as("missing is counted when it is read").isEmpty();
    }
}
