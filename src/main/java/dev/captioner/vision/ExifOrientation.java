package dev.captioner.vision;

import java.awt.image.BufferedImage;

/**
 * The Exif orientation tag (0x0112) of a JPEG, and the turn or flip it asks for. Phones store a portrait photo
 * as the sensor saw it, landscape, and say in this tag how to show it; ignored, the photo reaches the encoder
 * on its side. Only this one tag of IFD0 is read, with every offset checked against the segment, rather than
 * having javax.imageio parse all the metadata. A damaged or odd tag means "as stored": it never rejects an image.
 */
final class ExifOrientation {

    static final int AS_STORED = 1;
    private static final int ORIENTATION_TAG = 0x0112;
    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int IFD_ENTRY = 12;

    private ExifOrientation() {
    }

    /**
     * @param tiff   where the TIFF header starts (after "Exif\0\0" in the APP1 segment)
     * @param length how many bytes of the segment follow it
     * @return 1 to 8, {@link #AS_STORED} when the tag is missing, damaged or out of range
     */
    static int read(byte[] bytes, int tiff, int length) {
        if (length < 8 || tiff < 0 || tiff + (long) length > bytes.length) {
            return AS_STORED;
        }
        boolean littleEndian;
        if (bytes[tiff] == 'I' && bytes[tiff + 1] == 'I') {
            littleEndian = true;
        } else if (bytes[tiff] == 'M' && bytes[tiff + 1] == 'M') {
            littleEndian = false;
        } else {
            return AS_STORED;
        }
        if (uint16(bytes, tiff + 2, littleEndian) != 42) {
            return AS_STORED;
        }
        long ifd = uint32(bytes, tiff + 4, littleEndian);
        if (ifd < 8 || ifd + 2 > length) {
            return AS_STORED;
        }
        int entries = uint16(bytes, tiff + (int) ifd, littleEndian);
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + (long) IFD_ENTRY * i;
            if (entry + IFD_ENTRY > length) {
                return AS_STORED;
            }
            int at = tiff + (int) entry;
            if (uint16(bytes, at, littleEndian) != ORIENTATION_TAG) {
                continue;
            }
            int type = uint16(bytes, at + 2, littleEndian);
            if (uint32(bytes, at + 4, littleEndian) != 1 || (type != SHORT && type != LONG)) {
                return AS_STORED;
            }
            long value = type == SHORT ? uint16(bytes, at + 8, littleEndian) : uint32(bytes, at + 8, littleEndian);
            return value >= 1 && value <= 8 ? (int) value : AS_STORED;
        }
        return AS_STORED;
    }

    /**
     * The picture as it is meant to be seen. With W x H stored, the stored pixel (x, y) goes to: 2 (W-1-x, y),
     * mirrored; 3 (W-1-x, H-1-y), turned 180 degrees; 4 (x, H-1-y), flipped; 5 (y, x), transposed; 6 (H-1-y, x),
     * turned 90 degrees clockwise; 7 (H-1-y, W-1-x), transversed; 8 (y, W-1-x), turned 90 degrees anticlockwise.
     */
    static BufferedImage apply(BufferedImage stored, int orientation) {
        if (orientation <= AS_STORED || orientation > 8) {
            return stored;
        }
        int width = stored.getWidth();
        int height = stored.getHeight();
        boolean sideways = orientation >= 5;
        int shownWidth = sideways ? height : width;
        int shownHeight = sideways ? width : height;
        int[] source = stored.getRGB(0, 0, width, height, null, 0, width);
        int[] shown = new int[source.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int shownX = switch (orientation) {
                    case 2, 3 -> width - 1 - x;
                    case 4 -> x;
                    case 5, 8 -> y;
                    default -> height - 1 - y; // 6, 7
                };
                int shownY = switch (orientation) {
                    case 2 -> y;
                    case 3, 4 -> height - 1 - y;
                    case 5, 6 -> x;
                    default -> width - 1 - x; // 7, 8
                };
                shown[shownY * shownWidth + shownX] = source[y * width + x];
            }
        }
        BufferedImage result = new BufferedImage(shownWidth, shownHeight, BufferedImage.TYPE_INT_RGB);
        result.setRGB(0, 0, shownWidth, shownHeight, shown, 0, shownWidth);
        return result;
    }

    private static int uint16(byte[] bytes, int offset, boolean littleEndian) {
        int first = bytes[offset] & 0xFF;
        int second = bytes[offset + 1] & 0xFF;
        return littleEndian ? first | second << 8 : first << 8 | second;
    }

    private static long uint32(byte[] bytes, int offset, boolean littleEndian) {
        long high = uint16(bytes, offset + (littleEndian ? 2 : 0), littleEndian);
        long low = uint16(bytes, offset + (littleEndian ? 0 : 2), littleEndian);
        return high << 16 | low;
    }
}
