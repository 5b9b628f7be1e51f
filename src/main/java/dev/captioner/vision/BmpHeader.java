package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;

/**
 * Checks what a BMP's headers declare against the bytes that are there, before javax.imageio's BMP reader
 * sees them. That reader trusts the headers: it allocates {@code biSizeImage} bytes for RLE and embedded
 * JPEG/PNG data before reading any, hands embedded images to whichever plugin claims the format, with the
 * embedded image's own size rather than the BMP's, and fills RLE rows that the data never reaches with
 * palette entry 0. Only the sizes and structure are checked here; the pixels are left to the reader.
 */
final class BmpHeader {

    private static final int FILE_HEADER = 14;
    private static final int BI_RGB = 0;
    private static final int BI_RLE8 = 1;
    private static final int BI_RLE4 = 2;
    private static final int BI_BITFIELDS = 3;
    private static final int BI_JPEG = 4;
    private static final int BI_PNG = 5;
    /** The CSType values of a BITMAPV4/V5 header that say a colour profile follows (LINK, MBED). */
    private static final long PROFILE_LINKED = 0x4C494E4BL;
    private static final long PROFILE_EMBEDDED = 0x4D424544L;

    private BmpHeader() {
    }

    /**
     * Rejects the BMP if its headers cannot be right for its bytes; {@code bmp} must start with "BM" and a known
     * DIB header size (what {@link ImageFormat#detect} checks).
     */
    static void check(byte[] bmp) {
        int dibSize = int32(bmp, FILE_HEADER);
        if (dibSize == 16 || dibSize == 64) {
            throw new ImageRejectedException(UNSUPPORTED_FORMAT, "OS/2 version 2 BMP images are not supported; send "
                    + ImageFormat.SUPPORTED);
        }
        if (bmp.length < FILE_HEADER + (long) dibSize) {
            throw corrupt("the BMP ends inside its header");
        }
        long pixelOffset = uint32(bmp, 10);
        boolean core = dibSize == 12;
        long width = core ? int16(bmp, 18) : int32(bmp, 18);
        long height = core ? int16(bmp, 20) : int32(bmp, 22);
        int bitsPerPixel = uint16(bmp, core ? 24 : 28);
        long compression = core ? BI_RGB : uint32(bmp, 30);
        long declaredDataSize = core ? 0 : uint32(bmp, 34);
        if (compression == BI_JPEG || compression == BI_PNG) {
            throw new ImageRejectedException(UNSUPPORTED_FORMAT, "BMP images that wrap a "
                    + (compression == BI_JPEG ? "JPEG" : "PNG") + " image are not supported; send "
                    + ImageFormat.SUPPORTED);
        }
        if (width <= 0 || height == 0 || height == Integer.MIN_VALUE) {
            throw corrupt("its header declares a size of " + width + "x" + height);
        }
        height = Math.abs(height); // negative: the rows are stored top-down
        if (bitsPerPixel != 1 && bitsPerPixel != 4 && bitsPerPixel != 8 && bitsPerPixel != 16
                && bitsPerPixel != 24 && bitsPerPixel != 32) {
            throw corrupt("its header declares " + bitsPerPixel + " bits per pixel");
        }
        // A 40-byte header with bit fields keeps the three colour masks right after it.
        long headersEnd = FILE_HEADER + (long) dibSize + (dibSize == 40 && compression == BI_BITFIELDS ? 12 : 0);
        if (bmp.length < headersEnd) {
            throw corrupt("the BMP ends inside its header");
        }
        if (pixelOffset < FILE_HEADER + (long) dibSize) {
            throw corrupt("the BMP's pixel data would start inside its header");
        }
        if (pixelOffset >= bmp.length) {
            throw corrupt("the BMP's pixel data would start past its end");
        }
        checkPalette(bmp, dibSize, bitsPerPixel, headersEnd);
        checkProfile(bmp, dibSize);
        long available = bmp.length - pixelOffset;
        if (compression == BI_RLE8 || compression == BI_RLE4) {
            if (bitsPerPixel != (compression == BI_RLE8 ? 8 : 4)) {
                throw corrupt("its header declares " + (compression == BI_RLE8 ? "8" : "4") + "-bit run-length"
                        + " compression for " + bitsPerPixel + "-bit pixels");
            }
            // What the JDK's reader allocates and reads: biSizeImage, or the rest of the file as bfSize has it.
            long dataSize = declaredDataSize != 0 ? declaredDataSize : uint32(bmp, 2) - pixelOffset;
            if (dataSize <= 0 || dataSize > available) {
                throw corrupt("the BMP ends before its compressed pixel data does");
            }
            checkRunLengths(bmp, (int) pixelOffset, (int) dataSize, compression == BI_RLE4, width, height);
        } else if (compression == BI_RGB || compression == BI_BITFIELDS) {
            // Every row but the last is padded to four bytes; the last one's padding may be missing.
            long rowBits = width * bitsPerPixel;
            long needed = (rowBits + 31) / 32 * 4 * (height - 1) + (rowBits + 7) / 8;
            if (needed > available) {
                throw corrupt("the BMP ends before its pixel data does");
            }
        } else {
            throw corrupt("its header declares an unknown compression method");
        }
    }

