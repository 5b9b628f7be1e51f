package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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

/** The scenes dataset as written to disk: reproducible, COCO-shaped, and its objects where scenes.json says. */
class ScenesDatasetGeneratorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void sameSeedWritesIdenticalFilesAndAnotherSeedDifferentOnes() throws IOException {
        GeneratedScenes first = new ScenesDatasetGenerator(42).generate(temp.resolve("a"), 6, 1);
        GeneratedScenes again = new ScenesDatasetGenerator(42).generate(temp.resolve("b"), 6, 1);
        GeneratedScenes other = new ScenesDatasetGenerator(43).generate(temp.resolve("c"), 6, 1);

        assertThat(relativeFiles(first.dir())).hasSize(6 + 2).isEqualTo(relativeFiles(again.dir()));
        for (Path file : relativeFiles(first.dir())) {
            assertThat(Files.readAllBytes(again.dir().resolve(file)))
                    .as(file.toString()).isEqualTo(Files.readAllBytes(first.dir().resolve(file)));
        }
        assertThat(Files.readAllBytes(other.scenesFile())).isNotEqualTo(Files.readAllBytes(first.scenesFile()));
        assertThat(Files.readAllBytes(other.annotationsFile())).isNotEqualTo(Files.readAllBytes(first.annotationsFile()));
        for (GeneratedScenes.Image image : first.images()) {
            assertThat(Files.readAllBytes(other.imagesDir().resolve(image.fileName())))
                    .isNotEqualTo(Files.readAllBytes(first.imagesDir().resolve(image.fileName())));
        }
    }

    @Test
    void captionsFileIsCocoCaptionsFormatMatchingTheImagesOnDisk() throws IOException {
        GeneratedScenes dataset = new ScenesDatasetGenerator(7).generate(temp, 12, 101);

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
        assertThat(captionsById.values()).allSatisfy(captions ->
                assertThat(captions).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates());

        for (JsonNode image : imagesById.values()) {
            String fileName = image.get("file_name").stringValue();
            assertThat(fileName).matches("scene_\\d{6}\\.png");
            BufferedImage png = ImageIO.read(dataset.imagesDir().resolve(fileName).toFile());
            assertThat(png.getWidth()).isEqualTo(image.get("width").intValue()).isBetween(224, 320);
            assertThat(png.getHeight()).isEqualTo(image.get("height").intValue()).isBetween(224, 320);
        }
    }

    @Test
    void everyImageHasOneToFourObjectsInsideItWhoseBoxesDoNotIntersect() throws IOException {
        GeneratedScenes dataset = new ScenesDatasetGenerator(11).generate(temp, 60, 1);

        List<JsonNode> scenes = scenes(dataset);
        assertThat(scenes).hasSize(60);
        for (JsonNode scene : scenes) {
            int width = scene.get("width").intValue();
            int height = scene.get("height").intValue();
            List<int[]> boxes = new ArrayList<>();
            scene.get("objects").forEach(object -> boxes.add(box(object)));
            assertThat(boxes).as(scene.toString()).hasSizeBetween(1, 4);
            for (int i = 0; i < boxes.size(); i++) {
                int[] box = boxes.get(i);
                assertThat(box[2]).as("a square box").isEqualTo(box[3]).isPositive();
                assertThat(box[0]).isNotNegative();
                assertThat(box[1]).isNotNegative();
                assertThat(box[0] + box[2]).as(scene.toString()).isLessThanOrEqualTo(width);
                assertThat(box[1] + box[3]).as(scene.toString()).isLessThanOrEqualTo(height);
                for (int j = 0; j < i; j++) {
                    assertThat(intersect(box, boxes.get(j))).as(scene.toString()).isFalse();
                }
            }
        }
    }

    @Test
    void eachObjectHasItsColourAtTheCentreOfItsBoxAndItsSizeRelativeToTheImage() throws IOException {
        GeneratedScenes dataset = new ScenesDatasetGenerator(12).generate(temp, 40, 1);

        int objects = 0;
        for (JsonNode scene : scenes(dataset)) {
            BufferedImage png = ImageIO.read(dataset.imagesDir().resolve(scene.get("file_name").stringValue()).toFile());
            int shorterSide = Math.min(png.getWidth(), png.getHeight());
            for (JsonNode object : scene.get("objects")) {
                int[] box = box(object);
                int rgb = png.getRGB(box[0] + box[2] / 2, box[1] + box[3] / 2);
                assertThat(Math.min(rgb >> 16 & 0xFF, Math.min(rgb >> 8 & 0xFF, rgb & 0xFF)))
                        .as("not the background, whose every channel is at least 200").isLessThan(200);
                assertThat(nearestColour(rgb)).as(object.toString()).isEqualTo(object.get("colour").stringValue());
                double fraction = (double) box[2] / shorterSide;
                if (object.get("size").stringValue().equals("small")) {
                    assertThat(fraction).as(object.toString()).isLessThan(0.3);
                } else {
                    assertThat(object.get("size").stringValue()).isEqualTo("large");
                    assertThat(fraction).as(object.toString()).isGreaterThan(0.35);
                }
                objects++;
            }
        }
        assertThat(objects).isGreaterThan(40);
    }

    @Test
    void objectCountsFromOneToFourAreAllCommon() {
        Map<Integer, Integer> scenesByCount = new HashMap<>();
        for (SceneExample example : new ScenesDatasetGenerator(5).generateInMemory(400)) {
            scenesByCount.merge(example.scene().objects().size(), 1, Integer::sum);
        }
        assertThat(scenesByCount.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(scenesByCount.values()).as(scenesByCount.toString()).allSatisfy(n -> assertThat(n).isGreaterThan(60));
    }

    @Test
    void inMemoryExamplesAreWhatWouldBeWrittenToDisk() throws IOException {
        List<SceneExample> inMemory = new ScenesDatasetGenerator(9).generateInMemory(4);
        GeneratedScenes onDisk = new ScenesDatasetGenerator(9).generate(temp, 4, 1);

        for (int i = 0; i < 4; i++) {
            SceneExample example = inMemory.get(i);
            GeneratedScenes.Image image = onDisk.images().get(i);
            assertThat(example.scene()).isEqualTo(image.scene());
            assertThat(example.captions()).isEqualTo(image.captions());
            BufferedImage png = ImageIO.read(onDisk.imagesDir().resolve(image.fileName()).toFile());
            assertThat(pixels(png)).isEqualTo(pixels(example.image()));
        }
    }

    @Test
    void leavesNoTemporaryFilesAndReplacesAnEarlierRun() throws IOException {
        Path dir = temp.resolve("rerun");
        new ScenesDatasetGenerator(1).generate(dir, 3, 1);
        GeneratedScenes second = new ScenesDatasetGenerator(2).generate(dir, 3, 1);

        assertThat(relativeFiles(dir)).hasSize(3 + 2)
                .allSatisfy(file -> assertThat(file.getFileName().toString()).doesNotEndWith(".tmp"));
        GeneratedScenes fresh = new ScenesDatasetGenerator(2).generate(temp.resolve("fresh"), 3, 1);
        assertThat(Files.readAllBytes(second.scenesFile())).isEqualTo(Files.readAllBytes(fresh.scenesFile()));
    }

    static List<JsonNode> scenes(GeneratedScenes dataset) throws IOException {
        List<JsonNode> scenes = new ArrayList<>();
        JSON.readTree(dataset.scenesFile().toFile()).get("scenes").forEach(scenes::add);
        return scenes;
    }

    static int[] box(JsonNode object) {
        JsonNode box = object.get("box");
        assertThat(box.size()).isEqualTo(4);
        return new int[] {box.get(0).intValue(), box.get(1).intValue(), box.get(2).intValue(), box.get(3).intValue()};
    }

    /** Boxes as {@code [x, y, width, height]}, each covering the pixels {@code [x, x + width)}. */
    private static boolean intersect(int[] a, int[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    private static String nearestColour(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return Stream.of(ShapeColour.values()).min(Comparator.comparingInt(c ->
                square(c.red() - r) + square(c.green() - g) + square(c.blue() - b))).orElseThrow().word();
    }

    private static int square(int v) {
        return v * v;
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
