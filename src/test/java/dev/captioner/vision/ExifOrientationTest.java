package dev.captioner.vision;

import static dev.captioner.vision.TestImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Phone photos carry their orientation in an Exif APP1 segment. Each JPEG here is stored 64x32 with red in its
 * top-left quadrant and green in its top-right one; the tag says how it is to be shown, and that is where the
 * decoder must put the colours. Expected places are written out, not computed with the decoder's formula.
 */
class ExifOrientationTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 32;
    /** For orientations 1 to 8: the shown quadrant of the stored top-left (red) and top-right (green) ones. */
    private static final String[] RED_GOES_TO = {"TL", "TR", "BR", "BL", "TL", "TR", "BR", "BL"};
    private static final String[] GREEN_GOES_TO = {"TR", "TL", "BL", "BR", "BL", "BR", "TR", "TL"};

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    static Stream<Arguments> orientations() {
        List<Arguments> cases = new ArrayList<>();
        for (int orientation = 1; orientation <= 8; orientation++) {
            cases.add(Arguments.of(orientation, ByteOrder.LITTLE_ENDIAN));
            cases.add(Arguments.of(orientation, ByteOrder.BIG_ENDIAN));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "orientation {0}, {1}")
    @MethodSource("orientations")
    void theOrientationTagIsApplied(int orientation, ByteOrder order) {
        byte[] bytes = withExif(storedPicture(WIDTH, HEIGHT), orientationIfd(orientation, order, 3));

        BufferedImage image = decoder.decode(bytes);

        boolean sideways = orientation >= 5;
        assertThat(image.getWidth()).as("width").isEqualTo(sideways ? HEIGHT : WIDTH);
        assertThat(image.getHeight()).as("height").isEqualTo(sideways ? WIDTH : HEIGHT);
        assertQuadrant(image, RED_GOES_TO[orientation - 1], Color.RED);
        assertQuadrant(image, GREEN_GOES_TO[orientation - 1], Color.GREEN);
    }

    /** The usual portrait photo (6: turn clockwise), large enough to be subsampled before it is turned. */
    @Test
    void subsampledPhotoIsTurnedToo() {
        byte[] bytes = withExif(storedPicture(1200, 600), orientationIfd(6, ByteOrder.BIG_ENDIAN, 3));

        BufferedImage image = decoder.decode(bytes);

        assertThat(image.getWidth()).isEqualTo(600); // 600 of 600 rows, shown as columns
        assertThat(image.getHeight()).isEqualTo(600); // every 2nd of 1200 columns
        assertQuadrant(image, "TR", Color.RED);
        assertQuadrant(image, "BR", Color.GREEN);
    }

    @Test
    void orientationStoredAsALongIsReadToo() {
        byte[] bytes = withExif(storedPicture(WIDTH, HEIGHT), orientationIfd(8, ByteOrder.LITTLE_ENDIAN, 4));

        assertQuadrant(decoder.decode(bytes), "BL", Color.RED);
    }

    /** Orientation is a hint: a damaged or unknown tag leaves the picture as stored rather than rejecting it. */
    @Test
    void damagedOrOutOfRangeTagsLeaveThePictureAsStored() {
        byte[] outOfRange = orientationIfd(9, ByteOrder.LITTLE_ENDIAN, 3);
        byte[] ifdPastTheEnd = orientationIfd(6, ByteOrder.LITTLE_ENDIAN, 3);
        ifdPastTheEnd[4] = 100; // IFD0 offset beyond the segment
        byte[] cutShort = java.util.Arrays.copyOf(orientationIfd(6, ByteOrder.BIG_ENDIAN, 3), 14);
        for (byte[] tiff : List.of(outOfRange, ifdPastTheEnd, cutShort, new byte[] {'I', 'I', 42, 0})) {
            BufferedImage image = decoder.decode(withExif(storedPicture(WIDTH, HEIGHT), tiff));

            assertThat(image.getWidth()).isEqualTo(WIDTH);
            assertQuadrant(image, "TL", Color.RED);
        }
    }

    private static BufferedImage storedPicture(int width, int height) {
        return SubsamplingTest.quadrants(width, height); // red, green / blue, white
    }

    /** A TIFF header and an IFD0 holding an x-resolution entry and then the orientation. */
    private static byte[] orientationIfd(int orientation, ByteOrder order, int type) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(order);
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        tiff.putShort((short) 42).putInt(8).putShort((short) 2);
        tiff.putShort((short) 0x011A).putShort((short) 5).putInt(1).putInt(0); // XResolution, a RATIONAL
        tiff.putShort((short) 0x0112).putShort((short) type).putInt(1);
        if (type == 3) {
            tiff.putShort((short) orientation).putShort((short) 0);
        } else {
            tiff.putInt(orientation);
        }
        tiff.putInt(0); // no next IFD
        return tiff.array();
    }

    /** The JPEG of {@code picture} with an APP1 "Exif" segment after its JFIF APP0, as cameras write it. */
    private static byte[] withExif(BufferedImage picture, byte[] tiff) {
        byte[] jpeg = TestImages.jpeg(picture, 0.95f);
        int insertAt = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            insertAt += 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        ByteBuffer segment = ByteBuffer.allocate(4 + 6 + tiff.length);
        segment.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length));
        segment.put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(tiff);
        ByteBuffer result = ByteBuffer.allocate(jpeg.length + segment.capacity());
        result.put(jpeg, 0, insertAt).put(segment.array()).put(jpeg, insertAt, jpeg.length - insertAt);
        return result.array();
    }

    private static void assertQuadrant(BufferedImage image, String quadrant, Color colour) {
        int x = quadrant.charAt(1) == 'L' ? image.getWidth() / 4 : 3 * image.getWidth() / 4;
        int y = quadrant.charAt(0) == 'T' ? image.getHeight() / 4 : 3 * image.getHeight() / 4;
        assertRgb(image, x, y, colour, 8);
    }
}
