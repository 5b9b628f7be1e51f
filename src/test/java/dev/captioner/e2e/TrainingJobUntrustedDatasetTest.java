package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import dev.captioner.Fifos;
import dev.captioner.training.synthetic.GeneratedDataset;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A dataset someone else wrote, on the real application: its entries link out of the data directory (to an
 * image, a secret, {@code /etc/passwd}, a FIFO), name a FIFO, a path through a file, an image over the size
 * limit, or no usable name at all (NUL, none, too long). A job leaves each of them out with its reason and
 * trains on the rest, never opening them (a FIFO opened would block the job for good); a job whose validation
 * images are all of that kind fails before training, saying so.
 */
class TrainingJobUntrustedDatasetTest {

    private static final int GOOD_IMAGES = 12;
    private static final long MAX_IMAGE_SIZE = 100_000;

    @TempDir
    Path root;

    @Test
    void leavesOutWhatItMayNotOpenAndFailsInWordsWithoutValidationImages() throws Exception {
        Path data = root.resolve("data");
        Path outside = Files.createDirectories(root.resolve("outside"));
        GeneratedDataset good = new ShapesDatasetGenerator(61).generate(data.resolve("ds"), GOOD_IMAGES, 1);
        Path images = good.imagesDir();
        Files.copy(images.resolve(good.images().get(0).fileName()), outside.resolve("photo.png"));
        Files.writeString(outside.resolve("secret.txt"), "password=hunter2");
        Fifos.make(outside.resolve("fifo"));
        Fifos.make(images.resolve("fifo.png"));
        Files.createSymbolicLink(images.resolve("photo-out.png"), outside.resolve("photo.png"));
        Files.createSymbolicLink(images.resolve("secret.png"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(images.resolve("passwd.png"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(images.resolve("fifo-out.png"), outside.resolve("fifo"));
        Files.createSymbolicLink(images.resolve("outside-folder"), outside);
        Files.copy(images.resolve(good.images().get(1).fileName()), images.resolve("a.png"));
        ImageIO.write(noise(400, 400), "png", images.resolve("big.png").toFile());
        assertThat(Files.size(images.resolve("big.png"))).isGreaterThan(MAX_IMAGE_SIZE);

        List<Entry> entries = new ArrayList<>();
        for (GeneratedDataset.Image image : good.images()) {
            entries.add(entry(image.imageId(), "\"" + image.fileName() + "\""));
        }
        String[] bad = {"\"photo-out.png\"", "\"secret.png\"", "\"passwd.png\"", "\"fifo-out.png\"",
                "\"outside-folder/photo.png\"", "\"fifo.png\"", "\"a.png/b.png\"", "\"big.png\"",
                "\"bad\\u0000name.png\"", "null", "\"" + "x".repeat(300) + ".png\""};
        for (int i = 0; i < bad.length; i++) {
            entries.add(entry(1000 + i, bad[i]));
        }
        entries.add(entry(2000, null));
        Files.writeString(data.resolve("ds/untrusted.json"), coco(entries));
        Files.writeString(data.resolve("ds/unusable-validation.json"), coco(List.of(
                entry(3000, "\"photo-out.png\""), entry(3001, "\"fifo.png\""), entry(3002, "\"bad\\u0000.png\""))));
        Files.writeString(images.resolve("notes.png"), "not an image");
        Files.writeString(data.resolve("ds/unreadable-validation.json"), coco(List.of(
                entry(4000, "\"notes.png\""), entry(4001, "\"missing.png\""))));
        GeneratedDataset validation = new ShapesDatasetGenerator(62).generate(data.resolve("val"), 4, 500);
        int rejected = bad.length + 1;

        try (RunningService service = RunningService.start(data, root.resolve("models"),
                "--captioner.max-image-size=" + MAX_IMAGE_SIZE)) {
            // validation images that are all left out when read: the job ends as it reads them
            JsonNode unusable = service.awaitJob(submit(service, "ds/unusable-validation.json", "ds/images"),
                    job -> job.get("status").asString().equals("FAILED"));
            assertThat(unusable.get("step").asString()).isEqualTo("prepare");
            assertThat(unusable.get("error").asString()).contains("none of the 3 validation images")
                    .doesNotContain("Exception");
            // validation images that turn out unreadable: the job ends after the features, before training
            JsonNode unreadable = service.awaitJob(submit(service, "ds/unreadable-validation.json", "ds/images"),
                    job -> job.get("status").asString().equals("FAILED"));
            assertThat(unreadable.get("step").asString()).isEqualTo("features");
            assertThat(unreadable.get("epochs")).isEmpty();
            assertThat(unreadable.get("error").asString()).contains("none of the 2 validation images")
                    .doesNotContain("Exception");

            // the next job's folder, linked out: it fails rather than write there
            Path linkedJobFolder = Files.createDirectories(outside.resolve("job"));
            Files.createSymbolicLink(Files.createDirectories(data.resolve("training-jobs")).resolve("3"), linkedJobFolder);
            JsonNode linked = service.awaitJob(submit(service, "val/captions.json", "val/images"),
                    job -> job.get("status").asString().equals("FAILED"));
            assertThat(linked.get("id").asLong()).isEqualTo(3);
            assertThat(linked.get("error").asString()).contains("leads outside the data directory");
            try (var written = Files.list(linkedJobFolder)) {
                assertThat(written).isEmpty();
            }

            JsonNode job = service.awaitJob(submit(service, "val/captions.json", "val/images"),
                    j -> j.get("status").asString().equals("SUCCEEDED"));
            JsonNode counted = job.get("images");
            assertThat(counted.get("train").asInt()).as("the good images and the big one").isEqualTo(GOOD_IMAGES + 1);
            assertThat(counted.get("validation").asInt()).isEqualTo(validation.images().size());
            assertThat(counted.get("skipped").asInt()).isEqualTo(rejected);
            JsonNode features = job.get("features");
            assertThat(features.get("encoded").asInt() + features.get("reused").asInt())
                    .as("only the good images (the earlier job encoded the training ones)")
                    .isEqualTo(GOOD_IMAGES + validation.images().size());
            JsonNode reasons = counted.get("skippedByReason");
            assertThat(reasons.get("a symbolic link to outside the data directory").asInt()).isEqualTo(5);
            assertThat(reasons.get("not a regular file (a FIFO, socket or device), so it is not opened").asInt())
                    .isEqualTo(1);
            assertThat(reasons.get("a part of its path is a file, not a folder").asInt()).isEqualTo(1);
            assertThat(reasons.get("no file name").asInt()).isEqualTo(2);
            assertThat(reasons.get("a NUL character in the file name").asInt()).isEqualTo(1);
            assertThat(reasons.get("a name longer than 255 bytes").asInt()).isEqualTo(1);
            assertThat(reasons.get("larger than the image size limit (captioner.max-image-size, " + MAX_IMAGE_SIZE
                    + " bytes)").asInt()).isEqualTo(1);
            assertThat(counted.get("skippedExamples").toString()).contains("ds/images/secret.png: a symbolic link")
                    .contains("bad\\\\u0000name.png: a NUL character").doesNotContain("hunter2");
        }
    }

    private static long submit(RunningService service, String validationAnnotations, String validationImages)
            throws Exception {
        return service.admin("POST", "/admin/training-jobs", """
                {"dataset":{"annotations":"ds/untrusted.json","images":"ds/images"},
                 "validation":{"annotations":"%s","images":"%s"},
                 "epochs":1,"batchSize":4,"hiddenSize":8,"embeddingSize":8,"minWordCount":1,"metricsImages":2,
                 "featureBatchSize":4,"encoderWeights":"random:42"}""".formatted(validationAnnotations,
                validationImages)).get("id").asLong();
    }

    /** @param fileName JSON text of the file_name value, or null for an image without one */
    private record Entry(long id, String fileName) {
        String json() {
            return "{\"id\":" + id + (fileName == null ? "" : ",\"file_name\":" + fileName) + "}";
        }
    }

    private static Entry entry(long id, String fileName) {
        return new Entry(id, fileName);
    }

    /** A COCO captions file: the images, one caption each. */
    private static String coco(List<Entry> images) {
        return "{\"images\":[" + String.join(",", images.stream().map(Entry::json).toList()) + "],\"annotations\":["
                + String.join(",", images.stream().map(image -> "{\"image_id\":" + image.id()
                + ",\"caption\":\"a red circle\"}").toList()) + "]}";
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }
}
