package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Builds test images in memory, so no binary fixture has to be checked in. */
public final class TestImages {

    /** Blocks are 16 pixels wide: whole JPEG MCUs, so each block's centre keeps its colour through compression. */
    static final int BLOCK = 16;

    private TestImages() {
    }

    /** Side-by-side BLOCK x BLOCK squares of the given colours. */
    static BufferedImage blocks(int imageType, Color... colours) {
        BufferedImage image = new BufferedImage(BLOCK * colours.length, BLOCK, imageType);
        Graphics2D graphics = image.createGraphics();
        for (int i = 0; i < colours.length; i++) {
            graphics.setColor(colours[i]);
            graphics.fillRect(i * BLOCK, 0, BLOCK, BLOCK);
        }
        graphics.dispose();
        return image;
    }

    /** Noise is what makes a JPEG long enough for "the first half" to end inside the compressed pixels. */
    public static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    static int centreOfBlock(int index) {
        return index * BLOCK + BLOCK / 2;
    }

    static byte[] encode(RenderedImage image, String format) {
        if (format.equals("webp")) {
            return webpLossless((BufferedImage) image);
        }
        return write(jdkWriter(format), new IIOImage(image, null, null), null);
    }

    /**
     * A lossless WebP (VP8L) of the image, written bit by bit since no Java library writes WebP: no transforms,
     * no colour cache, one flat 8-bit prefix code for each of green, red, blue and alpha, so every pixel is a
     * literal of 32 bits. Valid and decodable by any VP8L decoder; just never small.
     */
    static byte[] webpLossless(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        LsbBits bits = new LsbBits();
        bits.write(0x2F, 8); // VP8L signature
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(alpha ? 1 : 0, 1);
        bits.write(0, 3); // version
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // one prefix code group for the whole image
        flatPrefixCode(bits, true); // green (and backward-reference lengths, never used)
        flatPrefixCode(bits, false); // red
        flatPrefixCode(bits, false); // blue
        flatPrefixCode(bits, false); // alpha
        bits.write(1, 1); // distance: a simple code
        bits.write(0, 1); // of one symbol
        bits.write(0, 1); // written in one bit
        bits.write(0, 1); // symbol 0
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                bits.writeCode(argb >> 8 & 0xFF);
                bits.writeCode(argb >> 16 & 0xFF);
                bits.writeCode(argb & 0xFF);
                bits.writeCode(alpha ? argb >>> 24 : 0xFF);
            }
        }
        return riff("VP8L", bits.toByteArray());
    }

    /** RIFF, the size, WEBP, then one chunk (padded to an even length). */
    static byte[] riff(String chunkType, byte[] data) {
        int padded = data.length + (data.length & 1);
        ByteBuffer webp = ByteBuffer.allocate(12 + 8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        webp.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + padded).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        webp.put(chunkType.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return webp.array();
    }

    /**
     * Every one of the 256 literals gets an 8-bit code. The code lengths are themselves coded with a code of two
     * symbols, 0 and 8, of one bit each; for green, whose alphabet also holds the 24 length codes, only the
     * first 256 lengths are sent (max_symbol), so the rest are 0.
     */
    private static void flatPrefixCode(LsbBits bits, boolean green) {
        bits.write(0, 1); // a normal code
        bits.write(12 - 4, 4); // 12 code length code lengths, in the order 17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8
        for (int i = 0; i < 12; i++) {
            bits.write(i == 2 || i == 11 ? 1 : 0, 3); // symbols 0 and 8: one bit each
        }
        if (green) {
            bits.write(1, 1); // max_symbol follows
            bits.write(3, 3); // in 2 + 2 * 3 = 8 bits
            bits.write(256 - 2, 8);
        } else {
            bits.write(0, 1);
        }
        for (int i = 0; i < 256; i++) {
            bits.write(1, 1); // code length symbol 8 (code 1)
        }
    }

    /** VP8L's bit order: values least significant bit first, prefix codes most significant bit first. */
    private static final class LsbBits {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int current;
        private int count;

        void write(int value, int width) {
            for (int i = 0; i < width; i++) {
                bit(value >> i & 1);
            }
        }

        void writeCode(int symbol) {
            for (int i = 7; i >= 0; i--) {
                bit(symbol >> i & 1);
            }
        }

        private void bit(int bit) {
            current |= bit << count++;
            if (count == 8) {
                bytes.write(current);
                current = 0;
                count = 0;
            }
        }

        byte[] toByteArray() {
            if (count > 0) {
                bytes.write(current);
                current = 0;
                count = 0;
            }
            return bytes.toByteArray();
        }
    }

    static byte[] jpeg(RenderedImage image, float quality) {
        ImageWriter writer = jdkWriter("jpeg");
        return write(writer, new IIOImage(image, null, null), withQuality(writer, quality));
    }

    /**
     * A four-component JPEG: the JDK's writer stores a 4-band raster exactly as given, with no colour conversion
     * and no Adobe marker, so {@code storedSamples} end up in the file as they are, one BLOCK-wide square each.
     */
    static byte[] fourComponentJpeg(int[]... storedSamples) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, BLOCK * storedSamples.length, BLOCK, 4, null);
        for (int i = 0; i < storedSamples.length; i++) {
            for (int y = 0; y < BLOCK; y++) {
                for (int x = i * BLOCK; x < (i + 1) * BLOCK; x++) {
                    raster.setPixel(x, y, storedSamples[i]);
                }
            }
        }
        return rasterJpeg(raster, 1f);
    }

    /** A raster's bands as a JPEG's components, stored as they are (four bands: a CMYK JPEG, no Adobe marker). */
    static byte[] rasterJpeg(Raster raster, float quality) {
        ImageWriter writer = jdkWriter("jpeg");
        return write(writer, new IIOImage(raster, null, null), withQuality(writer, quality));
    }

    /** An Adobe APP14 segment right after SOI, as Photoshop writes it. */
    static byte[] withAdobeMarker(byte[] jpeg, int transform) {
        byte[] segment = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        return insert(jpeg, 2, segment);
    }

    /** The JPEG with its frame header's height and width replaced; the compressed data is left alone. */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] patched = jpeg.clone();
        int sof = startOfFrame(patched);
        putShort(patched, sof + 5, height);
        putShort(patched, sof + 7, width);
        return patched;
    }

    /** The JPEG with its SOF marker type and sample precision replaced. */
    static byte[] withJpegFrame(byte[] jpeg, int sofMarker, int precision) {
        byte[] patched = jpeg.clone();
        int sof = startOfFrame(patched);
        patched[sof + 1] = (byte) sofMarker;
        patched[sof + 4] = (byte) precision;
        return patched;
    }

    static int jpegComponents(byte[] jpeg) {
        return jpeg[startOfFrame(jpeg) + 9] & 0xFF;
    }

    /** Signature, IHDR for an 8-bit RGB image of the given size, then whatever chunks follow. */
    static byte[] png(int width, int height, byte[]... chunks) {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.writeBytes(chunk("IHDR", header.array()));
        for (byte[] chunk : chunks) {
            png.writeBytes(chunk);
        }
        return png.toByteArray();
    }

    /**
     * A BMP with a 40-byte BITMAPINFOHEADER, built field by field so that any field can say what it likes:
     * file header, info header, {@code palette} (4 bytes a colour), then {@code data} as the pixel data.
     */
    static byte[] bmp(int width, int height, int bitsPerPixel, int compression, long sizeImage, long coloursUsed,
            byte[] palette, byte[] data) {
        ByteBuffer bmp = ByteBuffer.allocate(54 + palette.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(bmp.capacity()).putInt(0).putInt(54 + palette.length);
        bmp.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bitsPerPixel)
                .putInt(compression).putInt((int) sizeImage).putInt(2835).putInt(2835).putInt((int) coloursUsed).putInt(0);
        bmp.put(palette).put(data);
        return bmp.array();
    }

    /** A BMP palette (blue, green, red, reserved for each colour). */
    static byte[] bmpPalette(Color... colours) {
        ByteBuffer palette = ByteBuffer.allocate(4 * colours.length);
        for (Color colour : colours) {
            palette.put((byte) colour.getBlue()).put((byte) colour.getGreen()).put((byte) colour.getRed()).put((byte) 0);
        }
        return palette.array();
    }

    /** Length, type, data and a correct CRC32. */
    static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** The PNG with every complete chunk's CRC recomputed, so that damage inside chunks goes unnoticed by CRCs. */
    static byte[] withRepairedCrcs(byte[] png) {
        byte[] repaired = png.clone();
        int position = 8;
        while (position + 12 <= repaired.length) {
            long length = ByteBuffer.wrap(repaired, position, 4).getInt() & 0xFFFFFFFFL;
            if (length > repaired.length - position - 12) {
                break;
            }
            CRC32 crc = new CRC32();
            crc.update(repaired, position + 4, 4 + (int) length);
            ByteBuffer.wrap(repaired, position + 8 + (int) length, 4).putInt((int) crc.getValue());
            position += 12 + (int) length;
        }
        return repaired;
    }

    /** PNG IHDR fields, read straight from the bytes so tests need not trust the decoder. */
    static int pngWidth(byte[] png) {
        return ByteBuffer.wrap(png, 16, 4).getInt();
    }

    static int pngHeight(byte[] png) {
        return ByteBuffer.wrap(png, 20, 4).getInt();
    }

    static int pngBitDepth(byte[] png) {
        return png[24];
    }

    static int pngColourType(byte[] png) {
        return png[25];
    }

    static boolean hasChunk(byte[] png, String type) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + 4 <= png.length; i++) {
            if (Arrays.equals(png, i, i + 4, typeBytes, 0, 4)) {
                return true;
            }
        }
        return false;
    }

    static byte[] firstHalf(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    static void assertRgb(BufferedImage image, int x, int y, Color expected, int tolerance) {
        Color actual = new Color(image.getRGB(x, y));
        String where = "pixel (" + x + "," + y + ") = " + actual + ", expected " + expected + " +-" + tolerance;
        assertThat(actual.getRed()).as("red of " + where).isCloseTo(expected.getRed(), within(tolerance));
        assertThat(actual.getGreen()).as("green of " + where).isCloseTo(expected.getGreen(), within(tolerance));
        assertThat(actual.getBlue()).as("blue of " + where).isCloseTo(expected.getBlue(), within(tolerance));
    }

    /** The JDK's own writer: the classpath may hold plugins (TwelveMonkeys via DL4J) that write differently. */
    static ImageWriter jdkWriter(String format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getModule() == ImageIO.class.getModule()) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK writer for " + format);
    }

    /** What javax.imageio's built-in reader, set up as the decoder sets it up, returns without the decoder's checks. */
    static BufferedImage readWithJdk(byte[] bytes, String format, int imageIndex) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getModule() == ImageIO.class.getModule()) {
                try {
                    reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(bytes)), true, true);
                    return reader.read(imageIndex);
                } finally {
                    reader.dispose();
                }
            }
        }
        throw new IllegalStateException("no JDK reader for " + format);
    }

    static byte[] writeSequence(String format, List<BufferedImage> frames) {
        ImageWriter writer = jdkWriter(format);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static ImageWriteParam withQuality(ImageWriter writer, float quality) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        return param;
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static int startOfFrame(byte[] jpeg) {
        int position = 2;
        while (position + 4 <= jpeg.length) {
            int marker = jpeg[position + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return position;
            }
            position += 2 + ((jpeg[position + 2] & 0xFF) << 8 | (jpeg[position + 3] & 0xFF));
        }
        throw new IllegalArgumentException("no SOF marker");
    }

    private static void putShort(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >> 8);
        bytes[offset + 1] = (byte) value;
    }

    private static byte[] insert(byte[] bytes, int offset, byte[] inserted) {
        byte[] result = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, result, 0, offset);
        System.arraycopy(inserted, 0, result, offset, inserted.length);
        System.arraycopy(bytes, offset, result, offset + inserted.length, bytes.length - offset);
        return result;
    }
}
