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

    @Test
    void float16EntriesTakeHalfTheBytesAndKeepThreeDigits() throws Exception {
        Path a = image("a.png", "aaa");
        float[] grid = new float[14 * 14 * 512];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < grid.length; i++) {
            grid[i] = i % 3 == 0 ? 0f : (float) random.nextDouble(0, 300);
        }
        FeatureCache halves = new FeatureCache(data.resolve("features"), data, "vgg16-conv5_3/random:42",
                FeatureCache.Precision.FLOAT16);
        halves.put(a, grid);
        Path entry = onlyEntry(halves);
        assertThat(Files.size(entry)).isEqualTo(8 + 2L * grid.length)
                .isEqualTo(FeatureCache.Precision.FLOAT16.entryBytes(grid.length));
        assertThat(new String(Files.readAllBytes(entry), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("CFH1");
        float[] back = halves.get(a).orElseThrow();
        assertThat(back).hasSize(grid.length);
        for (int i = 0; i < grid.length; i++) {
            assertThat(Math.abs(back[i] - grid[i])).as("feature %d", i).isLessThanOrEqualTo(Math.abs(grid[i]) * 0x1p-11f);
        }
        assertThat(new FeatureCache(data.resolve("features"), data, "vgg16-conv5_3/random:42").get(a))
                .as("a float32 cache reads float16 entries too").hasValueSatisfying(v -> assertThat(v).containsExactly(back));
        assertThat(FeatureCache.Precision.FLOAT32.entryBytes(grid.length)).isEqualTo(8 + 4L * grid.length);
    }

    @Test
    void aFloat16CacheReadsFloat32EntriesExactly() throws Exception {
        Path a = image("a.png", "aaa");
        new FeatureCache(data.resolve("features"), data, "vgg16/random:42").put(a, new float[] {1.0001f, -3e-7f});
        FeatureCache halves = new FeatureCache(data.resolve("features"), data, "vgg16/random:42", FeatureCache.Precision.FLOAT16);
        assertThat(halves.get(a)).hasValueSatisfying(v -> assertThat(v).containsExactly(1.0001f, -3e-7f));
    }

    @Test
    void aFeatureBeyondFloat16sRangeIsRefusedNotStoredAsInfinity() throws Exception {
        Path a = image("a.png", "aaa");
        FeatureCache halves = new FeatureCache(data.resolve("features"), data, "vgg16/random:42", FeatureCache.Precision.FLOAT16);
        assertThatThrownBy(() -> halves.put(a, new float[] {1f, 70_000f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature 1 is 70000.0")
                .hasMessageContaining("float32");
        assertThat(halves.contains(a)).isFalse();
        halves.put(a, new float[] {65504f, -65504f});
        assertThat(halves.get(a)).hasValueSatisfying(v -> assertThat(v).containsExactly(65504f, -65504f));
    }

    @Test
    void truncatedPaddedAndForeignFloat16EntriesAreErrors() throws Exception {
        Path a = image("a.png", "aaa");
        FeatureCache halves = new FeatureCache(data.resolve("features"), data, "vgg16/random:42", FeatureCache.Precision.FLOAT16);
        halves.put(a, new float[] {1f, 2f, 3f});
        Path entry = onlyEntry(halves);
        byte[] bytes = Files.readAllBytes(entry);
        assertThat(bytes).hasSize(8 + 6);

        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> halves.get(a)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length + 2));
        assertThatThrownBy(() -> halves.get(a)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        byte[] hugeLength = bytes.clone();
        hugeLength[4] = 0x7f;
        Files.write(entry, hugeLength);
        assertThatThrownBy(() -> halves.get(a)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] negativeLength = bytes.clone();
        negativeLength[4] = (byte) 0xff;
        Files.write(entry, negativeLength);
        assertThatThrownBy(() -> halves.get(a)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] otherMagic = bytes.clone();
        otherMagic[2] = 'X';
        Files.write(entry, otherMagic);
        assertThatThrownBy(() -> halves.get(a)).isInstanceOf(IOException.class).hasMessageContaining("not a feature file");
        Files.write(entry, bytes);
        assertThat(halves.get(a)).hasValueSatisfying(v -> assertThat(v).containsExactly(1f, 2f, 3f));
    }

    private static Path onlyEntry(FeatureCache cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache.folder())) {
            return files.filter(p -> p.toString().endsWith(".f32")).findFirst().orElseThrow();
        }
    }
}
