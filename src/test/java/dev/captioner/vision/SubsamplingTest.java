package dev.captioner.vision;

import static dev.captioner.vision.TestImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large images are decoded straight to the size the encoder starts from: each side at least the target side
 * (448 for VGG16), at the largest whole subsampling per axis, so memory follows the output, not the header.
 */
class SubsamplingTest {

    private static final Color[] QUADRANTS = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void largeImagesAreDecodedSubsampledToAtLeastTheTargetSide(ImageFormat format) {
        byte[] bytes = TestImages.encode(quadrants(2000, 1000), format.readerFormatName());

        BufferedImage image = decoder.decode(bytes);

        // x: every 4th of 2000 columns (every 5th would leave 400); y: every 2nd of 1000 rows (every 3rd: 334).
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).as("width").isEqualTo(500);
        assertThat(image.getHeight()).as("height").isEqualTo(500);
        assertQuadrants(image, format == ImageFormat.JPEG ? 8 : 0);
    }

    /** The CMYK path converts a raster of its own, which must come out of the reader subsampled too. */
    @Test
    void fourComponentJpegIsSubsampledToo() {
        // Plain ink amounts for red, green, blue and white: (0,255,255,0), (255,0,255,0), (255,255,0,0), (0,0,0,0).
        int[][] inks = {{0, 255, 255, 0}, {255, 0, 255, 0}, {255, 255, 0, 0}, {0, 0, 0, 0}};
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 2000, 1000, 4, null);
        for (int y = 0; y < 1000; y++) {
            for (int x = 0; x < 2000; x++) {
                raster.setPixel(x, y, inks[(y < 500 ? 0 : 2) + (x < 1000 ? 0 : 1)]);
            }
        }
        byte[] bytes = TestImages.rasterJpeg(raster, 0.95f);
        assertThat(TestImages.jpegComponents(bytes)).isEqualTo(4);

        BufferedImage image = decoder.decode(bytes);

        assertThat(image.getWidth()).isEqualTo(500);
        assertThat(image.getHeight()).isEqualTo(500);
        assertQuadrants(image, 8);
    }

    @Test
    void targetSideIsTheDecodersToChoose() {
        byte[] bytes = TestImages.encode(quadrants(2000, 1000), "png");

        BufferedImage image = new ImageDecoder(40_000_000, 100).decode(bytes);

        // every 20th column (21st: 96 left), every 10th row (11th: 91 left)
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(100);
        assertQuadrants(image, 0);
        assertThat(new ImageDecoder(40_000_000, Integer.MAX_VALUE).decode(bytes).getWidth()).as("full size").isEqualTo(2000);
    }

    @Test
    void imagesUpToTheTargetSideKeepEveryPixel() {
        byte[] bytes = TestImages.encode(quadrants(895, 448), "png");

        BufferedImage image = decoder.decode(bytes);

        assertThat(image.getWidth()).isEqualTo(448); // every 2nd of 895: 448
        assertThat(image.getHeight()).isEqualTo(448);
        assertThat(decoder.decode(TestImages.encode(quadrants(447, 30), "png")).getWidth()).isEqualTo(447);
    }

    @Test
    void subsamplingIsTheLargestStepThatKeepsTheTarget() {
        for (int target : new int[] {1, 2, 224, 448, 1000}) {
            for (int side = 1; side <= 20_000; side += side < 3000 ? 1 : 97) {
                int step = ImageDecoder.subsampling(side, target);
                assertThat(ceilDiv(side, step)).as("side %d, target %d, step %d", side, target, step)
                        .isGreaterThanOrEqualTo(Math.min(side, target));
                if (side > target && target > 1) { // with a target of 1, any larger step keeps it too
                    assertThat(ceilDiv(side, step + 1)).as("side %d, target %d, step %d + 1", side, target, step)
                            .isLessThan(target);
                }
            }
        }
    }

    @Test
    void targetSideMustBePositive() {
        assertThatThrownBy(() -> new ImageDecoder(100, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        for (int i = 0; i < 4; i++) {
            graphics.setColor(QUADRANTS[i]);
            graphics.fillRect(i % 2 == 0 ? 0 : width / 2, i < 2 ? 0 : height / 2, width - width / 2, height - height / 2);
        }
        graphics.dispose();
        return image;
    }

    private static void assertQuadrants(BufferedImage image, int tolerance) {
        int w = image.getWidth();
        int h = image.getHeight();
        assertRgb(image, w / 4, h / 4, QUADRANTS[0], tolerance);
        assertRgb(image, 3 * w / 4, h / 4, QUADRANTS[1], tolerance);
        assertRgb(image, w / 4, 3 * h / 4, QUADRANTS[2], tolerance);
        assertRgb(image, 3 * w / 4, 3 * h / 4, QUADRANTS[3], tolerance);
    }
}
