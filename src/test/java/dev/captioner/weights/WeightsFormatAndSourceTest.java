package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsFormatAndSourceTest {

    @TempDir
    Path dir;

    @Test
    void detectsTheFormatFromTheMagicBytes() throws Exception {
        assertThat(WeightsFormat.detect(write("a.h5", TestBytes.hdf5(4096, 1)))).contains(WeightsFormat.KERAS_H5);
        assertThat(WeightsFormat.detect(write("a.zip", TestBytes.zip(4096, 1)))).contains(WeightsFormat.DL4J_ZIP);
        assertThat(WeightsFormat.detect(write("page.html", "<!DOCTYPE html><html>".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(WeightsFormat.detect(write("empty", new byte[0]))).isEmpty();
        assertThat(WeightsFormat.detect(write("short", new byte[] {(byte) 0x89, 'H'}))).isEmpty();
    }

    @Test
    void findsAnHdf5SignatureAfterAUserBlock() throws Exception {
        byte[] bytes = TestBytes.random(8192, 2);
        bytes[0] = 0; // no signature at 0 or 512
        bytes[512] = 0;
        System.arraycopy(TestBytes.HDF5_MAGIC, 0, bytes, 2048, TestBytes.HDF5_MAGIC.length);
        assertThat(WeightsFormat.detect(write("user-block.h5", bytes))).contains(WeightsFormat.KERAS_H5);

        // the spec's offsets only: the signature at 1000 does not count
        byte[] misplaced = new byte[4096];
        System.arraycopy(TestBytes.HDF5_MAGIC, 0, misplaced, 1000, TestBytes.HDF5_MAGIC.length);
        assertThat(WeightsFormat.detect(write("misplaced", misplaced))).isEmpty();
    }

    @Test
    void defaultSourcesAreKerasFirstThenTheDl4jZooUnderTheGivenBase() {
        List<WeightsSource> sources = WeightsSource.defaults("https://mirror.example/dl4j");
        assertThat(sources).extracting(WeightsSource::name).containsExactly("keras-gcs", "keras-github", "dl4j-zoo");
        assertThat(sources.get(0).url()).hasToString(
                "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
                        + "vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        assertThat(sources.get(0).expectedSize()).isEqualTo(553_467_096L);
        assertThat(sources.get(1).checksum()).hasToString("md5:64373286793e3c8b2b4e3219cbf3544b");
        assertThat(sources.get(2).url()).hasToString("https://mirror.example/dl4j/models/vgg16_dl4j_inference.zip");
        assertThat(sources.get(2).checksum()).hasToString("adler32:3501732770");
        assertThat(sources.get(2).format()).isEqualTo(WeightsFormat.DL4J_ZIP);
        assertThat(sources.get(2).expectedSize()).isEqualTo(WeightsSource.UNKNOWN_SIZE);
        assertThat(WeightsSource.defaults(null).get(2).url())
                .hasToString("https://dl4jdata.blob.core.windows.net/models/vgg16_dl4j_inference.zip");
    }

    @Test
    void refusesSourcesAndSettingsThatCannotWork() {
        ExpectedChecksum md5 = ExpectedChecksum.parse("md5:64373286793e3c8b2b4e3219cbf3544b");
        assertThatThrownBy(() -> new WeightsSource("x", WeightsFormat.KERAS_H5, URI.create("ftp://h/f"), md5, -1))
                .hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> new WeightsSource("x", WeightsFormat.KERAS_H5, URI.create("http://h/f"), md5, 0))
                .hasMessageContaining("expected size");
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new FetchSettings(Duration.ZERO, s, 1, s, s)).hasMessageContaining("connectTimeout");
        // under a millisecond would reach HttpURLConnection as 0, "no timeout"
        assertThatThrownBy(() -> new FetchSettings(s, Duration.ofNanos(1000), 1, s, s)).hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> new FetchSettings(s, s, 0, s, s)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new FetchSettings(s, s, 1, s, Duration.ofMillis(1))).hasMessageContaining("backoff");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        FetchSettings defaults = FetchSettings.defaults();
        assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(List.of(2, 3, 4, 5, 6, 7, 100).stream().map(defaults::backoffBefore))
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                        Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
