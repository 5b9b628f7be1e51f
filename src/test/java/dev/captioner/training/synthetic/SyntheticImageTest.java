package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The rendered pixels show what the scene (and so the captions) say: colour, position and size. */
class SyntheticImageTest {

    /** Pixels that cannot be background: every background channel is at least 200. */
    private record ShapePixels(int count, double red, double green, double blue, double centroidX) {

        static ShapePixels of(BufferedImage image) {
            int count = 0;
            double red = 0;
            double green = 0;
            double blue = 0;
            double sumX = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y);
                    int r = rgb >> 16 & 0xFF;
                    int g = rgb >> 8 & 0xFF;
                    int b = rgb & 0xFF;
                    if (Math.min(r, Math.min(g, b)) < 200) {
                        count++;
                        red += r;
                        green += g;
                        blue += b;
                        sumX += x + 0.5;
                    }
                }
            }
            return new ShapePixels(count, red / count, green / count, blue / count, sumX / count);
        }

        ShapeColour nearestColour() {
            return Stream.of(ShapeColour.values()).min(Comparator.comparingDouble(c ->
                    square(c.red() - red) + square(c.green() - green) + square(c.blue() - blue))).orElseThrow();
        }

        private static double square(double v) {
            return v * v;
        }
    }

    private final List<SyntheticExample> examples = new ShapesDatasetGenerator(3).generateInMemory(300);

    @Test
    void imagesAreRgbOfTheScenesSize() {
        for (SyntheticExample example : examples) {
            assertThat(example.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(example.image().getWidth()).isEqualTo(example.scene().width()).isBetween(192, 320);
            assertThat(example.image().getHeight()).isEqualTo(example.scene().height()).isBetween(192, 320);
        }
    }

    @Test
    void theShapeHasTheScenesColour() {
        for (SyntheticExample example : examples) {
            SyntheticScene scene = example.scene();
            assertThat(ShapePixels.of(example.image()).nearestColour()).as(scene.toString()).isEqualTo(scene.colour());
            // The centre of the shape's box is inside every kind of shape, away from antialiased edges.
            assertThat(example.image().getRGB((int) scene.centreX(), (int) scene.centreY()) & 0xFFFFFF)
                    .isEqualTo(scene.shapeRgb());
        }
    }

    @Test
    void shapeColoursAreJitteredSlightly() {
        List<Integer> redChannels = new ArrayList<>();
        for (SyntheticExample example : examples) {
            ShapeColour colour = example.scene().colour();
            int rgb = example.scene().shapeRgb();
            assertThat(Math.abs((rgb >> 16 & 0xFF) - colour.red())).isLessThanOrEqualTo(20);
            assertThat(Math.abs((rgb >> 8 & 0xFF) - colour.green())).isLessThanOrEqualTo(20);
            assertThat(Math.abs((rgb & 0xFF) - colour.blue())).isLessThanOrEqualTo(20);
            if (colour == ShapeColour.BLUE) {
                redChannels.add(rgb >> 16 & 0xFF);
            }
        }
        assertThat(redChannels.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void theShapeIsInTheScenesThird() {
        for (SyntheticExample example : examples) {
            SyntheticScene scene = example.scene();
            double centroidX = ShapePixels.of(example.image()).centroidX();
            assertThat(centroidX).as(scene.toString())
                    .isBetween(scene.position().from(scene.width()), scene.position().to(scene.width()));
        }
    }

    @Test
    void smallShapesCoverLessOfTheImageThanLargeOnes() {
        double largestSmall = 0;
        double smallestLarge = 1;
        for (SyntheticExample example : examples) {
            SyntheticScene scene = example.scene();
            int shorterSide = Math.min(scene.width(), scene.height());
            double coverage = (double) ShapePixels.of(example.image()).count() / (shorterSide * shorterSide);
            if (scene.size() == ShapeSize.SMALL) {
                largestSmall = Math.max(largestSmall, coverage);
            } else {
                smallestLarge = Math.min(smallestLarge, coverage);
            }
        }
        assertThat(largestSmall).isGreaterThan(0).isLessThan(smallestLarge);
    }

    @Test
    void theBackgroundIsLightAndVaries() {
        List<Integer> corners = new ArrayList<>();
        for (SyntheticExample example : examples) {
            BufferedImage image = example.image();
            int w = image.getWidth() - 1;
            int h = image.getHeight() - 1;
            for (int rgb : new int[] {image.getRGB(0, 0), image.getRGB(w, 0), image.getRGB(0, h), image.getRGB(w, h)}) {
                assertThat(List.of(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF))
                        .allSatisfy(channel -> assertThat(channel).isBetween(200, 250));
                corners.add(rgb & 0xFFFFFF);
            }
        }
        assertThat(corners.stream().distinct().count()).isGreaterThan(examples.size());
    }
}
