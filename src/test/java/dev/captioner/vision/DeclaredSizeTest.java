package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;
import static dev.captioner.vision.TestImages.assertRgb;
import static dev.captioner.vision.TestImages.bmp;
import static dev.captioner.vision.TestImages.bmpPalette;
import static dev.captioner.vision.TestImages.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Headers that declare sizes, offsets and lengths the bytes cannot back: every one is built by hand here, and
 * each must be turned away before a reader allocates or decodes anything on its word.
 */
class DeclaredSizeTest {

    /** A hang detector, not a speed check: one decode takes milliseconds. */
    private static final byte[] NO_PALETTE = new byte[0];
    private static final Color[] RED_BLUE = {Color.BLACK, Color.RED, Color.BLUE};

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @Nested
    class Bmp {

        /** The red team's 196 bytes: the JDK's reader allocates biSizeImage (2 GB here) before it reads a byte. */
        @Test
        void embeddedPngWithAHugeDeclaredSizeIsUnsupported() {
            byte[] bytes = bmp(16, 16, 0, 5, 0x7FFF_FFF0L, 0, NO_PALETTE, new byte[142]);
            assertThat(bytes).hasSize(196);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
            assertThat(rejected.getMessage())
                    .isEqualTo("BMP images that wrap a PNG image are not supported; send a JPEG, PNG, GIF, BMP or WebP image");
        }

        /** The BMP header's 16x16 is all the pixel limit would see; the PNG inside is what gets decoded. */
        @Test
        void embeddedPngLargerThanTheLimitIsUnsupportedNotDecoded() {
            byte[] png = encode(new BufferedImage(2000, 20, BufferedImage.TYPE_INT_RGB), "png");
            byte[] bytes = bmp(16, 16, 0, 5, png.length, 0, NO_PALETTE, png);

            ImageRejectedException rejected = assertThrows(ImageRejectedException.class,
                    () -> new ImageDecoder(1000).decode(bytes));

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
        }

        @Test
        void embeddedJpegIsUnsupported() {
            byte[] jpeg = TestImages.jpeg(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), 0.9f);
            byte[] bytes = bmp(16, 16, 0, 4, jpeg.length, 0, NO_PALETTE, jpeg);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
            assertThat(rejected.getMessage()).startsWith("BMP images that wrap a JPEG image are not supported");
        }

        @Test
        void os2Version2HeaderIsUnsupported() {
            byte[] bytes = Arrays.copyOf(encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "bmp"), 400);
            bytes[14] = 64; // an OS/2 2.x BITMAPINFOHEADER2

