package dev.captioner.vision;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The image formats the service decodes. Formats are recognised by their leading bytes only: the content
 * type a client declares is trivially wrong or forged, so it is never consulted.
 */
public enum ImageFormat {
    JPEG("JPEG", "jpeg", "image/jpeg"),
    PNG("PNG", "png", "image/png"),
    GIF("GIF", "gif", "image/gif"),
    BMP("BMP", "bmp", "image/bmp", "image/x-ms-bmp"),
    WEBP("WebP", "webp", "image/webp");

    /**
     * Only the first half of the PNG signature: the CR, LF and ^Z that follow exist to catch files mangled by a
     * text-mode transfer, which makes them a corrupt PNG rather than not an image.
     */
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    /** The DIB header sizes Windows and OS/2 bitmaps use; "BM" alone is too common a pair of bytes to trust. */
    private static final Set<Integer> BMP_DIB_HEADER_SIZES = Set.of(12, 16, 40, 52, 56, 64, 108, 124);
    private static final Set<String> HEIF_BRANDS =
            Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1");
    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");
    private static final byte[] JPEG_2000_SIGNATURE = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n'};
    private static final byte[] JPEG_XL_CONTAINER = {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', '\r', '\n', (byte) 0x87, '\n'};
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** What the service decodes, as the messages that turn an image away put it. */
    static final String SUPPORTED = "a JPEG, PNG, GIF, BMP or WebP image";

    private final String displayName;
    private final String readerFormatName;
    private final List<String> mimeTypes;

    ImageFormat(String displayName, String readerFormatName, String... mimeTypes) {
        this.displayName = displayName;
        this.readerFormatName = readerFormatName;
        this.mimeTypes = List.of(mimeTypes);
    }

    /** The format's name as people write it ("WebP"), which is how messages name it. */
    @Override
    public String toString() {
        return displayName;
    }

    /** The registered MIME type first, then the aliases clients also send. */
    public List<String> mimeTypes() {
        return mimeTypes;
    }

    public String mimeType() {
        return mimeTypes.get(0);
    }

    /** The format name javax.imageio registers its reader under. */
    String readerFormatName() {
        return readerFormatName;
    }

    /** The supported format whose signature {@code head} starts with, if any. */
    public static Optional<ImageFormat> detect(byte[] head) {
        if (startsWith(head, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0, PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (startsWithAscii(head, 0, "GIF87a") || startsWithAscii(head, 0, "GIF89a")) {
            return Optional.of(GIF);
        }
        if (startsWithAscii(head, 0, "RIFF") && startsWithAscii(head, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        if (startsWithAscii(head, 0, "BM") && head.length >= 18 && BMP_DIB_HEADER_SIZES.contains(littleEndianInt(head, 14))) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    /**
     * The name of the image format {@code head} is in when it is one we recognise but do not decode, so the
     * client hears "convert it" (415) rather than "this is not an image" (400).
     */
    static Optional<String> detectUnsupported(byte[] head) {
        if (startsWithAscii(head, 0, "II*\0") || startsWithAscii(head, 0, "MM\0*")
                || startsWithAscii(head, 0, "II+\0") || startsWithAscii(head, 0, "MM\0+")) {
            return Optional.of("TIFF");
        }
        if (startsWithAscii(head, 4, "ftyp") && head.length >= 12) {
            String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
            if (AVIF_BRANDS.contains(brand)) {
                return Optional.of("AVIF");
            }
            if (HEIF_BRANDS.contains(brand)) {
                return Optional.of("HEIC/HEIF");
            }
        }
        if (startsWith(head, 0, JPEG_2000_SIGNATURE) || startsWith(head, 0, (byte) 0xFF, (byte) 0x4F, (byte) 0xFF, (byte) 0x51)) {
            return Optional.of("JPEG 2000");
        }
        if (startsWith(head, 0, JPEG_XL_CONTAINER) || startsWith(head, 0, (byte) 0xFF, (byte) 0x0A)) {
            return Optional.of("JPEG XL");
        }
        // Reserved word 0, type 1 (icon) or 2 (cursor), then a non-zero image count.
        if (startsWith(head, 0, (byte) 0, (byte) 0) && head.length >= 6
                && (head[2] == 1 || head[2] == 2) && head[3] == 0 && (head[4] != 0 || head[5] != 0)) {
            return Optional.of("ICO");
        }
        if (startsWithAscii(head, 0, "8BPS")) {
            return Optional.of("Photoshop PSD");
        }
        int text = startsWith(head, 0, UTF8_BOM) ? UTF8_BOM.length : 0;
        while (text < head.length && Character.isWhitespace(head[text])) {
            text++;
        }
        if (startsWithAscii(head, text, "<svg") || startsWithAscii(head, text, "<?xml")) {
            return Optional.of("SVG/XML");
        }
        return Optional.empty();
    }

    private static boolean startsWithAscii(byte[] bytes, int offset, String ascii) {
        return startsWith(bytes, offset, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    static boolean startsWith(byte[] bytes, int offset, byte... prefix) {
        if (bytes.length - offset < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int littleEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8
                | (bytes[offset + 2] & 0xFF) << 16 | (bytes[offset + 3] & 0xFF) << 24;
    }
}
