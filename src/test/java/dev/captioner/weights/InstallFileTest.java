package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallFileTest {

    private static final byte[] WEIGHTS = TestBytes.hdf5(300_000, 42);
    private static final ExpectedChecksum OTHER_MD5 = ExpectedChecksum.parse("md5:64373286793e3c8b2b4e3219cbf3544b");
    private static final ExpectedChecksum OTHER_ADLER32 = ExpectedChecksum.parse("adler32:3501732770");

    @TempDir
    Path installDir;
    @TempDir
    Path downloads;

    private final RecordingListener listener = new RecordingListener();
    private final WeightsFetcher fetcher = new WeightsFetcher(FetchSettings.defaults(), duration -> {
    }, listener);

    @Test
    void installsACopyOfAFileMatchingAnAcceptedChecksum() throws Exception {
        Path userFile = userFile("my-download.h5", WEIGHTS);
        FileTime modified = Files.getLastModifiedTime(userFile);
        ExpectedChecksum md5 = TestBytes.checksum(ChecksumAlgorithm.MD5, WEIGHTS);

        InstalledWeight installed = fetcher.installFile(userFile, List.of(OTHER_MD5, OTHER_ADLER32, md5), installDir);

        assertThat(installDir.resolve(WeightsFormat.KERAS_H5.fileName())).hasBinaryContent(WEIGHTS);
        assertThat(installed.matchedChecksum()).isEqualTo(md5.toString());
        assertThat(installed.sha256()).isEqualTo(TestBytes.sha256(WEIGHTS));
        assertThat(installed.sourceUrl()).isEqualTo("file:" + userFile.toAbsolutePath());
        assertThat(new InstalledWeights(installDir).find("imagenet")).contains(installed);
        assertThat(installDir.resolve(".partial")).doesNotExist();
        assertUntouched(userFile, WEIGHTS, modified);
    }

    @Test
    void refusesAFileMatchingNoAcceptedChecksum() throws Exception {
        Path userFile = userFile("my-download.h5", WEIGHTS);
        FileTime modified = Files.getLastModifiedTime(userFile);

        assertThatThrownBy(() -> fetcher.installFile(userFile, List.of(OTHER_MD5, OTHER_ADLER32), installDir))
                .isInstanceOf(WeightsInstallException.class)
                .hasMessageContaining("matches none of the accepted checksums (" + OTHER_MD5 + ", " + OTHER_ADLER32)
                .hasMessageContaining(TestBytes.checksum(ChecksumAlgorithm.MD5, WEIGHTS).toString())
                .hasMessageContaining(TestBytes.checksum(ChecksumAlgorithm.ADLER32, WEIGHTS).toString())
                .hasMessageContaining("sha256:" + TestBytes.sha256(WEIGHTS));
        assertThat(installDir.resolve(WeightsFormat.KERAS_H5.fileName())).doesNotExist();
        assertThat(installDir.resolve("installed.json")).doesNotExist();
        assertThat(installDir.resolve(".partial")).doesNotExist();
        assertUntouched(userFile, WEIGHTS, modified);
    }

    @Test
    void refusesAFileThatIsNeitherHdf5NorZip() throws Exception {
        byte[] page = "<html>not found</html>".getBytes(StandardCharsets.UTF_8);
        Path userFile = userFile("vgg16.h5", page);
        assertThatThrownBy(() -> fetcher.installFile(userFile,
                List.of(TestBytes.checksum(ChecksumAlgorithm.MD5, page)), installDir))
                .isInstanceOf(WeightsInstallException.class)
                .hasMessageContaining("neither an HDF5 nor a zip file: it starts with 3c 68 74 6d 6c 3e 6e 6f");
        assertThat(new InstalledWeights(installDir).list()).isEmpty();
    }

    @Test
    void leavesAResumableDownloadOfTheSameFileAlone() throws Exception {
        PartialDownload partial = new PartialDownload(installDir, WeightsFormat.KERAS_H5.fileName());
        partial.restart(URI.create("http://mirror.example/w.h5"), null, WEIGHTS.length);
        Files.write(partial.file(), new byte[] {1, 2, 3});

        fetcher.installFile(userFile("w.h5", WEIGHTS), List.of(TestBytes.checksum(ChecksumAlgorithm.MD5, WEIGHTS)),
                installDir);

        assertThat(partial.file()).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void reRecordsTheInstalledFileItselfWithoutMovingIt() throws Exception {
        Path installed = Files.write(installDir.resolve(WeightsFormat.KERAS_H5.fileName()), WEIGHTS);
        FileTime modified = Files.getLastModifiedTime(installed);

        fetcher.installFile(installed, List.of(TestBytes.checksum(ChecksumAlgorithm.MD5, WEIGHTS)), installDir);

        assertUntouched(installed, WEIGHTS, modified);
        assertThat(new InstalledWeights(installDir).list()).hasSize(1);
    }

    private Path userFile(String name, byte[] bytes) throws Exception {
        Path file = Files.write(downloads.resolve(name), bytes);
        // an old time stamp, so a rewrite during the test would show
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant()
                .minus(Duration.ofDays(3))));
        return file;
    }

    private static void assertUntouched(Path file, byte[] bytes, FileTime modified) throws Exception {
        assertThat(file).exists().hasBinaryContent(bytes);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    }
}
