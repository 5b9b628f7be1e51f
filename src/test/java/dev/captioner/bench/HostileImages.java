package dev.captioner.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;

/**
 * Images for the red-team campaign: small well-formed seeds of every format the service reads (to mutate), and
 * files built by hand whose headers lie or whose pixels cost far more than their bytes (bombs). Written from the
 * format specifications (PNG, BMP's BITMAPINFOHEADER, GIF89a, JFIF, WebP VP8L), not from any decoder.
 */
final class HostileImages {

    private HostileImages() {
    }

    /** Seeds to mutate, by name: a few shapes on noise, 96 to 200 pixels a side, every layout the decoder has. */
    static Map<String, byte[]> seeds(long seed) {
        Random random = new Random(seed);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("jpeg", encode(picture(160, 120, BufferedImage.TYPE_INT_RGB, random), "jpeg"));
        seeds.put("jpeg-progressive", progressiveJpeg(picture(200, 150, BufferedImage.TYPE_INT_RGB, random)));
        seeds.put("jpeg-gray", encode(picture(120, 120, BufferedImage.TYPE_BYTE_GRAY, random), "jpeg"));
        seeds.put("png-rgb", encode(picture(128, 96, BufferedImage.TYPE_INT_RGB, random), "png"));
        seeds.put("png-rgba", encode(picture(96, 96, BufferedImage.TYPE_INT_ARGB, random), "png"));
        seeds.put("png-palette", encode(picture(128, 128, BufferedImage.TYPE_BYTE_INDEXED, random), "png"));
        seeds.put("png-gray16", encode(picture(100, 100, BufferedImage.TYPE_USHORT_GRAY, random), "png"));
        seeds.put("gif", encode(picture(128, 96, BufferedImage.TYPE_BYTE_INDEXED, random), "gif"));
        seeds.put("bmp-24", encode(picture(120, 90, BufferedImage.TYPE_3BYTE_BGR, random), "bmp"));
        seeds.put("bmp-8", encode(picture(100, 80, BufferedImage.TYPE_BYTE_INDEXED, random), "bmp"));
        return seeds;
    }

    /** Bombs by name: each is answered fast, with a 4xx, or captioned at a cost that follows VGG16's input size. */
    static Map<String, byte[]> bombs() {
        Map<String, byte[]> bombs = new LinkedHashMap<>();
        byte[] hugePng = png(40_000, 40_000, 8, 0, new byte[0]);
        bombs.put("bmp-bi-png-size-2^31", bmp(16, 16, 0, 5, 0x7FFF_FF00, 0, hugePng));
        bombs.put("bmp-bi-jpeg", bmp(16, 16, 0, 4, 0x7FFF_FF00, 0, new byte[64]));
        bombs.put("bmp-declares-30000x30000", bmp(30_000, 30_000, 24, 0, 0, 0, new byte[100]));
        bombs.put("bmp-palette-2^31-colours", bmp(16, 16, 8, 0, 256, 0x7FFF_FFFF, new byte[256]));
        bombs.put("bmp-negative-width", bmp(-16, 16, 24, 0, 0, 0, new byte[16 * 16 * 3]));
        bombs.put("png-declares-100000x100000", png(100_000, 100_000, 8, 2, new byte[0]));
        bombs.put("png-gray-6300x6300-zeros", png(6300, 6300, 8, 0, zeros(6300L * (6300 + 1))));
        bombs.put("png-rgb16-6300x6300-zeros", png(6300, 6300, 16, 2, zeros(6300L * (6300 * 6 + 1))));
        bombs.put("png-chunk-length-2^31", pngWithChunk(64, 64, "zTXt", 0x7FFF_FFF0));
        bombs.put("png-700000-empty-idat", pngWithEmptyIdats(64, 64, 700_000));
        bombs.put("gif-screen-6300x6300-one-pixel", gif(6300, 6300, 1, 1));
        bombs.put("gif-frame-6300x6300-one-pixel", gif(6300, 6300, 6300, 6300));
        bombs.put("gif-6000x6000-complete", encode(flat(6000, 6000, BufferedImage.TYPE_BYTE_INDEXED), "gif"));
        bombs.put("jpeg-sof-65000x65000", jpegDeclaring(65_000, 65_000));
        bombs.put("jpeg-progressive-6000x6000", progressiveJpeg(flat(6000, 6000, BufferedImage.TYPE_INT_RGB)));
        bombs.put("webp-vp8l-6000x6000-20-bytes", webpLosslessHeader(6000, 6000, 20));
        bombs.put("webp-vp8l-16384x16384", webpLosslessHeader(16_384, 16_384, 20));
        return bombs;
    }

