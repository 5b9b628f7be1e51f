package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import dev.captioner.Fifos;
import dev.captioner.TestModels;
import dev.captioner.config.DataDirectory;
import dev.captioner.dataset.DatasetFiles;
import dev.captioner.vision.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureExtractorTest {

    @TempDir
    Path dir;

    private Path png(String name, Color colour) throws Exception {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 40, 30);
        g.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void skipsWhatCannotBeReadWithTheReasonAndKeepsTheRestInOrder() throws Exception {
        Path red = png("red.png", Color.RED);
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        Path missing = dir.resolve("missing.png");
        Path blue = png("blue.png", Color.BLUE);
        TestModels.FakeEncoder encoder = new TestModels.FakeEncoder("fake", 3, 1f);
        FeatureExtractor extractor = new FeatureExtractor(new ImageDecoder(1_000_000));

        FeatureExtractor.Batch batch = extractor.encode(List.of(red, text, missing, blue), encoder::encode);
        assertThat(batch.files()).containsExactly(red, blue);
        assertThat(batch.features()).hasNumberOfRows(2);
        assertThat(batch.features()[0][0]).as("red, first").isGreaterThan(batch.features()[1][0]);
        assertThat(batch.skipped()).extracting(FeatureExtractor.Skipped::file).containsExactly(text, missing);
        assertThat(batch.skipped().get(1).reason()).isEqualTo("missing");

        FeatureExtractor.Result result = extractor.extract(List.of(red, text, missing, blue), encoder, 3, done -> { });
        assertThat(result.skipped()).isEqualTo(2);
        assertThat(result.features()[0]).isEqualTo(batch.features()[0]);
        assertThat(result.features()[1]).isNull();
        assertThat(result.features()[2]).isNull();
        assertThat(result.features()[3]).isEqualTo(batch.features()[1]);
    }

    @Test
    void throughTheDatasetReaderLinksOutFifosAndTooLargeFilesAreSkippedUnopened() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path red = png("data/red.png", Color.RED);
        Path linkedOut = Files.createSymbolicLink(data.resolve("out.png"), png("outside/blue.png", Color.BLUE));
        Path fifo = Fifos.make(data.resolve("fifo.png"));
        Path big = Files.write(data.resolve("big.png"), new byte[10_000]);
        Path text = Files.writeString(data.resolve("notes.png"), "not an image");
        DatasetFiles files = new DatasetFiles(new DataDirectory(data));
        long limit = Math.max(Files.size(red), Files.size(text));
        assertThat(Files.size(big)).isGreaterThan(limit);
        FeatureExtractor extractor = new FeatureExtractor(new ImageDecoder(1_000_000), file -> files.read(file, limit));

        FeatureExtractor.Batch batch = extractor.encode(List.of(red, linkedOut, fifo, big, text),
                new TestModels.FakeEncoder("fake", 3, 1f)::encode);
        assertThat(batch.files()).containsExactly(red);
        assertThat(batch.skipped()).extracting(FeatureExtractor.Skipped::reason).containsExactly(
                "a symbolic link to outside the data directory",
                "not a regular file (a FIFO, socket or device), so it is not opened",
                "larger than the image size limit (captioner.max-image-size, " + limit + " bytes)",
                batch.skipped().get(3).reason());
        assertThat(batch.skipped().get(3).kind()).isEqualTo(FeatureExtractor.NOT_A_READABLE_IMAGE);
        assertThat(batch.skipped().get(0).kind()).isEqualTo(batch.skipped().get(0).reason());
    }
}
