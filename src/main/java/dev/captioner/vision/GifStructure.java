package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;

import java.util.Arrays;

/**
 * Checks a GIF up to its first frame's image data, which is all the decoder reads: the logical screen, the
 * first frame's place on it, the colour tables and blocks that must be present, and whether the LZW data can
 * produce every pixel of the frame. javax.imageio's GIF reader stops quietly where the data ends and leaves
 * the rest of the frame at colour 0, so a 40-byte file can declare 6300x6300 pixels and "decode".
 */
final class GifStructure {

    private static final int SCREEN_DESCRIPTOR_END = 13;
    private static final int EXTENSION = 0x21;
    private static final int IMAGE_DESCRIPTOR = 0x2C;
    private static final int TRAILER = 0x3B;
    private static final int MAX_CODES = 4096;

    private GifStructure() {
    }

    /**
     * @param maxPixels the pixel limit, for the logical screen and the first frame
     */
    static void check(byte[] gif, long maxPixels) {
        if (gif.length < SCREEN_DESCRIPTOR_END) {
            throw corrupt("the GIF ends inside its header");
        }
        int screenWidth = uint16(gif, 6);
        int screenHeight = uint16(gif, 8);
        if ((long) screenWidth * screenHeight > maxPixels) {
            throw ImageInfo.tooManyPixels(screenWidth, screenHeight, maxPixels);
        }
        int position = SCREEN_DESCRIPTOR_END + colourTableSize(gif[10]);
        while (true) {
            if (position >= gif.length) {
                throw corrupt("the GIF ends before its first image");
            }
            int block = gif[position] & 0xFF;
            if (block == IMAGE_DESCRIPTOR) {
                break;
            } else if (block == EXTENSION) {
                position = skipSubBlocks(gif, position + 2, "the GIF ends before its first image");
            } else if (block == TRAILER) {
                throw corrupt("the GIF has no image in it");
            } else {
                throw corrupt("the GIF has an unknown kind of block before its first image");
            }
        }
        if (gif.length - position < 11) {
            throw corrupt("the GIF ends inside its first image's header");
        }
        int left = uint16(gif, position + 1);
        int top = uint16(gif, position + 3);
        int width = uint16(gif, position + 5);
        int height = uint16(gif, position + 7);
        if (width == 0 || height == 0) {
            throw corrupt("its first image's header declares a size of " + width + "x" + height);
        }
        if ((long) width * height > maxPixels) {
            throw ImageInfo.tooManyPixels(width, height, maxPixels);
        }
        if (left + width > screenWidth || top + height > screenHeight) {
            throw corrupt("its first image (" + width + "x" + height + " at " + left + "," + top + ") does not fit"
                    + " on its " + screenWidth + "x" + screenHeight + " logical screen");
        }
        int dataStart = position + 10 + colourTableSize(gif[position + 9]);
        if (dataStart >= gif.length) {
            throw corrupt("the GIF ends before its first image's data");
        }
        int codeSize = gif[dataStart] & 0xFF;
        if (codeSize < 1 || codeSize > 8) {
            throw corrupt("its first image's data declares an impossible code size");
        }
        long pixels = (long) width * height;
        if (pixelsCoded(gif, dataStart + 1, codeSize, pixels) < pixels) {
            throw corrupt("the GIF's image data ends before its first image is complete");
        }
    }

    /** Bytes of the colour table a descriptor's flags announce (bit 7: present; bits 0-2: 2^(n+1) entries). */
    private static int colourTableSize(byte flags) {
        return (flags & 0x80) == 0 ? 0 : 3 << ((flags & 0x07) + 1);
    }

    /** Past the data sub-blocks that start at {@code position}, through the zero-length one that ends them. */
    private static int skipSubBlocks(byte[] gif, int position, String endsEarly) {
        while (true) {
            if (position >= gif.length) {
                throw corrupt(endsEarly);
            }
            int length = gif[position] & 0xFF;
            position += 1 + length;
            if (length == 0) {
                return position;
            }
        }
    }

    /**
     * How many pixels the LZW codes in the sub-blocks from {@code position} expand to, counting no further than
     * {@code wanted}. Only the length of each code's string is tracked, never the pixels; code sizes grow and
     * the table fills as in javax.imageio's decoder, which is what matters: it decides what is decoded.
     */
    private static long pixelsCoded(byte[] gif, int position, int minimumCodeSize, long wanted) {
        byte[] data = subBlockData(gif, position);
        int clear = 1 << minimumCodeSize;
        int endOfInformation = clear + 1;
        int[] lengths = new int[MAX_CODES];
        int next = clear + 2;
        int codeSize = minimumCodeSize + 1;
        int previous = -1;
        long pixels = 0;
        long bit = 0;
        long bits = 8L * data.length;
        while (pixels < wanted && bit + codeSize <= bits) {
            int code = code(data, bit, codeSize);
            bit += codeSize;
            if (code == clear) {
                next = clear + 2;
                codeSize = minimumCodeSize + 1;
                previous = -1;
                continue;
            }
            if (code == endOfInformation) {
                break;
            }
            int length;
            if (code < clear) {
                length = 1;
            } else if (previous >= 0 && code < next) {
                length = lengths[code];
            } else if (previous >= 0 && code == next) {
                length = length(lengths, previous, clear) + 1;
            } else {
                throw corrupt("the GIF's image data is damaged");
            }
            if (previous >= 0 && next < MAX_CODES) {
                lengths[next] = length(lengths, previous, clear) + 1;
                next++;
                if (next == 1 << codeSize && next < MAX_CODES) {
                    codeSize++;
                }
            }
            pixels += length;
            previous = code;
        }
        return pixels;
    }

    private static int length(int[] lengths, int code, int clear) {
        return code < clear ? 1 : lengths[code];
    }

    /** The sub-blocks' contents end to end, without their length bytes. */
    private static byte[] subBlockData(byte[] gif, int position) {
        int end = skipSubBlocks(gif, position, "the GIF ends inside its image data");
        byte[] data = new byte[end - position];
        int size = 0;
        while (true) {
            int length = gif[position] & 0xFF;
            if (length == 0) {
                return Arrays.copyOf(data, size);
            }
            System.arraycopy(gif, position + 1, data, size, length);
            size += length;
            position += 1 + length;
        }
    }

    /** GIF packs codes least significant bit first; a code is at most 12 bits, so three bytes hold it. */
    private static int code(byte[] data, long bit, int size) {
        int index = (int) (bit >>> 3);
        int word = data[index] & 0xFF;
        if (index + 1 < data.length) {
            word |= (data[index + 1] & 0xFF) << 8;
        }
        if (index + 2 < data.length) {
            word |= (data[index + 2] & 0xFF) << 16;
        }
        return (word >>> (bit & 7)) & ((1 << size) - 1);
    }

    private static int uint16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    private static ImageRejectedException corrupt(String message) {
        return new ImageRejectedException(CORRUPT, "corrupt or truncated GIF: " + message);
    }
}
