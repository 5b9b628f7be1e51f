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
 */
record JpegFrame(int sofMarker, int precision, int components, int adobeTransform) {

    static final int NO_ADOBE_MARKER = -1;
    static final int ADOBE_YCCK = 2;

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP14 = 0xEE;
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    /** Walks the marker segments from SOI to the first SOS; {@code jpeg} must start with SOI. */
    static JpegFrame read(byte[] jpeg) {
        int position = 2;
        int sofMarker = -1;
        int precision = 0;
        int components = 0;
        int adobeTransform = NO_ADOBE_MARKER;
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
                return new JpegFrame(sofMarker, precision, components, adobeTransform);
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
                components = jpeg[position + 7] & 0xFF;
            } else if (marker == APP14 && length >= 14 && ImageFormat.startsWith(jpeg, position + 2, ADOBE)) {
                adobeTransform = jpeg[position + 13] & 0xFF;
            }
            position += length;
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
