package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import dev.captioner.TestModels;
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
}