    static BufferedImage picture(int width, int height, int type, Random random) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillOval(random.nextInt(width), random.nextInt(height), 10 + random.nextInt(width / 2),
                    10 + random.nextInt(height / 2));
        }
        g.dispose();
        return image;
    }

    private static BufferedImage flat(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.RED);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        return JdkImageWriting.encode(image, format, param -> { });
    }

    private static byte[] progressiveJpeg(BufferedImage image) {
        return JdkImageWriting.encode(image, "jpeg", param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
    }

    /** A real 64x48 JPEG whose first SOF marker is rewritten to declare {@code width x height}. */
    private static byte[] jpegDeclaring(int width, int height) {
        byte[] jpeg = encode(flat(64, 48, BufferedImage.TYPE_INT_RGB), "jpeg");
        for (int i = 2; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && ((jpeg[i + 1] & 0xFF) == 0xC0 || (jpeg[i + 1] & 0xFF) == 0xC2)) {
                // FF C0, length (2), precision (1), height (2), width (2)
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF marker in ImageIO's JPEG");
    }

    // ---- PNG: signature, IHDR, IDAT, IEND; every chunk length, type, data, CRC-32 over type and data

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** A PNG whose IDAT holds {@code raw} deflated (filter bytes included), {@code colourType} 0 gray, 2 RGB. */
    private static byte[] png(int width, int height, int bitDepth, int colourType, byte[] deflated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        chunk(out, "IHDR", ihdr(width, height, bitDepth, colourType));
        if (deflated.length > 0) {
            chunk(out, "IDAT", deflated);
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] ihdr(int width, int height, int bitDepth, int colourType) {
        return ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
    }

    /** {@code length} zero bytes, deflated: a few hundred kilobytes for hundreds of megabytes. */
    private static byte[] zeros(long length) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] block = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long left = length; left > 0; left -= block.length) {
            deflater.setInput(block, 0, (int) Math.min(block.length, left));
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A valid small PNG with one more chunk before IDAT whose length field says {@code declaredLength}. */
    private static byte[] pngWithChunk(int width, int height, String type, int declaredLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        chunk(out, "IHDR", ihdr(width, height, 8, 0));
        out.writeBytes(ByteBuffer.allocate(4).putInt(declaredLength).array());
        out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[32]);
        chunk(out, "IDAT", zeros((long) height * (width + 1)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] pngWithEmptyIdats(int width, int height, int emptyChunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        chunk(out, "IHDR", ihdr(width, height, 8, 0));
        for (int i = 0; i < emptyChunks; i++) {
            chunk(out, "IDAT", new byte[0]);
        }
        chunk(out, "IDAT", zeros((long) height * (width + 1)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    // ---- BMP: BITMAPFILEHEADER (14 bytes) + BITMAPINFOHEADER (40 bytes), little-endian

    private static byte[] bmp(int width, int height, int bitCount, int compression, int sizeImage, int coloursUsed,
                              byte[] payload) {
        int offset = 54;
        ByteBuffer b = ByteBuffer.allocate(offset + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(offset + payload.length).putInt(0).putInt(offset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bitCount)
                .putInt(compression).putInt(sizeImage).putInt(2835).putInt(2835).putInt(coloursUsed).putInt(0);
        b.put(payload);
        return b.array();
    }

    // ---- GIF89a: a logical screen, a two-colour table, one frame whose LZW data is a single pixel

    private static byte[] gif(int screenWidth, int screenHeight, int frameWidth, int frameHeight) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) screenWidth).putShort((short) screenHeight).put((byte) 0x80).put((byte) 0).put((byte) 0);
        b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0)
                .putShort((short) frameWidth).putShort((short) frameHeight).put((byte) 0);
        // LZW minimum code size 2; 3-bit codes clear (4), index 0, end (5), packed from the low bit
        b.put((byte) 2).put((byte) 2).put((byte) 0x44).put((byte) 0x01).put((byte) 0);
        b.put((byte) 0x3B);
        byte[] gif = new byte[b.position()];
        b.flip().get(gif);
        return gif;
    }

    // ---- WebP lossless: RIFF header, VP8L chunk, signature 0x2F, 14-bit width-1 and height-1

    private static byte[] webpLosslessHeader(int width, int height, int dataBytes) {
        int chunk = 5 + dataBytes;
        ByteBuffer b = ByteBuffer.allocate(20 + chunk + (chunk & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + chunk + (chunk & 1));
        b.put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(chunk);
        int bits = ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14);
        b.put((byte) 0x2F).putInt(bits);
        b.put(new byte[dataBytes]);
        return b.array();
    }
}
