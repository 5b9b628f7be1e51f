package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;

import dev.captioner.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    @TempDir
    Path data;

    private Path image(String name, String content) throws IOException {
        Path file = data.resolve("images").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void storesAndReadsVectorsPerImageAndEncoder() throws Exception {
        Path a = image("a.png", "aaa");
        Path b = image("b.png", "bbb");
        FeatureCache cache = new FeatureCache(data.resolve("features"), data, "vgg16/random:42");
        assertThat(cache.contains(a)).isFalse();
        assertThat(cache.get(a)).isEmpty();
        cache.put(a, new float[] {1.5f, -2f, 0f, 3.25f});
        assertThat(cache.contains(a)).isTrue();
        assertThat(cache.get(a)).hasValueSatisfying(v -> assertThat(v).containsExactly(1.5f, -2f, 0f, 3.25f));
        assertThat(cache.get(b)).isEmpty();
        FeatureCache otherEncoder = new FeatureCache(data.resolve("features"), data, "vgg16/imagenet");
        assertThat(otherEncoder.contains(a)).isFalse();
        try (Stream<Path> files = Files.walk(data.resolve("features"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .hasSize(1).allMatch(n -> n.endsWith(".f32"));
        }
    }

    /** Same weights id, other numbers (the Keras file and the DL4J zoo's, if they ever differed): never mixed. */
    @Test
    void entriesMadeByOtherWeightsAreMovedAsideNotMixed() throws Exception {
        Path a = image("a.png", "aaa");
        FeatureCache cache = new FeatureCache(data.resolve("features"), data, "vgg16/imagenet");
        TestModels.FakeEncoder weights = new TestModels.FakeEncoder("vgg16/imagenet", 32, 1f);
        assertThat(cache.bindTo(weights)).isEmpty();
        cache.put(a, new float[] {1f, 2f});
        assertThat(cache.bindTo(new TestModels.FakeEncoder("vgg16/imagenet", 32, 1f))).as("the same numbers").isEmpty();
        assertThat(cache.contains(a)).isTrue();

        Optional<String> moved = cache.bindTo(new TestModels.FakeEncoder("vgg16/imagenet", 32, 2f));
        assertThat(moved).hasValueSatisfying(message -> assertThat(message).contains("other weights").contains("moved aside"));
        assertThat(cache.contains(a)).as("an entry of the old weights is not served to the new").isFalse();
        try (Stream<Path> folders = Files.list(data.resolve("features"))) {
            assertThat(folders.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("vgg16_imagenet.stale-"));
        }
        assertThat(cache.bindTo(new TestModels.FakeEncoder("vgg16/imagenet", 32, 2f))).as("now bound to the new").isEmpty();
    }

    @Test
    void aChangedOrMissingImageIsAMiss() throws Exception {
        Path a = image("a.png", "aaa");
        FeatureCache cache = new FeatureCache(data.resolve("features"), data, "vgg16/random:42");
        cache.put(a, new float[] {1f});
        Files.writeString(a, "a different image");
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
        assertThat(cache.contains(a)).isFalse();
        assertThat(cache.get(data.resolve("images/missing.png"))).isEmpty();
        assertThat(cache.contains(data.resolve("images/missing.png"))).isFalse();
    }

    @Test
    void aCorruptEntryIsAnErrorNotSilentGarbage() throws Exception {
        Path a = image("a.png", "aaa");
        FeatureCache cache = new FeatureCache(data.resolve("features"), data, "vgg16/random:42");
        cache.put(a, new float[] {1f, 2f, 3f});
        Path entry;
        try (Stream<Path> files = Files.walk(cache.folder())) {
            entry = files.filter(p -> p.toString().endsWith(".f32")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length - 2));
        assertThatThrownBy(() -> cache.get(a)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }
}
