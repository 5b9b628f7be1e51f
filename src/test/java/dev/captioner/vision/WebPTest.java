package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.TOO_MANY_PIXELS;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;
import static dev.captioner.vision.TestImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebP through TwelveMonkeys' reader, pinned by class, with the protections the other formats have. Lossless
 * files are written bit by bit by {@link TestImages#webpLossless}; lossy ones come from libwebp's cwebp
 * (Debian package webp) where it is installed, and those tests are skipped, saying so, where it is not.
 */
class WebPTest {

    /** A hang detector, not a speed check: one decode takes milliseconds. */

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @Test
    void losslessWebPDecodes() {
        byte[] bytes = TestImages.webpLossless(SubsamplingTest.quadrants(64, 32));
        assertThat(ImageFormat.detect(bytes)).contains(ImageFormat.WEBP);

        BufferedImage image = decoder.decode(bytes);

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(32);
        assertRgb(image, 10, 5, Color.RED, 0);
        assertRgb(image, 50, 5, Color.GREEN, 0);
        assertRgb(image, 10, 25, Color.BLUE, 0);
        assertRgb(image, 50, 25, Color.WHITE, 0);
        assertThat(decoder.probe(bytes)).isEqualTo(new ImageInfo(ImageFormat.WEBP, 64, 32));
    }

    @Test
    void transparencyIsLaidOverWhite() {
        BufferedImage argb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                argb.setRGB(x, y, x < 16 ? 0xFF0000FF : 0x00000000);
            }
        }

        BufferedImage image = decoder.decode(TestImages.webpLossless(argb));

        assertRgb(image, 8, 8, Color.BLUE, 0);
        assertRgb(image, 24, 8, Color.WHITE, 0);
    }

    /** Cut in half and wrapped again with sizes that agree: TwelveMonkeys would read zeros for the rest. */
    @Test
    void bitstreamThatEndsEarlyIsCorrupt() {
        byte[] whole = TestImages.webpLossless(TestImages.noise(64, 32, 5));
        byte[] cut = TestImages.riff("VP8L", Arrays.copyOfRange(whole, 20, 20 + (whole.length - 20) / 2));

        ImageRejectedException rejected = rejectionOf(cut);

        assertThat(rejected.getReason()).isEqualTo(CORRUPT);
        assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated WebP: the WebP ends before its image data does");
    }

    /** A bitstream that is only a few bytes short still reads further than any look-ahead. */
    @Test
    void bitstreamShortOfItsLastPixelsIsCorrupt() {
        byte[] whole = TestImages.webpLossless(TestImages.noise(64, 32, 6));
        byte[] cut = TestImages.riff("VP8L", Arrays.copyOfRange(whole, 20, whole.length - 40));

        assertThat(rejectionOf(cut).getReason()).isEqualTo(CORRUPT);
    }

    @Test
    void fileShorterThanItsRiffSizeIsCorrupt() {
        byte[] whole = TestImages.webpLossless(TestImages.noise(16, 16, 5));

        ImageRejectedException rejected = rejectionOf(Arrays.copyOf(whole, whole.length - 10));

        assertThat(rejected.getReason()).isEqualTo(CORRUPT);
        assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated WebP: the WebP ends before its RIFF container does");
    }

    @Test
    void declaredSizeOverTheLimitIsRejectedFromTheHeader() {
        byte[] header = {0x2F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0, 0, 0, 0, 0}; // 16384 x 16384

        ImageRejectedException rejected = rejectionOf(TestImages.riff("VP8L", header));

        assertThat(rejected.getReason()).isEqualTo(TOO_MANY_PIXELS);
        assertThat(rejected.getMessage()).isEqualTo("image is 16384x16384 = 268435456 pixels, over the limit of 40000000");
    }

    @Test
    void extendedWebPWithMetadataAfterTheImageDecodes() {
        byte[] vp8l = bitstream(TestImages.webpLossless(SubsamplingTest.quadrants(40, 20)));

        BufferedImage image = decoder.decode(extended(40, 20, 0x08, vp8l, chunk("EXIF", new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0})));

        assertThat(image.getWidth()).isEqualTo(40);
        assertRgb(image, 30, 5, Color.GREEN, 0);
    }

    @Test
    void canvasOfAnotherSizeThanTheImageIsCorrupt() {
        byte[] vp8l = bitstream(TestImages.webpLossless(SubsamplingTest.quadrants(40, 20)));

        ImageRejectedException rejected = rejectionOf(extended(4000, 20, 0, vp8l));

        assertThat(rejected.getReason()).isEqualTo(CORRUPT);
        assertThat(rejected.getMessage()).isEqualTo("corrupt or truncated WebP: its image (40x20) is not the size of its canvas (4000x20)");
    }

    @Test
    void animatedWebPIsUnsupported() {
        ImageRejectedException rejected = rejectionOf(extended(40, 20, 0x02, chunk("ANIM", new byte[6])));

        assertThat(rejected.getReason()).isEqualTo(UNSUPPORTED_FORMAT);
        assertThat(rejected.getMessage())
                .isEqualTo("animated WebP images are not supported; send a JPEG, PNG, GIF, BMP or WebP image");
    }

    @Test
    void lossyWebPDecodesSubsampled(@TempDir Path directory) throws Exception {
        byte[] bytes = cwebp(SubsamplingTest.quadrants(2000, 1000), directory);

        BufferedImage image = decoder.decode(bytes);

        assertThat(image.getWidth()).isEqualTo(500);
        assertThat(image.getHeight()).isEqualTo(500);
        assertRgb(image, 125, 125, Color.RED, 12);
        assertRgb(image, 375, 125, Color.GREEN, 12);
        assertRgb(image, 125, 375, Color.BLUE, 12);
        assertRgb(image, 375, 375, Color.WHITE, 12);
    }

    @Test
    void lossyWebPThatEndsEarlyIsCorrupt(@TempDir Path directory) throws Exception {
        byte[] whole = cwebp(TestImages.noise(256, 256, 3), directory);
        byte[] frame = bitstream(whole);

        ImageRejectedException rejected = rejectionOf(TestImages.riff("VP8 ", Arrays.copyOf(frame, frame.length / 2)));

        assertThat(rejected.getReason()).isEqualTo(CORRUPT);
        assertThat(rejected.getMessage()).startsWith("corrupt or truncated WebP: ");
    }

    /** A lossy WebP from libwebp's encoder, or the test is skipped: no Java library writes lossy WebP. */
    private static byte[] cwebp(BufferedImage image, Path directory) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cwebp")) || onPath("cwebp"),
                "cwebp not installed (Debian: apt-get install webp); skipping the lossy WebP test");
        Path png = directory.resolve("in.png");
        Path webp = directory.resolve("out.webp");
        Files.write(png, TestImages.encode(image, "png"));
        Process process = new ProcessBuilder("cwebp", "-quiet", "-q", "90", png.toString(), "-o", webp.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("cwebp finished").isTrue();
        assertThat(process.exitValue()).as("cwebp exit status").isZero();
        byte[] bytes = Files.readAllBytes(webp);
        assertThat(new String(bytes, 12, 4, StandardCharsets.US_ASCII)).as("first chunk").isEqualTo("VP8 ");
        return bytes;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /** The data of a simple-format WebP's one chunk. */
    private static byte[] bitstream(byte[] webp) {
        int length = ByteBuffer.wrap(webp, 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(webp, 20, 20 + length);
    }

    /** A VP8X file: the extended header for a canvas, then a VP8L chunk of {@code vp8l} (if any), then more chunks. */
    private static byte[] extended(int width, int height, int flags, byte[] vp8lOrChunk, byte[]... more) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put((byte) flags).put(new byte[3]);
        vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        chunks.writeBytes(chunk("VP8X", vp8x.array()));
        chunks.writeBytes(vp8lOrChunk.length > 0 && vp8lOrChunk[0] == 0x2F ? chunk("VP8L", vp8lOrChunk) : vp8lOrChunk);
        for (byte[] chunk : more) {
            chunks.writeBytes(chunk);
        }
        byte[] body = chunks.toByteArray();
        ByteBuffer webp = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        webp.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        return webp.put(body).array();
    }

    private static byte[] chunk(String type, byte[] data) {
        int padded = data.length + (data.length & 1);
        ByteBuffer chunk = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        return chunk.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data).array();
    }

    private ImageRejectedException rejectionOf(byte[] bytes) {
        return assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes));
    }
}
