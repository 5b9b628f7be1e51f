package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.EMPTY;
import static dev.captioner.vision.ImageRejectedException.Reason.NOT_AN_IMAGE;
import static dev.captioner.vision.ImageRejectedException.Reason.TOO_MANY_PIXELS;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;
import static dev.captioner.vision.TestImages.BLOCK;
import static dev.captioner.vision.TestImages.assertRgb;
import static dev.captioner.vision.TestImages.blocks;
import static dev.captioner.vision.TestImages.centreOfBlock;
import static dev.captioner.vision.TestImages.chunk;
import static dev.captioner.vision.TestImages.encode;
import static dev.captioner.vision.TestImages.firstHalf;
import static dev.captioner.vision.TestImages.jpeg;
import static dev.captioner.vision.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;


import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private static final long MAX_PIXELS = 40_000_000;
    /** A hang detector, not a speed check: one decode takes milliseconds. */
    private static final Color HALF_GREY = new Color(127, 127, 127);
    /** The classic smallest GIF: 1x1, a two-colour palette, one LZW-coded pixel. */
    private static final byte[] ONE_PIXEL_GIF = {
            'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, (byte) 0x80, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0,
            0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B};

    private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS);

    @Nested
    class SupportedImages {

        @Test
        void rgbJpeg() {
            byte[] bytes = jpeg(blocks(BufferedImage.TYPE_INT_RGB, Color.RED, Color.BLUE, Color.WHITE), 0.95f);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 3 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), BLOCK / 2, Color.RED, 8);
            assertRgb(image, centreOfBlock(1), BLOCK / 2, Color.BLUE, 8);
            assertRgb(image, centreOfBlock(2), BLOCK / 2, Color.WHITE, 8);
        }

        @Test
        void greyJpeg() {
            byte[] bytes = jpeg(blocks(BufferedImage.TYPE_BYTE_GRAY, new Color(50, 50, 50), new Color(200, 200, 200)), 0.95f);
            assertThat(TestImages.jpegComponents(bytes)).as("components").isEqualTo(1);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 2 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), BLOCK / 2, new Color(50, 50, 50), 3);
            assertRgb(image, centreOfBlock(1), BLOCK / 2, new Color(200, 200, 200), 3);
        }

        /** Ink amounts (C, M, Y, K, 0-255) and the RGB the naive conversion gives for them. */
        private static final int[][] INKS = {
                {255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255}, {0, 0, 0, 0}, {0, 0, 0, 128}};
        private static final Color[] INK_COLOURS = {
                Color.CYAN, Color.MAGENTA, Color.YELLOW, Color.BLACK, Color.WHITE, HALF_GREY};

        @ParameterizedTest
        @EnumSource(CmykStorage.class)
        void fourComponentJpeg(CmykStorage storage) {
            byte[] bytes = storage.jpeg(INKS);
            assertThat(TestImages.jpegComponents(bytes)).as("components").isEqualTo(4);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, INKS.length * BLOCK, BLOCK);
            for (int i = 0; i < INKS.length; i++) {
                assertRgb(image, centreOfBlock(i), BLOCK / 2, INK_COLOURS[i], 6);
            }
        }

        @Test
        void rgbPng() {
            byte[] bytes = encode(blocks(BufferedImage.TYPE_INT_RGB, Color.RED, new Color(10, 20, 30)), "png");
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(2);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 2 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), 0, Color.RED, 0);
            assertRgb(image, centreOfBlock(1), BLOCK - 1, new Color(10, 20, 30), 0);
        }

        @Test
        void rgbaPngIsLaidOverWhite() {
            byte[] bytes = encode(blocks(BufferedImage.TYPE_INT_ARGB,
                    Color.RED, new Color(0, 0, 0, 0), new Color(0, 0, 255, 128)), "png");
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(6);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 3 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), 0, Color.RED, 0);
            assertRgb(image, centreOfBlock(1), 0, Color.WHITE, 0);
            assertRgb(image, centreOfBlock(2), 0, new Color(127, 127, 255), 1);
        }

        @ParameterizedTest
        @ValueSource(ints = {8, 16})
        void greyWithAlphaPngIsLaidOverWhite(int bitDepth) {
            int max = (1 << bitDepth) - 1;
            ComponentColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                    true, false, Transparency.TRANSLUCENT, bitDepth == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
            WritableRaster raster = greyAlpha.createCompatibleWritableRaster(3 * BLOCK, BLOCK);
            fillBlocks(raster, new int[] {60 * max / 255, max}, new int[] {0, 0}, new int[] {0, (max + 1) / 2});
            byte[] bytes = encode(new BufferedImage(greyAlpha, raster, false, null), "png");
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(4);
            assertThat(TestImages.pngBitDepth(bytes)).as("bit depth").isEqualTo(bitDepth);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 3 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), 0, new Color(60, 60, 60), 0);
            assertRgb(image, centreOfBlock(1), 0, Color.WHITE, 0);
            assertRgb(image, centreOfBlock(2), 0, HALF_GREY, 1);
        }

        /** Java's grey colour space is linear; a naive conversion would brighten 100 to about 170. */
        @Test
        void eightBitGreyPngKeepsItsValues() {
            byte[] bytes = encode(blocks(BufferedImage.TYPE_BYTE_GRAY, new Color(100, 100, 100), new Color(1, 1, 1)), "png");
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(0);

            BufferedImage image = decoder.decode(bytes);

            assertRgb(image, centreOfBlock(0), 0, new Color(100, 100, 100), 0);
            assertRgb(image, centreOfBlock(1), 0, new Color(1, 1, 1), 0);
        }

        @Test
        void sixteenBitGreyPng() {
            BufferedImage grey = new BufferedImage(3 * BLOCK, BLOCK, BufferedImage.TYPE_USHORT_GRAY);
            fillBlocks(grey.getRaster(), new int[] {0}, new int[] {0x8080}, new int[] {0xFFFF});
            byte[] bytes = encode(grey, "png");
            assertThat(TestImages.pngBitDepth(bytes)).as("bit depth").isEqualTo(16);
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(0);

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 3 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), 0, Color.BLACK, 0);
            assertRgb(image, centreOfBlock(1), 0, new Color(128, 128, 128), 1);
            assertRgb(image, centreOfBlock(2), 0, Color.WHITE, 0);
        }

        @Test
        void sixteenBitRgbPng() {
            ComponentColorModel rgb16 = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                    false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
            WritableRaster raster = rgb16.createCompatibleWritableRaster(2 * BLOCK, BLOCK);
            fillBlocks(raster, new int[] {0xFFFF, 0, 0}, new int[] {0, 0x8080, 0xFFFF});
            byte[] bytes = encode(new BufferedImage(rgb16, raster, false, null), "png");
            assertThat(TestImages.pngBitDepth(bytes)).as("bit depth").isEqualTo(16);
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(2);

            BufferedImage image = decoder.decode(bytes);

            assertRgb(image, centreOfBlock(0), 0, Color.RED, 0);
            assertRgb(image, centreOfBlock(1), 0, new Color(0, 128, 255), 1);
        }

        @Test
        void oneBitPng() {
            byte[] bytes = encode(blocks(BufferedImage.TYPE_BYTE_BINARY, Color.BLACK, Color.WHITE), "png");
            assertThat(TestImages.pngBitDepth(bytes)).as("bit depth").isEqualTo(1);

            BufferedImage image = decoder.decode(bytes);

            assertRgb(image, centreOfBlock(0), 0, Color.BLACK, 0);
            assertRgb(image, centreOfBlock(1), 0, Color.WHITE, 0);
        }

        @Test
        void palettePngWithTransparentEntry() {
            IndexColorModel palette = new IndexColorModel(2, 3,
                    new byte[] {(byte) 255, 0, 0}, new byte[] {0, (byte) 255, 0}, new byte[] {0, 0, (byte) 255},
                    new byte[] {(byte) 255, 0, (byte) 255});
            BufferedImage indexed = new BufferedImage(3 * BLOCK, BLOCK, BufferedImage.TYPE_BYTE_INDEXED, palette);
            fillBlocks(indexed.getRaster(), new int[] {0}, new int[] {1}, new int[] {2});
            byte[] bytes = encode(indexed, "png");
            assertThat(TestImages.pngColourType(bytes)).as("colour type").isEqualTo(3);
            assertThat(TestImages.hasChunk(bytes, "tRNS")).as("has tRNS").isTrue();

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 3 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), 0, Color.RED, 0);
            assertRgb(image, centreOfBlock(1), 0, Color.WHITE, 0);
            assertRgb(image, centreOfBlock(2), 0, Color.BLUE, 0);
        }

        @Test
        void animatedGifGivesItsFirstFrame() throws IOException {
            byte[] bytes = TestImages.writeSequence("gif", List.of(
                    blocks(BufferedImage.TYPE_BYTE_INDEXED, Color.RED, Color.RED),
                    blocks(BufferedImage.TYPE_BYTE_INDEXED, Color.GREEN, Color.GREEN)));
            assertThat(TestImages.readWithJdk(bytes, "gif", 1).getRGB(0, 0)).as("second frame").isEqualTo(Color.GREEN.getRGB());

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 2 * BLOCK, BLOCK);
            assertRgb(image, 0, 0, Color.RED, 0);
            assertRgb(image, 2 * BLOCK - 1, BLOCK - 1, Color.RED, 0);
        }

        @Test
        void gifTransparencyIsLaidOverWhite() {
            IndexColorModel palette = new IndexColorModel(1, 2,
                    new byte[] {0, 0}, new byte[] {0, 0}, new byte[] {(byte) 255, 0}, 1);
            BufferedImage indexed = new BufferedImage(2 * BLOCK, BLOCK, BufferedImage.TYPE_BYTE_INDEXED, palette);
            fillBlocks(indexed.getRaster(), new int[] {0}, new int[] {1});
            byte[] bytes = encode(indexed, "gif");

            BufferedImage image = decoder.decode(bytes);

            assertRgb(image, centreOfBlock(0), 0, Color.BLUE, 0);
            assertRgb(image, centreOfBlock(1), 0, Color.WHITE, 0);
        }

        @Test
        void bmp() {
            byte[] bytes = encode(blocks(BufferedImage.TYPE_INT_RGB, Color.ORANGE, new Color(1, 2, 3)), "bmp");

            BufferedImage image = decoder.decode(bytes);

            assertRgbImage(image, 2 * BLOCK, BLOCK);
            assertRgb(image, centreOfBlock(0), 0, Color.ORANGE, 0);
            assertRgb(image, centreOfBlock(1), BLOCK - 1, new Color(1, 2, 3), 0);
        }

        @Test
        void smallestGif() {
            BufferedImage image = decoder.decode(ONE_PIXEL_GIF);

            assertRgbImage(image, 1, 1);
            assertRgb(image, 0, 0, Color.WHITE, 0);
        }

        @ParameterizedTest
        @EnumSource(ImageFormat.class)
        void probeReadsFormatAndSize(ImageFormat format) {
            byte[] bytes = encode(new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB), format.readerFormatName());

            assertThat(decoder.probe(bytes)).isEqualTo(new ImageInfo(format, 37, 23));
        }

        @Test
        void decodesConcurrently() throws Exception {
            List<byte[]> inputs = List.of(
                    jpeg(TestImages.noise(64, 64, 1), 0.9f), encode(TestImages.noise(64, 64, 2), "png"),
                    encode(TestImages.noise(64, 64, 3), "gif"), encode(TestImages.noise(64, 64, 4), "bmp"));
            List<int[]> expected = inputs.stream().map(bytes -> pixels(decoder.decode(bytes))).toList();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int input = i % inputs.size();
                    results.add(pool.submit(() -> Arrays.equals(pixels(decoder.decode(inputs.get(input))), expected.get(input))));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).as("same pixels as decoded alone").isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** How the samples of a CMYK image can be stored in a four-component JPEG. */
    enum CmykStorage {
        /** Plain ink amounts and no Adobe marker, as libjpeg writes CMYK. */
        PLAIN_CMYK,
        /** Photoshop: an Adobe marker with transform 0 and every value inverted (255 - ink). */
        ADOBE_INVERTED_CMYK,
        /** Photoshop's YCCK: transform 2; the inverted C, M, Y are YCbCr-encoded as if they were R, G, B. */
        ADOBE_YCCK;

        byte[] jpeg(int[][] inks) {
            int[][] stored = Arrays.stream(inks).map(this::store).toArray(int[][]::new);
            byte[] jpeg = TestImages.fourComponentJpeg(stored);
            return switch (this) {
                case PLAIN_CMYK -> jpeg;
                case ADOBE_INVERTED_CMYK -> TestImages.withAdobeMarker(jpeg, 0);
                case ADOBE_YCCK -> TestImages.withAdobeMarker(jpeg, 2);
            };
        }

        private int[] store(int[] ink) {
            return switch (this) {
                case PLAIN_CMYK -> ink;
                case ADOBE_INVERTED_CMYK -> new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
                case ADOBE_YCCK -> {
                    // The encoder sees R = 255 - stored C = ink C (and so on) and converts that to YCbCr.
                    double r = ink[0];
                    double g = ink[1];
                    double b = ink[2];
                    yield new int[] {
                            clamp(0.299 * r + 0.587 * g + 0.114 * b),
                            clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
                            clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
                            255 - ink[3]};
                }
            };
        }

        private static int clamp(double value) {
            return (int) Math.max(0, Math.min(255, Math.round(value)));
        }
    }

    @Nested
    class RejectedInput {

        @Test
        void emptyAndNullAreEmpty() {
            assertThat(rejectionOf(new byte[0]).getReason()).isEqualTo(EMPTY);
            assertThat(rejectionOf(null).getReason()).isEqualTo(EMPTY);
        }

        static Stream<Arguments> notImages() {
            byte[] random = new byte[4096];
            new Random(42).nextBytes(random);
            return Stream.of(
                    Arguments.of("random bytes", random),
                    Arguments.of("UTF-8 text", "Une légende, s'il vous plaît: a photo of a cat".getBytes(StandardCharsets.UTF_8)),
                    Arguments.of("PDF", "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".getBytes(StandardCharsets.US_ASCII)),
                    Arguments.of("text starting with BM", "BMW and BMX bikes, a long line of text".getBytes(StandardCharsets.US_ASCII)),
                    Arguments.of("MP4 video", ascii("\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2")),
                    Arguments.of("one byte", new byte[] {(byte) 0xFF}));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("notImages")
        void notAnImage(String description, byte[] bytes) {
            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(NOT_AN_IMAGE);
            assertThat(rejected.getMessage()).contains("not an image").contains("JPEG, PNG, GIF, BMP or WebP");
        }

        static Stream<Arguments> unsupportedImages() {
            return Stream.of(
                    Arguments.of("TIFF", ascii("II*\0\u0008\0\0\0")),
                    Arguments.of("TIFF", ascii("MM\0*\0\0\0\u0008")),
                    Arguments.of("HEIC/HEIF", ascii("\0\0\0\u0018ftypheic\0\0\0\0mif1heic")),
                    Arguments.of("AVIF", ascii("\0\0\0\u001Cftypavif\0\0\0\0avifmif1miaf")),
                    Arguments.of("ICO", ascii("\0\0\u0001\0\u0001\0\u0010\u0010")),
                    Arguments.of("JPEG 2000", ascii("\0\0\0\u000CjP  \r\n\u0087\n\0\0\0\u0014ftypjp2 ")),
                    Arguments.of("SVG/XML", ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")),
                    Arguments.of("SVG/XML", ascii("\uFEFF\n  <?xml version=\"1.0\"?><svg/>".replace("\uFEFF", "\u00EF\u00BB\u00BF"))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("unsupportedImages")
        void unsupportedFormat(String name, byte[] bytes) {
            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
            assertThat(rejected.getMessage()).isEqualTo(name + " images are not supported; send a JPEG, PNG, GIF, BMP or WebP image");
        }

        static Stream<Arguments> jpegProcessesLibjpegCannotDecode() {
            return Stream.of(
                    Arguments.of(0xC3, 8, "lossless JPEG (SOF3) is not supported"),
                    Arguments.of(0xC5, 8, "hierarchical JPEG (SOF5) is not supported"),
                    Arguments.of(0xCB, 8, "lossless arithmetic-coded JPEG (SOF11) is not supported"),
                    Arguments.of(0xCD, 8, "hierarchical arithmetic-coded JPEG (SOF13) is not supported"),
                    Arguments.of(0xC1, 12, "12-bit JPEG is not supported"));
        }

        @ParameterizedTest
        @MethodSource("jpegProcessesLibjpegCannotDecode")
        void jpegVariantsTheJdkCannotDecodeAreUnsupported(int sofMarker, int precision, String message) {
            byte[] bytes = TestImages.withJpegFrame(jpeg(blocks(BufferedImage.TYPE_INT_RGB, Color.RED), 0.9f), sofMarker, precision);
            assertThrows(IOException.class, () -> TestImages.readWithJdk(bytes, "jpeg", 0), "the JDK's own reader must fail on it");

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
            assertThat(rejected.getMessage()).startsWith(message);
        }

        /** libjpeg fills the missing half with grey and only warns; javax.imageio returns that picture. */
        @Test
        void truncatedJpegThatTheJdkWouldReturnIsCorrupt() throws IOException {
            byte[] half = firstHalf(jpeg(TestImages.noise(256, 256, 7), 0.9f));
            assertThat(TestImages.readWithJdk(half, "jpeg", 0)).as("what the JDK alone makes of it").isNotNull();

            ImageRejectedException rejected = rejectionOf(half);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).startsWith("corrupt or truncated JPEG: ");
        }

        @ParameterizedTest
        @EnumSource(ImageFormat.class)
        void firstHalfIsCorrupt(ImageFormat format) {
            byte[] whole = encode(TestImages.noise(128, 128, 3), format.readerFormatName());

            ImageRejectedException rejected = rejectionOf(firstHalf(whole));

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).startsWith("corrupt or truncated " + format + ": ");
        }

        /** javax.imageio stops reading at the end of the image data, so it would accept both. */
        @Test
        void pngWithoutIendIsCorrupt() throws IOException {
            byte[] whole = encode(TestImages.noise(32, 32, 5), "png");
            byte[] withoutIend = Arrays.copyOf(whole, whole.length - 12);
            assertThat(TestImages.readWithJdk(withoutIend, "png", 0)).as("what the JDK alone makes of it").isNotNull();

            ImageRejectedException rejected = rejectionOf(withoutIend);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated PNG: the file ends after "
                    + withoutIend.length + " bytes, before the IEND chunk");
        }

        @Test
        void pngWithBadCrcIsCorrupt() throws IOException {
            byte[] damaged = encode(TestImages.noise(32, 32, 5), "png");
            damaged[damaged.length - 13] ^= 0x01; // last byte of the final IDAT's CRC
            assertThat(TestImages.readWithJdk(damaged, "png", 0)).as("what the JDK alone makes of it").isNotNull();

            ImageRejectedException rejected = rejectionOf(damaged);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).matches("corrupt or truncated PNG: chunk IDAT at byte \\d+ fails its CRC check");
        }

        @Test
        void pngWithoutImageDataIsCorrupt() {
            byte[] bytes = png(4, 4, chunk("IEND", new byte[0]));

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
        }

        /** javax.imageio fails on these with RuntimeExceptions rather than IOExceptions. */
        static Stream<Arguments> inputsTheJdkFailsOnWithRuntimeExceptions() {
            byte[] bmp = encode(blocks(BufferedImage.TYPE_INT_RGB, Color.RED), "bmp");
            bmp[13] = (byte) 0xE7; // top byte of bfOffBits: the pixel data "starts" 3.8 GB in
            byte[] gifWithoutImage = Arrays.copyOf(ONE_PIXEL_GIF, 20);
            gifWithoutImage[19] = 0x3B; // the trailer where the image descriptor belongs
            byte[] gifWithEmptyFrame = ONE_PIXEL_GIF.clone();
            gifWithEmptyFrame[24] = 0; // the frame's width
            return Stream.of(
                    Arguments.of("BMP whose pixel data offset is past 2 GB", "bmp", bmp),
                    Arguments.of("GIF without an image", "gif", gifWithoutImage),
                    Arguments.of("GIF whose frame is 0 pixels wide", "gif", gifWithEmptyFrame));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("inputsTheJdkFailsOnWithRuntimeExceptions")
        void runtimeExceptionsFromTheJdkBecomeCorrupt(String description, String format, byte[] bytes) {
            assertThrows(RuntimeException.class, () -> TestImages.readWithJdk(bytes, format, 0), "the JDK's own reader");

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(CORRUPT);
            assertThat(rejected.getMessage()).startsWith("corrupt");
        }

        @Test
        void bmpWithZeroWidthIsCorrupt() {
            byte[] bytes = encode(blocks(BufferedImage.TYPE_INT_RGB, Color.RED), "bmp");
            Arrays.fill(bytes, 18, 22, (byte) 0); // biWidth

            assertThat(rejectionOf(bytes).getReason()).isEqualTo(CORRUPT);
        }
    }

    @Nested
    class PixelLimit {

        static Stream<Arguments> hugePngs() {
            return Stream.of(
                    Arguments.of("header only", png(100_000, 100_000)),
                    Arguments.of("tiny IDAT", png(100_000, 100_000, chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1}),
                            chunk("IEND", new byte[0]))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("hugePngs")
        void hugePngIsRejectedFromItsHeader(String description, byte[] bytes) {
            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(TOO_MANY_PIXELS);
            assertThat(rejected.getMessage()).isEqualTo("image is 100000x100000 = 10000000000 pixels, over the limit of 40000000");
        }

        @Test
        void hugeJpegIsRejectedFromItsHeader() {
            byte[] bytes = TestImages.withJpegSize(jpeg(blocks(BufferedImage.TYPE_INT_RGB, Color.RED), 0.9f), 60_000, 60_000);

            ImageRejectedException rejected = rejectionOf(bytes);

            assertThat(rejected.getReason()).isEqualTo(TOO_MANY_PIXELS);
            assertThat(rejected.getMessage()).isEqualTo("image is 60000x60000 = 3600000000 pixels, over the limit of 40000000");
        }

        /** 65536 * 65536 is 0 in int arithmetic. */
        @Test
        void sizeIsMultipliedWithoutOverflow() {
            ImageRejectedException rejected = rejectionOf(png(65_536, 65_536));

            assertThat(rejected.getReason()).isEqualTo(TOO_MANY_PIXELS);
            assertThat(rejected.getMessage()).contains("= 4294967296 pixels");
        }

        @ParameterizedTest
        @EnumSource(ImageFormat.class)
        void imageExactlyAtTheLimitPassesAndOnePixelOverFails(ImageFormat format) {
            byte[] bytes = encode(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), format.readerFormatName());

            assertThat(new ImageDecoder(64 * 48).decode(bytes).getWidth()).isEqualTo(64);
            ImageRejectedException rejected = assertThrows(ImageRejectedException.class, () -> new ImageDecoder(64 * 48 - 1).decode(bytes));
            assertThat(rejected.getReason()).isEqualTo(TOO_MANY_PIXELS);
            assertThat(rejected.getMessage()).isEqualTo("image is 64x48 = 3072 pixels, over the limit of 3071");
        }

        @Test
        void probeReportsTheSizeWithoutApplyingTheLimit() {
            assertThat(decoder.probe(png(100_000, 100_000))).isEqualTo(new ImageInfo(ImageFormat.PNG, 100_000, 100_000));
        }
    }

    /**
     * Random damage to valid files of every format: each mutant must decode or be rejected, and nothing else
     * (no other exception type, no hang). PNG mutants get their CRCs repaired so that the damage reaches the
     * PNG reader rather than stopping at the CRC check.
     */
    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void damagedFilesAreDecodedOrRejectedNeverAnythingElse(ImageFormat format) {
        byte[] original = encode(TestImages.noise(40, 30, 11), format.readerFormatName());
        ImageDecoder smallLimit = new ImageDecoder(1_000_000);
        Random random = new Random(format.ordinal());
        // a decoder sent round in circles is stopped by the decoder's own read budget, not by a clock here
        for (int i = 0; i < 1000; i++) {
            byte[] mutant = original.clone();
            int changes = 1 + random.nextInt(8);
            for (int c = 0; c < changes; c++) {
                mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                mutant = Arrays.copyOf(mutant, random.nextInt(mutant.length));
            }
            if (format == ImageFormat.PNG) {
                mutant = TestImages.withRepairedCrcs(mutant);
            }
            try {
                assertThat(smallLimit.decode(mutant).getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            } catch (ImageRejectedException expected) {
                assertThat(expected.getMessage()).as("message for mutant %d", i).isNotBlank();
            } catch (RuntimeException | Error e) {
                throw new AssertionError("mutant " + i + " of the " + format + " leaked " + e, e);
            }
        }
    }

    private ImageRejectedException rejectionOf(byte[] bytes) {
        return assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes));
    }

    private static void assertRgbImage(BufferedImage image, int width, int height) {
        assertThat(image.getType()).as("image type").isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).as("width").isEqualTo(width);
        assertThat(image.getHeight()).as("height").isEqualTo(height);
    }

    /** Block i of the raster gets samples[i] in every pixel. */
    private static void fillBlocks(WritableRaster raster, int[]... samples) {
        for (int i = 0; i < samples.length; i++) {
            for (int y = 0; y < raster.getHeight(); y++) {
                for (int x = i * BLOCK; x < (i + 1) * BLOCK; x++) {
                    raster.setPixel(x, y, samples[i]);
                }
            }
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