            assertThat(rejectionOf(bytes).getReason()).isEqualTo(UNSUPPORTED_FORMAT);
        }

        @Test
        void uncompressedPixelDataShorterThanTheSizeIsCorrupt() {
            byte[] whole = encode(TestImages.noise(64, 64, 1), "bmp");
            byte[] cut = Arrays.copyOf(whole, whole.length - 64 * 3);

            ImageRejectedException rejected = rejectionOf(cut);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated BMP: the BMP ends before its pixel data does");
        }

        @Test
        void pixelDataOffsetPastTheEndIsCorrupt() {
            byte[] bytes = encode(TestImages.noise(8, 8, 1), "bmp");
            bytes[12] = 0x10; // bfOffBits 1 MB in

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated BMP: the BMP's pixel data would start past its end");
        }

        @Test
        void paletteLargerThanThePixelsCanIndexIsCorrupt() throws IOException {
            byte[] bytes = bmp(4, 1, 8, 0, 0, 1000, bmpPalette(RED_BLUE), new byte[] {1, 1, 2, 2});
            assertThat(TestImages.readWithJdk(bytes, "bmp", 0)).as("what the JDK alone makes of it").isNotNull();

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated BMP: its header declares a palette of 1000"
                    + " colours, more than 8-bit pixels can refer to");
        }

        @Test
        void runLengthEncodedBmpDecodes() {
            byte[] bytes = rle8(16, 16, 16, true);

            BufferedImage image = decoder.decode(bytes);

            assertThat(image.getWidth()).isEqualTo(16);
            assertRgb(image, 3, 15, Color.RED, 0); // the first rows stored are the bottom ones
            assertRgb(image, 12, 0, Color.BLUE, 0);
        }

        @Test
        void runLengthDataWithAHugeDeclaredSizeIsCorrupt() {
            byte[] bytes = rle8(16, 16, 16, true);
            putInt(bytes, 34, 0x7FFF_FFF0); // biSizeImage: what the JDK's reader allocates and reads

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated BMP: the BMP ends before its compressed pixel data does");
        }

        /** The JDK's reader leaves the rows the data never reaches as palette entry 0, without a word. */
        @Test
        void runLengthDataThatStopsEarlyIsCorrupt() throws IOException {
            byte[] bytes = rle8(16, 16, 4, false);
            assertThat(TestImages.readWithJdk(bytes, "bmp", 0)).as("what the JDK alone makes of it").isNotNull();

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated BMP: the BMP ends before its compressed pixel data does");
        }

        @Test
        void runLengthDataPastTheLastRowIsCorrupt() {
            byte[] bytes = rle8(16, 4, 16, true);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).contains("runs past the bottom of the image");
        }

        /**
         * An RLE8 BMP whose header says {@code height} rows, with {@code rows} rows of data (red for the first
         * half of the image's height, blue after), and an end-of-bitmap code when {@code terminated}.
         */
        private static byte[] rle8(int width, int height, int rows, boolean terminated) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (int row = 0; row < rows; row++) {
                data.write(width);
                data.write(row < height / 2 ? 1 : 2);
                data.write(0); // end of line
                data.write(0);
            }
            if (terminated) {
                data.write(0);
                data.write(1);
            }
            byte[] pixels = data.toByteArray();
            return bmp(width, height, 8, 1, pixels.length, RED_BLUE.length, bmpPalette(RED_BLUE), pixels);
        }
    }

    @Nested
    class Gif {

        /** The classic smallest GIF: 1x1, a two-colour palette, one LZW-coded pixel. */
        private static final byte[] ONE_PIXEL_GIF = {
                'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, (byte) 0x80, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0,
                0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B};
        private static final int SCREEN = 6;
        private static final int FRAME = 19;

        /** The red team's GIF: one pixel of data for 6300x6300; the JDK's reader fills the other 39.7 million. */
        @Test
        void gifWithOnePixelOfDataForAHugeFrameIsCorrupt() {
            byte[] bytes = ONE_PIXEL_GIF.clone();
            putShort(bytes, SCREEN, 6300, 6300);
            putShort(bytes, FRAME + 5, 6300, 6300);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage())
                    .isEqualTo("corrupt or truncated GIF: the GIF's image data ends before its first image is complete");
        }

        /** A valid GIF whose image data is cut after its first sub-block, then closed properly. */
        @Test
        void gifWhoseImageDataEndsEarlyIsCorrupt() throws IOException {
            byte[] whole = encode(TestImages.noise(64, 64, 9), "gif");
            int data = imageData(whole);
            int firstBlock = whole[data + 1] & 0xFF;
            byte[] cut = Arrays.copyOf(whole, data + 2 + firstBlock + 2);
            cut[cut.length - 2] = 0; // the block terminator
            cut[cut.length - 1] = 0x3B; // the trailer
            assertThat(TestImages.readWithJdk(cut, "gif", 0)).as("what the JDK alone makes of it").isNotNull();

            ImageRejectedException rejected = rejectionOf(cut);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).contains("ends before its first image is complete");
        }

        /** Random colours fill the LZW table to its 4096 codes, so code sizes grow, the table fills and clears. */
        @Test
        void largeNoisyGifDecodes() {
            byte[] bytes = encode(TestImages.noise(300, 200, 4), "gif");

            assertThat(decoder.decode(bytes).getWidth()).isEqualTo(300);
        }

        @Test
        void frameOutsideTheLogicalScreenIsCorrupt() {
            byte[] bytes = ONE_PIXEL_GIF.clone();
            bytes[FRAME + 1] = 5; // left

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated GIF: its first image (1x1 at 5,0) does not"
                    + " fit on its 1x1 logical screen");
        }

        @Test
        void logicalScreenOverThePixelLimitIsTooManyPixels() {
            byte[] bytes = ONE_PIXEL_GIF.clone();
            putShort(bytes, SCREEN, 60_000, 60_000);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_PIXELS);
            assertThat(rejected.getMessage()).isEqualTo("image is 60000x60000 = 3600000000 pixels, over the limit of 40000000");
        }

        @Test
        void extensionRunningPastTheEndIsCorrupt() {
            byte[] bytes = Arrays.copyOf(ONE_PIXEL_GIF, 23);
            bytes[19] = 0x21; // an extension where the image belongs
            bytes[20] = (byte) 0xFE; // a comment
            bytes[21] = 100; // of 100 bytes, of which one is there

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated GIF: the GIF ends before its first image");
        }

        /** Where the first image's LZW code size byte is, in a GIF as the JDK writes it. */
        private static int imageData(byte[] gif) {
            int position = 13 + ((gif[10] & 0x80) == 0 ? 0 : 3 << ((gif[10] & 7) + 1));
            while (gif[position] == 0x21) {
                position += 2;
                while (gif[position] != 0) {
                    position += 1 + (gif[position] & 0xFF);
                }
                position++;
            }
            assertThat(gif[position]).as("image descriptor").isEqualTo((byte) 0x2C);
            byte flags = gif[position + 9];
            return position + 10 + ((flags & 0x80) == 0 ? 0 : 3 << ((flags & 7) + 1));
        }

        private static void putShort(byte[] bytes, int offset, int width, int height) {
            bytes[offset] = (byte) width;
            bytes[offset + 1] = (byte) (width >> 8);
            bytes[offset + 2] = (byte) height;
            bytes[offset + 3] = (byte) (height >> 8);
        }
    }

    @Nested
    class Png {

        /** zlib's smallest stream: an empty stored block, header and Adler-32 included. */
        private static final byte[] EMPTY_ZLIB = {0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1};

        @Test
        void imageDataFarTooSmallForTheHeaderIsCorrupt() {
            byte[] bytes = TestImages.png(6000, 6000, TestImages.chunk("IDAT", EMPTY_ZLIB), TestImages.chunk("IEND", new byte[0]));

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated PNG: its 8 bytes of image data cannot"
                    + " hold the 108006000 bytes that its header's size calls for");
        }

        /** The JDK's reader allocates kilobytes per chunk: 700,000 empty ones in 8 MB cost it 6 GB. */
        @Test
        void pngOfTooManyChunksIsNotDecoded() {
            byte[] emptyData = TestImages.chunk("IDAT", new byte[0]);
            byte[][] chunks = new byte[PngChunks.MAX_CHUNKS + 2][];
            java.util.Arrays.fill(chunks, emptyData);
            chunks[chunks.length - 2] = TestImages.chunk("IDAT", zlibOfZeros(4 * (1 + 4 * 3)));
            chunks[chunks.length - 1] = TestImages.chunk("IEND", new byte[0]);
            byte[] bytes = TestImages.png(4, 4, chunks);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
            assertThat(rejected.getMessage()).startsWith("a PNG split into more than 16384 chunks is not decoded");
        }

        @Test
        void pngOfManyChunksWithinTheBoundDecodes() {
            byte[] emptyData = TestImages.chunk("IDAT", new byte[0]);
            byte[][] chunks = new byte[PngChunks.MAX_CHUNKS - 1][];
            java.util.Arrays.fill(chunks, emptyData);
            chunks[chunks.length - 2] = TestImages.chunk("IDAT", zlibOfZeros(4 * (1 + 4 * 3)));
            chunks[chunks.length - 1] = TestImages.chunk("IEND", new byte[0]);

            BufferedImage image = decoder.decode(TestImages.png(4, 4, chunks));

            assertThat(image.getWidth()).isEqualTo(4);
        }

        private static byte[] zlibOfZeros(int length) {
            java.util.zip.Deflater deflater = new java.util.zip.Deflater();
            deflater.setInput(new byte[length]);
            deflater.finish();
            byte[] out = new byte[length + 64];
            int n = deflater.deflate(out);
            deflater.end();
            return java.util.Arrays.copyOf(out, n);
        }

        /** Zeros are what deflate packs best; the bound is deflate's own limit, so no valid file can cross it. */
        @Test
        void imageDataAsCompressedAsDeflateCanDecodes() {
            byte[] bytes = encode(new BufferedImage(2000, 2000, BufferedImage.TYPE_BYTE_GRAY), "png");

            BufferedImage image = decoder.decode(bytes);

            assertThat(image.getRGB(image.getWidth() - 1, image.getHeight() - 1)).isEqualTo(Color.BLACK.getRGB());
        }

        @Test
        void pngThatDoesNotStartWithItsHeaderIsCorrupt() {
            byte[] valid = encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png");
            byte[] text = TestImages.chunk("tEXt", "Comment\0hello".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            byte[] bytes = new byte[valid.length + text.length];
            System.arraycopy(valid, 0, bytes, 0, 8);
            System.arraycopy(text, 0, bytes, 8, text.length);
            System.arraycopy(valid, 8, bytes, 8 + text.length, valid.length - 8);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage())
                    .isEqualTo("corrupt or truncated PNG: the PNG does not start with a complete header chunk (IHDR)");
        }
    }

    @Nested
    class Jpeg {

        /** libjpeg would fill 36 million pixels with grey, and only then warn that the data ended. */
        @Test
        void baselineFrameFarLargerThanItsDataIsCorrupt() {
            byte[] small = TestImages.jpeg(TestImages.noise(64, 64, 1), 0.9f);
            byte[] bytes = TestImages.withJpegSize(small, 6000, 6000);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage())
                    .isEqualTo("corrupt or truncated JPEG: the JPEG holds far too little image data for its 6000x6000 frame");
        }

        @Test
        void heightGivenByADnlMarkerIsUnsupported() {
            byte[] bytes = TestImages.withJpegSize(TestImages.jpeg(TestImages.noise(16, 16, 1), 0.9f), 16, 0);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
            assertThat(rejected.getMessage()).startsWith("JPEG whose height comes after its image data");
        }

        @Test
        void zeroWidthIsCorrupt() {
            byte[] bytes = TestImages.withJpegSize(TestImages.jpeg(TestImages.noise(16, 16, 1), 0.9f), 0, 16);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated JPEG: the JPEG frame header declares a width of 0");
        }
    }

    private ImageRejectedException rejectionOf(byte[] bytes) {
        return assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes));
    }

    private static void putInt(byte[] bytes, int offset, int littleEndian) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (littleEndian >> (8 * i));
        }
    }
}
