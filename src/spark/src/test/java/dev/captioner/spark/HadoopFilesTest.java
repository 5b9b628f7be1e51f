package dev.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {

    @TempDir
    java.nio.file.Path dir;

    /** As HDFS: a rename onto an existing file is refused (returns false). */
    static final class NoOverwritingRename extends RawLocalFileSystem {
        @Override
        public boolean rename(Path src, Path dst) throws IOException {
            return !exists(dst) && super.rename(src, dst);
        }
    }

    private NoOverwritingRename hdfsLike() throws IOException {
        NoOverwritingRename fs = new NoOverwritingRename();
        fs.initialize(dir.toUri(), new Configuration(false));
        return fs;
    }

    @Test
    void aRetriedTasksEntryLeavesTheFirstAttemptsFileAndNoTemporaryOne() throws IOException {
        NoOverwritingRename fs = hdfsLike();
        Path entry = new Path(dir.resolve("entry.f32").toUri());

        HadoopFiles.writeAside(fs, entry, "first".getBytes(StandardCharsets.UTF_8));
        HadoopFiles.writeAside(fs, entry, "again".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(dir.resolve("entry.f32"))).isEqualTo("first");
        assertThat(names()).containsExactly("entry.f32");
    }

    @Test
    void aJobsOwnOutputIsReplacedOnAFileSystemThatWillNotRenameOverIt() throws IOException {
        NoOverwritingRename fs = hdfsLike();
        Path results = new Path(dir.resolve("results.json").toUri());

        HadoopFiles.writeAside(fs, results, "[1]".getBytes(StandardCharsets.UTF_8), true);
        HadoopFiles.writeAside(fs, results, "[2]".getBytes(StandardCharsets.UTF_8), true);

        assertThat(Files.readString(dir.resolve("results.json"))).isEqualTo("[2]");
        assertThat(names()).containsExactly("results.json");
    }

    @Test
    void readsAFileWithinItsBoundAndRefusesOneOverItUnread() throws IOException {
        RawLocalFileSystem fs = hdfsLike();
        Files.write(dir.resolve("small.png"), new byte[10]);
        Files.write(dir.resolve("big.png"), new byte[11]);

        assertThat(HadoopFiles.readBounded(fs, new Path(dir.resolve("small.png").toUri()), 10)).hasSize(10);
        assertThatThrownBy(() -> HadoopFiles.readBounded(fs, new Path(dir.resolve("big.png").toUri()), 10))
                .hasMessage("larger than 10 bytes (11)");
        assertThatThrownBy(() -> HadoopFiles.readBounded(fs, new Path(dir.resolve("gone.png").toUri()), 10))
                .hasMessage("missing");
        assertThatThrownBy(() -> HadoopFiles.readBounded(fs, new Path(dir.toUri()), 10))
                .hasMessage("not a regular file");
    }

    private java.util.List<String> names() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
