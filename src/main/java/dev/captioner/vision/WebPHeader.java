package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;

/**
 * Checks a WebP's RIFF structure and the sizes it declares before TwelveMonkeys' reader sees it: the RIFF
 * container and every chunk in it must be there whole, the first chunk must be a bitstream (VP8, VP8L) or the
 * extended header (VP8X), sizes must be within the pixel limit and agree with each other. The reader reads
 * a bitstream to the end of the file rather than of its chunk, and its lossless decoder takes the end of the
 * data for zeros, so this is what keeps a cut-off file from decoding.
 */
final class WebPHeader {

    private static final int RIFF_HEADER = 12;
    private static final int CHUNK_HEADER = 8;
    private static final int VP8L_SIGNATURE = 0x2F;
    private static final int VP8X_ANIMATION = 0x02;

    private WebPHeader() {
    }

    /**
     * {@code webp} starts with "RIFF", a size and "WEBP" (what {@link ImageFormat#detect} checks).
     *
     * @return where the chunk with the image data (VP8 or VP8L) ends: nothing after it is needed
     */
    static int check(byte[] webp, long maxPixels) {
        if (webp.length < RIFF_HEADER + CHUNK_HEADER) {
            throw corrupt("the WebP ends inside its header");
        }
        long riffEnd = CHUNK_HEADER + uint32(webp, 4);
        if (riffEnd > webp.length) {
            throw corrupt("the WebP ends before its RIFF container does");
        }
        int first = RIFF_HEADER;
        String firstType = chunkType(webp, first);
        long firstEnd = chunkEnd(webp, first, riffEnd);
        int data = first + CHUNK_HEADER;
        int length = (int) (firstEnd - data);
        switch (firstType) {
            case "VP8 ", "VP8L" -> {
                bitstream(webp, firstType, data, length, maxPixels);
                return (int) firstEnd;
            }
            case "VP8X" -> {
                if (length < 10) {
                    throw corrupt("the WebP's extended header (VP8X) is too short");
                }
                if ((webp[data] & VP8X_ANIMATION) != 0) {
                    throw new ImageRejectedException(UNSUPPORTED_FORMAT, "animated WebP images are not supported;"
                            + " send " + ImageFormat.SUPPORTED);
                }
                long width = 1 + uint24(webp, data + 4);
                long height = 1 + uint24(webp, data + 7);
                if (width * height > maxPixels) {
                    throw ImageInfo.tooManyPixels(width, height, maxPixels);
                }
                long position = firstEnd + (firstEnd & 1);
                while (true) {
                    if (position + CHUNK_HEADER > riffEnd) {
                        throw corrupt("the WebP has no image data");
                    }
                    String type = chunkType(webp, (int) position);
                    long end = chunkEnd(webp, (int) position, riffEnd);
                    if (type.equals("VP8 ") || type.equals("VP8L")) {
                        long[] size = bitstream(webp, type, (int) position + CHUNK_HEADER,
                                (int) (end - position - CHUNK_HEADER), maxPixels);
                        if (size[0] != width || size[1] != height) {
                            throw corrupt("its image (" + size[0] + "x" + size[1] + ") is not the size of its"
                                    + " canvas (" + width + "x" + height + ")");
                        }
                        return (int) end;
                    }
                    position = end + (end & 1); // chunks are padded to an even length
                }
            }
            default -> throw corrupt("the WebP's first chunk is neither image data nor an extended header");
        }
    }

    /**
     * What the reader gets: the file up to the end of its image chunk (metadata after it is not read), then
     * {@code padding} zero bytes past the RIFF size, which is set to match.
     */
    static byte[] forReader(byte[] webp, int imageEnd, int padding) {
        int riffEnd = imageEnd + (imageEnd & 1);
        byte[] copy = new byte[riffEnd + padding];
        System.arraycopy(webp, 0, copy, 0, Math.min(riffEnd, webp.length));
        int riffSize = riffEnd - CHUNK_HEADER;
        for (int i = 0; i < 4; i++) {
            copy[4 + i] = (byte) (riffSize >>> (8 * i));
        }
        return copy;
    }

    /** A VP8 (lossy) or VP8L (lossless) bitstream's header: its size, within the limit. */
    private static long[] bitstream(byte[] webp, String type, int data, int length, long maxPixels) {
        long width;
        long height;
        if (type.equals("VP8L")) {
            if (length < 5 || (webp[data] & 0xFF) != VP8L_SIGNATURE) {
                throw corrupt("the WebP's lossless image data has no valid header");
            }
            long bits = uint32(webp, data + 1);
            width = 1 + (bits & 0x3FFF);
            height = 1 + ((bits >>> 14) & 0x3FFF);
            if (bits >>> 29 != 0) {
                throw corrupt("the WebP's lossless image data is of an unknown version");
            }
        } else {
            if (length < 10 || (webp[data + 3] & 0xFF) != 0x9D || (webp[data + 4] & 0xFF) != 0x01
                    || (webp[data + 5] & 0xFF) != 0x2A) {
                throw corrupt("the WebP's lossy image data has no valid key frame header");
            }
            long frameTag = uint24(webp, data);
            if ((frameTag & 1) != 0) {
                throw corrupt("the WebP's lossy image data is not a key frame");
            }
            if (frameTag >>> 5 > length - 10) {
                throw corrupt("the WebP's lossy image data is shorter than its first partition");
            }
            width = uint16(webp, data + 6) & 0x3FFF;
            height = uint16(webp, data + 8) & 0x3FFF;
            if (width == 0 || height == 0) {
                throw corrupt("its header declares a size of " + width + "x" + height);
            }
        }
        if (width * height > maxPixels) {
            throw ImageInfo.tooManyPixels(width, height, maxPixels);
        }
        return new long[] {width, height};
    }

    /** Where the chunk at {@code position} ends; it must end inside the RIFF container. */
    private static long chunkEnd(byte[] webp, int position, long riffEnd) {
        if (position + CHUNK_HEADER > riffEnd) {
            throw corrupt("the WebP ends inside a chunk header");
        }
        long end = position + CHUNK_HEADER + uint32(webp, position + 4);
        if (end > riffEnd) {
            throw corrupt("the WebP ends inside its " + chunkType(webp, position).trim() + " chunk");
        }
        return end;
    }

    private static String chunkType(byte[] webp, int offset) {
        StringBuilder type = new StringBuilder(4);
        for (int i = offset; i < offset + 4; i++) {
            char c = (char) (webp[i] & 0xFF);
            type.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ? c : '?');
        }
        return type.toString();
    }

    private static int uint16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    private static long uint24(byte[] bytes, int offset) {
        return uint16(bytes, offset) | (long) (bytes[offset + 2] & 0xFF) << 16;
    }

    private static long uint32(byte[] bytes, int offset) {
        return uint24(bytes, offset) | (long) (bytes[offset + 3] & 0xFF) << 24;
    }

    private static ImageRejectedException corrupt(String message) {
        return new ImageRejectedException(CORRUPT, "corrupt or truncated WebP: " + message);
    }
}
