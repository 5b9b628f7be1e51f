package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;

import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk structure. javax.imageio's PNG reader ignores CRCs and stops at the image data, so
 * without this a damaged file, or one cut off after its last IDAT, would decode without complaint.
 */
final class PngChunks {

    private static final int SIGNATURE_LENGTH = 8;
    /** Length, type and CRC: the bytes of a chunk that are not its data. */
    private static final int CHUNK_OVERHEAD = 12;

    private PngChunks() {
    }

    /** Every chunk up to IEND must be complete with a correct CRC, and there must be image data. */
    static void verify(byte[] png) {
        CRC32 crc = new CRC32();
        boolean sawImageData = false;
        int position = SIGNATURE_LENGTH;
        while (true) {
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
            } else if (type.equals("IEND")) {
                if (!sawImageData) {
                    throw corrupt("there is no IDAT chunk, so no image data");
                }
                return;
            }
            position += CHUNK_OVERHEAD + (int) dataLength;
        }
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
