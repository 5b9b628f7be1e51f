package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledWeightsTest {

    @TempDir
    Path dir;

    @Test
    void recordsSurviveARoundTripThroughTheFile() throws Exception {
        InstalledWeights registry = new InstalledWeights(dir);
        assertThat(registry.list()).isEmpty();
        InstalledWeight keras = entry(WeightsFormat.KERAS_H5, TestBytes.hdf5(1000, 1), "2024-01-01T00:00:00Z");
        registry.record(keras);

        assertThat(new InstalledWeights(dir).list()).containsExactly(keras);
        assertThat(Files.readString(dir.resolve("installed.json")))
                .contains("\"installedAt\" : \"2024-01-01T00:00:00Z\"", "\"format\" : \"KERAS_H5\"");
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("no temporary registry file left").containsExactlyInAnyOrder("installed.json", keras.fileName());
        }
    }

    @Test
    void recordingTheSameFileAgainReplacesItsEntry() throws Exception {
        InstalledWeights registry = new InstalledWeights(dir);
        registry.record(entry(WeightsFormat.KERAS_H5, TestBytes.hdf5(1000, 1), "2024-01-01T00:00:00Z"));
        InstalledWeight zip = entry(WeightsFormat.DL4J_ZIP, TestBytes.zip(500, 2), "2024-01-02T00:00:00Z");
        registry.record(zip);
        InstalledWeight newer = entry(WeightsFormat.KERAS_H5, TestBytes.hdf5(1200, 3), "2024-01-03T00:00:00Z");
        registry.record(newer);
        assertThat(registry.list()).containsExactlyInAnyOrder(zip, newer);
    }

    @Test
    void findPrefersTheKerasFileAndSkipsFilesThatAreGoneOrChanged() throws Exception {
        InstalledWeights registry = new InstalledWeights(dir);
        InstalledWeight zip = entry(WeightsFormat.DL4J_ZIP, TestBytes.zip(500, 2), "2024-02-01T00:00:00Z");
        InstalledWeight keras = entry(WeightsFormat.KERAS_H5, TestBytes.hdf5(1000, 1), "2024-01-01T00:00:00Z");
        registry.record(zip);
        registry.record(keras);
        assertThat(registry.find("imagenet")).contains(keras);
        assertThat(registry.find("places365")).isEmpty();

        Files.write(registry.pathOf(keras), new byte[10]); // cut short: not the recorded size
        assertThat(registry.find("imagenet")).contains(zip);
        Files.delete(registry.pathOf(zip));
        assertThat(registry.find("imagenet")).isEmpty();
        assertThat(registry.list()).hasSize(2);
    }

    @Test
    void verifyRecomputesTheSha256() throws Exception {
        InstalledWeights registry = new InstalledWeights(dir);
        byte[] bytes = TestBytes.hdf5(1000, 1);
        InstalledWeight keras = entry(WeightsFormat.KERAS_H5, bytes, "2024-01-01T00:00:00Z");
        assertThat(registry.verify(keras)).isEmpty();

        bytes[500] ^= 1; // same size, one bit flipped
        Files.write(registry.pathOf(keras), bytes);
        assertThat(registry.verify(keras)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("has sha256:" + TestBytes.sha256(bytes), "sha256:" + keras.sha256() + " was installed"));

        Files.delete(registry.pathOf(keras));
        assertThat(registry.verify(keras)).hasValueSatisfying(problem -> assertThat(problem).contains("missing"));
    }

    @Test
    void refusesEntriesPointingOutsideTheInstallFolder() {
        assertThatThrownBy(() -> new InstalledWeight("imagenet", WeightsFormat.KERAS_H5, "../elsewhere.h5", 1, "0",
                "md5:0", "s", "u", Instant.EPOCH)).hasMessageContaining("not a plain file name");
    }

    private InstalledWeight entry(WeightsFormat format, byte[] bytes, String installedAt) throws Exception {
        Files.write(dir.resolve(format.fileName()), bytes);
        return new InstalledWeight("imagenet", format, format.fileName(), bytes.length, TestBytes.sha256(bytes),
                TestBytes.checksum(ChecksumAlgorithm.MD5, bytes).toString(), "test", "http://test/" + format.fileName(),
                Instant.parse(installedAt));
    }
}
