package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ShapesDatasetGeneratorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void sameSeedWritesIdenticalFilesAndAnotherSeedDifferentOnes() throws IOException {
        GeneratedDataset first = new ShapesDatasetGenerator(42).generate(temp.resolve("a"), 6, 1);
        GeneratedDataset again = new ShapesDatasetGenerator(42).generate(temp.resolve("b"), 6, 1);
        GeneratedDataset other = new ShapesDatasetGenerator(43).generate(temp.resolve("c"), 6, 1);

        assertThat(relativeFiles(first.dir())).isEqualTo(relativeFiles(again.dir()));
        for (Path file : relativeFiles(first.dir())) {
            assertThat(Files.readAllBytes(again.dir().resolve(file)))
                    .as(file.toString()).isEqualTo(Files.readAllBytes(first.dir().resolve(file)));
        }
        assertThat(Files.readAllBytes(other.annotationsFile())).isNotEqualTo(Files.readAllBytes(first.annotationsFile()));
        for (GeneratedDataset.Image image : first.images()) {
            assertThat(Files.readAllBytes(other.imagesDir().resolve(image.fileName())))
                    .isNotEqualTo(Files.readAllBytes(first.imagesDir().resolve(image.fileName())));
        }
    }

    @Test
    void captionsFileIsCocoCaptionsFormatMatchingTheImagesOnDisk() throws IOException {
        GeneratedDataset dataset = new ShapesDatasetGenerator(7).generate(temp, 12, 101);

        JsonNode root = JSON.readTree(dataset.annotationsFile().toFile());
        assertThat(root.get("info").isObject()).isTrue();
        Map<Integer, JsonNode> imagesById = new HashMap<>();
        for (JsonNode image : root.get("images")) {
            assertThat(imagesById.put(image.get("id").intValue(), image)).as("duplicate image id").isNull();
        }
        assertThat(imagesById.keySet()).hasSize(12).allSatisfy(id -> assertThat(id).isBetween(101, 112));

        Map<Integer, List<String>> captionsById = new HashMap<>();
        Set<Long> annotationIds = new HashSet<>();
        for (JsonNode annotation : root.get("annotations")) {
            assertThat(annotationIds.add(annotation.get("id").longValue())).as("duplicate annotation id").isTrue();
            int imageId = annotation.get("image_id").intValue();
            assertThat(imagesById).containsKey(imageId);
            captionsById.computeIfAbsent(imageId, id -> new ArrayList<>()).add(annotation.get("caption").stringValue());
        }
        assertThat(captionsById.keySet()).isEqualTo(imagesById.keySet());
        assertThat(captionsById.values()).allSatisfy(captions -> assertThat(captions).hasSize(5).doesNotHaveDuplicates());

        for (JsonNode image : imagesById.values()) {
            String fileName = image.get("file_name").stringValue();
            assertThat(fileName).matches("synthetic_\\d{6}\\.png");
            Path file = dataset.imagesDir().resolve(fileName);
            assertThat(file).isRegularFile();
            BufferedImage png = ImageIO.read(file.toFile());
            assertThat(png.getWidth()).isEqualTo(image.get("width").intValue());
            assertThat(png.getHeight()).isEqualTo(image.get("height").intValue());
        }
        for (GeneratedDataset.Image image : dataset.images()) {
            assertThat(captionsById.get(image.imageId())).isEqualTo(image.captions());
        }
    }

    @Test
    void scenesFileHoldsTheGroundTruthOfEveryImage() throws IOException {
        GeneratedDataset dataset = new ShapesDatasetGenerator(8).generate(temp, 10, 1);

        List<JsonNode> scenes = new ArrayList<>();
        JSON.readTree(dataset.scenesFile().toFile()).get("scenes").forEach(scenes::add);

        assertThat(scenes).hasSize(dataset.images().size());
        for (int i = 0; i < scenes.size(); i++) {
            GeneratedDataset.Image image = dataset.images().get(i);
            JsonNode scene = scenes.get(i);
            assertThat(scene.get("image_id").intValue()).isEqualTo(image.imageId());
            assertThat(scene.get("file_name").stringValue()).isEqualTo(image.fileName());
            assertThat(scene.get("colour").stringValue()).isEqualTo(image.scene().colour().word());
            assertThat(scene.get("kind").stringValue()).isEqualTo(image.scene().kind().word());
            assertThat(scene.get("size").stringValue()).isEqualTo(image.scene().size().word());
            assertThat(scene.get("position").stringValue()).isEqualTo(image.scene().position().word());
        }
    }

    @Test
    void leavesNoTemporaryFilesAndReplacesAnEarlierRun() throws IOException {
        Path dir = temp.resolve("rerun");
        new ShapesDatasetGenerator(1).generate(dir, 3, 1);
        GeneratedDataset second = new ShapesDatasetGenerator(2).generate(dir, 3, 1);

        assertThat(relativeFiles(dir)).hasSize(3 + 2)
                .allSatisfy(file -> assertThat(file.getFileName().toString()).doesNotEndWith(".tmp"));
        GeneratedDataset fresh = new ShapesDatasetGenerator(2).generate(temp.resolve("fresh"), 3, 1);
        assertThat(Files.readAllBytes(second.annotationsFile())).isEqualTo(Files.readAllBytes(fresh.annotationsFile()));
    }

    @Test
    void inMemoryExamplesAreWhatWouldBeWrittenToDisk() throws IOException {
        List<SyntheticExample> inMemory = new ShapesDatasetGenerator(9).generateInMemory(4);
        GeneratedDataset onDisk = new ShapesDatasetGenerator(9).generate(temp, 4, 1);

        for (int i = 0; i < 4; i++) {
            SyntheticExample example = inMemory.get(i);
            GeneratedDataset.Image image = onDisk.images().get(i);
            assertThat(example.scene()).isEqualTo(image.scene());
            assertThat(example.captions()).isEqualTo(image.captions());
            BufferedImage png = ImageIO.read(onDisk.imagesDir().resolve(image.fileName()).toFile());
            assertThat(pixels(png)).isEqualTo(pixels(example.image()));
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static List<Path> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
