package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;
import static dev.captioner.vision.TestImages.assertRgb;
import static dev.captioner.vision.TestImages.bmp;
import static dev.captioner.vision.TestImages.bmpPalette;
import static dev.captioner.vision.TestImages.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Headers that declare sizes, offsets and lengths the bytes cannot back: every one is built by hand here, and
 * each must be turned away before a reader allocates or decodes anything on its word.
 */
class DeclaredSizeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
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
                    .isEqualTo("BMP images that wrap a PNG image are not supported; send a JPEG, PNG, GIF or BMP image");
        }

        /** The BMP header's 16x16 is all the pixel limit would see; the PNG inside is what gets decoded. */
        @Test
        void embeddedPngLargerThanTheLimitIsUnsupportedNotDecoded() {
            byte[] png = encode(new BufferedImage(2000, 20, BufferedImage.TYPE_INT_RGB), "png");
            byte[] bytes = bmp(16, 16, 0, 5, png.length, 0, NO_PALETTE, png);

            ImageRejectedException rejected = assertTimeoutPreemptively(TIMEOUT,
                    () -> assertThrows(ImageRejectedException.class, () -> new ImageDecoder(1000).decode(bytes)));

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

    private ImageRejectedException rejectionOf(byte[] bytes) {
        return assertTimeoutPreemptively(TIMEOUT, () -> assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes)));
    }

    private static void putInt(byte[] bytes, int offset, int littleEndian) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (littleEndian >> (8 * i));
        }
    }
}
