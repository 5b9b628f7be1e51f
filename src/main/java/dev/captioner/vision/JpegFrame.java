package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;

import java.nio.charset.StandardCharsets;

/**
 * What a JPEG's markers say before its entropy-coded data: the coding process, the sample precision, how many
 * colour components there are and, from an Adobe APP14 marker, how they are stored. javax.imageio does not
 * expose these without parsing all the metadata, and needs them: it cannot decode lossless, hierarchical or
 * 12-bit JPEGs (those deserve 415, not "corrupt"), and converting four-component (CMYK, YCCK) colour needs the
 * Adobe transform flag.
 *
 * @param adobeTransform the APP14 transform flag (0: CMYK or RGB, 1: YCbCr, 2: YCCK), or
 *                       {@link #NO_ADOBE_MARKER}
 * @param width          the frame header's number of samples per line
 * @param height         the frame header's number of lines (0: given by a DNL marker after the first scan)
 * @param minimumBlocks  the 8x8 blocks of all components together that the frame's size and sampling factors
 *                       call for, counted without MCU padding: a lower bound on what the scans must code
 * @param scanStart      where the first SOS marker is
 * @param orientation    from the first Exif APP1 segment, 1 to 8 ({@link ExifOrientation#AS_STORED} without one)
 */
record JpegFrame(int sofMarker, int precision, int components, int adobeTransform, int width, int height,
                 long minimumBlocks, int scanStart, int orientation) {

    static final int NO_ADOBE_MARKER = -1;
    static final int ADOBE_YCCK = 2;

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP1 = 0xE1;
    private static final int APP14 = 0xEE;
    private static final byte[] EXIF = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    /** Walks the marker segments from SOI to the first SOS; {@code jpeg} must start with SOI. */
    static JpegFrame read(byte[] jpeg) {
        int position = 2;
        int sofMarker = -1;
        int precision = 0;
        int components = 0;
        int adobeTransform = NO_ADOBE_MARKER;
        int width = 0;
        int height = 0;
        long minimumBlocks = 0;
        int orientation = 0;
        while (true) {
            if (position >= jpeg.length || jpeg[position] != (byte) 0xFF) {
                throw corrupt("no JPEG marker where one belongs, at byte " + position);
            }
            while (position < jpeg.length && jpeg[position] == (byte) 0xFF) {
                position++; // fill bytes may precede any marker
            }
            if (position >= jpeg.length) {
                throw corrupt("the JPEG ends in its header");
            }
            int marker = jpeg[position++] & 0xFF;
            if (marker == SOS) {
                if (sofMarker < 0) {
                    throw corrupt("the JPEG has image data but no frame header");
                }
                return new JpegFrame(sofMarker, precision, components, adobeTransform, width, height, minimumBlocks,
                        position - 2, orientation == 0 ? ExifOrientation.AS_STORED : orientation);
            }
            if (marker == EOI) {
                throw corrupt("the JPEG ends before any image data");
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // TEM and RSTn carry no length
            }
            if (position + 2 > jpeg.length) {
                throw corrupt("the JPEG ends in its header");
            }
            int length = unsignedShort(jpeg, position);
            if (length < 2 || position + length > jpeg.length) {
                throw corrupt("the JPEG ends in its header, or a marker segment has a bad length");
            }
            if (isStartOfFrame(marker)) {
                if (length < 8) {
                    throw corrupt("the JPEG frame header is too short");
                }
                sofMarker = marker;
                precision = jpeg[position + 2] & 0xFF;
                height = unsignedShort(jpeg, position + 3);
                width = unsignedShort(jpeg, position + 5);
                components = jpeg[position + 7] & 0xFF;
                if (length < 8 + 3 * components) {
                    throw corrupt("the JPEG frame header is too short for its " + components + " components");
                }
                minimumBlocks = minimumBlocks(jpeg, position + 8, components, width, height);
            } else if (marker == APP1 && orientation == 0 && length >= 2 + EXIF.length
                    && ImageFormat.startsWith(jpeg, position + 2, EXIF)) {
                orientation = ExifOrientation.read(jpeg, position + 2 + EXIF.length, length - 2 - EXIF.length);
            } else if (marker == APP14 && length >= 14 && ImageFormat.startsWith(jpeg, position + 2, ADOBE)) {
                adobeTransform = jpeg[position + 13] & 0xFF;
            }
            position += length;
        }
    }

    /**
     * Each component's 8x8 blocks: its share of the frame (the sampling factors against the largest ones),
     * rounded up to whole blocks, as in ITU T.81 A.1.1.
     */
    private static long minimumBlocks(byte[] jpeg, int offset, int components, int width, int height) {
        int maxHorizontal = 1;
        int maxVertical = 1;
        for (int i = 0; i < components; i++) {
            int sampling = jpeg[offset + 3 * i + 1] & 0xFF;
            int horizontal = sampling >> 4;
            int vertical = sampling & 0x0F;
            if (horizontal < 1 || horizontal > 4 || vertical < 1 || vertical > 4) {
                throw corrupt("the JPEG frame header declares an impossible sampling factor");
            }
            maxHorizontal = Math.max(maxHorizontal, horizontal);
            maxVertical = Math.max(maxVertical, vertical);
        }
        long blocks = 0;
        for (int i = 0; i < components; i++) {
            int sampling = jpeg[offset + 3 * i + 1] & 0xFF;
            long columns = ceilDiv((long) width * (sampling >> 4), maxHorizontal);
            long rows = ceilDiv((long) height * (sampling & 0x0F), maxVertical);
            blocks += ceilDiv(columns, 8) * ceilDiv(rows, 8);
        }
        return blocks;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    /**
     * The frame's size against the data there is to fill it. Huffman-coded sequential JPEG (SOF0, SOF1) codes
     * every block with at least two bits, a DC difference and an end of block, so a file with fewer bytes after
     * its first SOS than a quarter of its blocks cannot be whole; libjpeg would fill the rest with grey, at the
     * cost of decoding every declared pixel first. Progressive and arithmetic coding can code runs of empty
     * blocks in next to nothing, so for them only libjpeg's own end-of-data warning is left.
     */
    void requireData(byte[] jpeg) {
        if ((sofMarker == 0xC0 || sofMarker == 0xC1) && minimumBlocks > 4L * (jpeg.length - scanStart)) {
            throw corrupt("the JPEG holds far too little image data for its " + width + "x" + height + " frame");
        }
    }

    /** Rejects the JPEG variants javax.imageio's libjpeg refuses, saying which one it is. */
    void requireDecodable() {
        // Sequential and progressive, Huffman- or arithmetic-coded: SOF0, 1, 2, 9 and 10.
        boolean decodableProcess = (sofMarker >= 0xC0 && sofMarker <= 0xC2) || sofMarker == 0xC9 || sofMarker == 0xCA;
        if (!decodableProcess) {
            throw unsupported(codingProcess() + " JPEG (SOF" + (sofMarker - 0xC0) + ") is not supported;"
                    + " send a baseline or progressive JPEG");
        }
        if (precision != 8) {
            throw unsupported(precision + "-bit JPEG is not supported; only 8 bits per sample are");
        }
        if (components != 1 && components != 3 && components != 4) {
            throw unsupported("JPEG with " + components + " colour components is not supported");
        }
        if (height == 0) {
            throw unsupported("JPEG whose height comes after its image data (a DNL marker) is not supported");
        }
        if (width == 0) {
            throw corrupt("the JPEG frame header declares a width of 0");
        }
    }

    private String codingProcess() {
        return switch (sofMarker) {
            case 0xC3 -> "lossless";
            case 0xCB -> "lossless arithmetic-coded";
            case 0xC5, 0xC6, 0xC7 -> "hierarchical";
            default -> "hierarchical arithmetic-coded";
        };
    }

    boolean isFourComponent() {
        return components == 4;
    }

    private static boolean isStartOfFrame(int marker) {
        // C4 (DHT), C8 (reserved) and CC (DAC) sit in the SOF range but are not frame headers.
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int unsignedShort(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 8 | (bytes[offset + 1] & 0xFF);
    }

    private static ImageRejectedException corrupt(String message) {
        return new ImageRejectedException(CORRUPT, "corrupt or truncated JPEG: " + message);
    }

    private static ImageRejectedException unsupported(String message) {
        return new ImageRejectedException(UNSUPPORTED_FORMAT, message);
    }
}