    /** The colours an indexed BMP's pixels can refer to must exist and lie inside the file. */
    private static void checkPalette(byte[] bmp, int dibSize, int bitsPerPixel, long headersEnd) {
        if (bitsPerPixel > 8 || dibSize == 12) {
            return;
        }
        long coloursUsed = uint32(bmp, 46);
        if (coloursUsed > 1L << bitsPerPixel) {
            throw corrupt("its header declares a palette of " + coloursUsed + " colours, more than "
                    + bitsPerPixel + "-bit pixels can refer to");
        }
        if (headersEnd + 4 * coloursUsed > bmp.length) {
            throw corrupt("the BMP ends inside its palette");
        }
    }

    /** A BITMAPV5HEADER's colour profile: its offset counts from the start of that header. */
    private static void checkProfile(byte[] bmp, int dibSize) {
        if (dibSize != 124) {
            return;
        }
        long colourSpace = uint32(bmp, FILE_HEADER + 56);
        if (colourSpace != PROFILE_LINKED && colourSpace != PROFILE_EMBEDDED) {
            return;
        }
        long profileOffset = uint32(bmp, FILE_HEADER + 112);
        long profileSize = uint32(bmp, FILE_HEADER + 116);
        if (profileOffset < dibSize || FILE_HEADER + profileOffset + profileSize > bmp.length) {
            throw corrupt("the BMP's colour profile lies outside the file");
        }
    }

    /**
     * Walks the run-length codes without decoding them: the data must stay inside the image and cover it,
     * or end it with an end-of-bitmap code. The JDK's reader leaves what the data does not reach as palette
     * entry 0, so a cut-off file would otherwise decode.
     */
    private static void checkRunLengths(byte[] bmp, int start, int length, boolean fourBit, long width, long height) {
        int position = start;
        int end = start + length;
        long x = 0;
        long row = 0;
        while (end - position >= 2) {
            int count = bmp[position] & 0xFF;
            int code = bmp[position + 1] & 0xFF;
            position += 2;
            if (count > 0) {
                x += count; // a run of one value (RLE4: two alternating values)
            } else if (code == 0) {
                row++;
                x = 0;
            } else if (code == 1) {
                return; // end of bitmap: whatever is left stays at the background colour
            } else if (code == 2) {
                if (end - position < 2) {
                    break;
                }
                x += bmp[position] & 0xFF;
                row += bmp[position + 1] & 0xFF;
                position += 2;
            } else {
                int bytes = fourBit ? (code + 1) / 2 : code;
                bytes += bytes & 1; // literal runs are padded to a 16-bit boundary
                if (end - position < bytes) {
                    break;
                }
                position += bytes;
                x += code;
            }
            if (row > height || (row == height && x > 0)) {
                throw corrupt("the BMP's compressed pixel data runs past the bottom of the image");
            }
        }
        // No end-of-bitmap code: the data must have reached the end of the last row.
        if (row < height - 1 || (row == height - 1 && x < width)) {
            throw corrupt("the BMP ends before its compressed pixel data does");
        }
    }

    private static int uint16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    private static int int16(byte[] bytes, int offset) {
        return (short) uint16(bytes, offset);
    }

    private static int int32(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8
                | (bytes[offset + 2] & 0xFF) << 16 | (bytes[offset + 3] & 0xFF) << 24;
    }

    private static long uint32(byte[] bytes, int offset) {
        return int32(bytes, offset) & 0xFFFFFFFFL;
    }

    private static ImageRejectedException corrupt(String message) {
        return new ImageRejectedException(CORRUPT, "corrupt or truncated BMP: " + message);
    }
}
