package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;

import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk structure. javax.imageio's PNG reader ignores CRCs and stops at the image data, so
 * without this a damaged file, or one cut off after its last IDAT, would decode without complaint.
 */
final class PngChunks {

    private static final int SIGNATURE_LENGTH = 8;
    /** Length, type and CRC: the bytes of a chunk that are not its data. */
    private static final int CHUNK_OVERHEAD = 12;
    private static final int IHDR_LENGTH = 13;
    /**
     * Deflate's most extreme ratio: a 258-byte match coded in two bits (one for the length, one for the
     * distance) makes 1032 bytes out of one. No valid zlib stream inflates to more, whatever the encoder.
     */
    private static final long MAX_INFLATE_RATIO = 1032;
    /** Room for a few literal bytes and rounding; small next to any image worth worrying about. */
    private static final long INFLATE_SLACK = 4096;
    /**
     * javax.imageio's PNG reader allocates about 8.5 KB for every chunk it passes (6 GB for 700,000 empty IDATs in
     * an 8 MB file). Encoders write a few hundred chunks, a few thousand when they write a row a chunk.
     */
    static final int MAX_CHUNKS = 16_384;
    /** Adam7's passes: first column, first row, column step, row step. */
    private static final int[][] ADAM7 = {
            {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngChunks() {
    }

    /**
     * IHDR first, every chunk up to IEND complete with a correct CRC, and image data that can inflate to what
     * IHDR declares.
     */
    static void verify(byte[] png) {
        requireHeader(png);
        CRC32 crc = new CRC32();
        boolean sawImageData = false;
        long imageDataLength = 0;
        int position = SIGNATURE_LENGTH;
        for (int chunks = 1; ; chunks++) {
            if (chunks > MAX_CHUNKS) {
                throw new ImageRejectedException(UNSUPPORTED_FORMAT, "a PNG split into more than " + MAX_CHUNKS
                        + " chunks is not decoded: each one costs the reader memory, and encoders write far fewer");
            }
            if (png.length - position < CHUNK_OVERHEAD) {
                throw corrupt("the file ends after " + png.length + " bytes, before the IEND chunk");
            }
            long dataLength = unsignedInt(png, position);
            String type = chunkType(png, position + 4);
            if (dataLength > png.length - position - CHUNK_OVERHEAD) {
                throw corrupt("chunk " + type + " at byte " + position + " declares " + dataLength
                        + " bytes of data but the file ends first");
            }
            crc.reset();
            crc.update(png, position + 4, 4 + (int) dataLength);
            if (crc.getValue() != unsignedInt(png, position + 8 + (int) dataLength)) {
                throw corrupt("chunk " + type + " at byte " + position + " fails its CRC check");
            }
            if (type.equals("IDAT")) {
                sawImageData = true;
                imageDataLength += dataLength;
            } else if (type.equals("IEND")) {
                if (!sawImageData) {
                    throw corrupt("there is no IDAT chunk, so no image data");
                }
                long filteredSize = filteredSize(png);
                if (filteredSize > MAX_INFLATE_RATIO * imageDataLength + INFLATE_SLACK) {
                    throw corrupt("its " + imageDataLength + " bytes of image data cannot hold the "
                            + filteredSize + " bytes that its header's size calls for");
                }
                return;
            }
            position += CHUNK_OVERHEAD + (int) dataLength;
        }
    }

    /** The first chunk must be a whole IHDR: the PNG reader takes the size from whatever stands there. */
    static void requireHeader(byte[] png) {
        if (png.length < SIGNATURE_LENGTH + CHUNK_OVERHEAD + IHDR_LENGTH || unsignedInt(png, SIGNATURE_LENGTH) != IHDR_LENGTH
                || !chunkType(png, SIGNATURE_LENGTH + 4).equals("IHDR")) {
            throw corrupt("the PNG does not start with a complete header chunk (IHDR)");
        }
    }

    /**
     * The bytes the image data must inflate to: every row of every pass with its filter-type byte. 0 for a
     * colour type or bit depth that IHDR may not have, which the PNG reader rejects on its own.
     */
    private static long filteredSize(byte[] png) {
        long width = unsignedInt(png, 16);
        long height = unsignedInt(png, 20);
        int bitDepth = png[24] & 0xFF;
        int channels = switch (png[25]) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
        };
        long bitsPerPixel = (long) channels * bitDepth;
        if (png[28] == 0) {
            return rowsSize(width, height, bitsPerPixel);
        }
        long size = 0;
        for (int[] pass : ADAM7) {
            long columns = width > pass[0] ? (width - pass[0] + pass[2] - 1) / pass[2] : 0;
            long rows = height > pass[1] ? (height - pass[1] + pass[3] - 1) / pass[3] : 0;
            size += rowsSize(columns, rows, bitsPerPixel);
        }
        return size;
    }

    private static long rowsSize(long columns, long rows, long bitsPerPixel) {
        return columns == 0 || bitsPerPixel == 0 ? 0 : rows * (1 + (columns * bitsPerPixel + 7) / 8);
    }

    /** The four ASCII letters of a chunk type; anything else shows as '?' so a damaged type stays printable. */
    private static String chunkType(byte[] png, int offset) {
        StringBuilder type = new StringBuilder(4);
        for (int i = offset; i < offset + 4; i++) {
            char c = (char) (png[i] & 0xFF);
            type.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? c : '?');
        }
        return type.toString();
    }

    private static long unsignedInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFFL) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    private static ImageRejectedException corrupt(String message) {
        return new ImageRejectedException(CORRUPT, "corrupt or truncated PNG: " + message);
    }
}
