package dev.captioner.vision;

import static dev.captioner.vision.ImageRejectedException.Reason.CORRUPT;
import static dev.captioner.vision.ImageRejectedException.Reason.EMPTY;
import static dev.captioner.vision.ImageRejectedException.Reason.NOT_AN_IMAGE;
import static dev.captioner.vision.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

/**
 * Turns untrusted upload bytes into an RGB image, or rejects them with an {@link ImageRejectedException} whose
 * reason says why. The pixel count is checked from the header before any pixel is allocated; damaged or
 * truncated data, including what javax.imageio only warns about, is rejected rather than decoded into a
 * half-grey picture. Thread-safe: every call gets its own reader.
 */
public final class ImageDecoder {

    /**
     * Decoding a valid image reads its bytes at most three times over (JPEG: the header twice, measured on
     * PngSuite and generated images of every format); the slack covers small files and reads at the end of
     * the data. A decoder that gets much further is going round in circles on malformed data.
     */
    private static final long READ_BUDGET_FACTOR = 8;
    private static final long READ_BUDGET_SLACK = 1 << 20;
    /**
     * TwelveMonkeys' WebP bit reader reads eight bytes ahead and seeks back on every refill: nine bytes read
     * for each one used, measured on lossless files of 2 KB to 8 MB.
     */
    private static final long WEBP_READ_BUDGET_FACTOR = 24;
    /** Zeros after a WebP's image chunk, for the decoder to read into when its bitstream ends early. */
    private static final int WEBP_PADDING = 64;
    /** How far past a complete bitstream the WebP bit readers read ahead: eight bytes and a refill's worth. */
    private static final int WEBP_LOOK_AHEAD = 24;

    /**
     * Twice VGG16's 224: the preprocessor's last step then halves with bilinear filtering, so every input pixel
     * of the 448 still counts, and aliasing from the subsampling is averaged away.
     */
    public static final int DEFAULT_TARGET_SIDE = 2 * Vgg16Preprocessor.SIZE;

    private final long maxPixels;
    private final int targetSide;
    private final Map<ImageFormat, ImageReaderSpi> readers = new EnumMap<>(ImageFormat.class);

    /** Decodes for VGG16: {@link #DEFAULT_TARGET_SIDE}. */
    public ImageDecoder(long maxPixels) {
        this(maxPixels, DEFAULT_TARGET_SIDE);
    }

    /**
     * @param targetSide the fewest pixels each side of a decoded image keeps (an encoder that wants N x N asks
     *                   for what its own resizing starts from); larger images are decoded at the largest whole
     *                   subsampling, per axis, that keeps each side at least this long, so decoding allocates
     *                   for the output rather than for the header's size. {@link Integer#MAX_VALUE}: full size.
     */
    public ImageDecoder(long maxPixels, int targetSide) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
        if (targetSide <= 0) {
            throw new IllegalArgumentException("targetSide must be positive, was " + targetSide);
        }
        this.maxPixels = maxPixels;
        this.targetSide = targetSide;
        for (ImageFormat format : ImageFormat.values()) {
            readers.put(format, builtInReader(format));
        }
    }

    /** The format and size from the header alone; the pixel data is neither read nor checked. */
    public ImageInfo probe(byte[] bytes) {
        ImageFormat format = identify(bytes);
        if (format == ImageFormat.JPEG) {
            JpegFrame.read(bytes).requireDecodable();
        }
        checkDeclaredSizes(format, bytes);
        return withReader(format, bytes, (reader, stream) -> readHeader(format, reader));
    }

    /**
     * The first image in {@code bytes} (the first frame of an animated GIF) as {@code TYPE_INT_RGB}, with any
     * transparency laid over white, subsampled while it is decoded so that each side is at least the target
     * side (or the whole side, where it is shorter): the aspect ratio can change, as it does when the encoder
     * resizes to a square. A JPEG's Exif orientation is applied, so a portrait photo comes out upright.
     */
    public BufferedImage decode(byte[] bytes) {
        ImageFormat format = identify(bytes);
        JpegFrame jpegFrame = format == ImageFormat.JPEG ? JpegFrame.read(bytes) : null;
        if (jpegFrame != null) {
            jpegFrame.requireDecodable();
        }
        checkDeclaredSizes(format, bytes);
        if (format == ImageFormat.GIF) {
            GifStructure.check(bytes, maxPixels);
        }
        byte[] readerBytes = bytes;
        int webpImageEnd = -1;
        if (format == ImageFormat.WEBP) {
            webpImageEnd = WebPHeader.check(bytes, maxPixels);
            readerBytes = WebPHeader.forReader(bytes, webpImageEnd, WEBP_PADDING);
        }
        int imageEnd = webpImageEnd;
        return withReader(format, readerBytes, (reader, stream) -> {
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            ImageInfo info = readHeader(format, reader);
            if (info.pixels() > maxPixels) {
                throw ImageInfo.tooManyPixels(info.width(), info.height(), maxPixels);
            }
            if (format == ImageFormat.PNG) {
                PngChunks.verify(bytes);
            } else if (jpegFrame != null) {
                jpegFrame.requireData(bytes);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(subsampling(info.width(), targetSide), subsampling(info.height(), targetSide), 0, 0);
            BufferedImage image = jpegFrame != null && jpegFrame.isFourComponent()
                    ? CmykToRgb.convert(readRaw(reader, param), jpegFrame.adobeTransform())
                    : toRgb(reader.read(0, param));
            // TwelveMonkeys' lossless decoder reads the end of the data as zeros, and its lossy one reads on into
            // whatever follows: a bitstream that ends early shows as reads past the end of its chunk, into the
            // padding, further than the bit reader's look-ahead can go.
            if (imageEnd >= 0 && stream.furthest() > imageEnd + WEBP_LOOK_AHEAD) {
                throw new ImageRejectedException(CORRUPT, "corrupt or truncated " + format + ": " + endsEarly(format));
            }
            // libjpeg recovers from missing or damaged data with only a warning, filling the gap with grey.
            // TwelveMonkeys' WebP reader warns only of chunks it skips, as the WebP specification says to.
            if (!warnings.isEmpty() && format != ImageFormat.WEBP) {
                throw new ImageRejectedException(CORRUPT, "corrupt or truncated " + format + ": "
                        + describeWarning(format, warnings.get(0)));
            }
            return jpegFrame != null ? ExifOrientation.apply(image, jpegFrame.orientation()) : image;
        });
    }

    /**
     * What a header declares (sizes, offsets, lengths) against the bytes that are there, before a reader
     * allocates or fills anything on the header's word.
     */
    private static void checkDeclaredSizes(ImageFormat format, byte[] bytes) {
        if (format == ImageFormat.BMP) {
            BmpHeader.check(bytes);
        } else if (format == ImageFormat.PNG) {
            PngChunks.requireHeader(bytes);
        }
    }

    @FunctionalInterface
    private interface ReaderWork<T> {
        T apply(ImageReader reader, BoundedImageInputStream stream) throws IOException;
    }

    /** Runs {@code work} on a reader for the bytes; whatever goes wrong inside is a rejection, never a 500. */
    private <T> T withReader(ImageFormat format, byte[] bytes, ReaderWork<T> work) {
        ImageReader reader;
        try {
            reader = readers.get(format).createReaderInstance();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the " + format + " reader", e);
        }
        long factor = format == ImageFormat.WEBP ? WEBP_READ_BUDGET_FACTOR : READ_BUDGET_FACTOR;
        BoundedImageInputStream stream = new BoundedImageInputStream(bytes, factor * bytes.length + READ_BUDGET_SLACK);
        // seekForwardOnly: only image 0 is read; ignoreMetadata: parsing it is work and attack surface we do not need.
        reader.setInput(stream, true, true);
        try {
            return work.apply(reader, stream);
        } catch (ImageRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Malformed data surfaces from javax.imageio as any RuntimeException, not only IIOException.
            throw corrupt(format, e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageFormat identify(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(EMPTY, "the image is empty (0 bytes)");
        }
        return ImageFormat.detect(bytes).orElseThrow(() -> ImageFormat.detectUnsupported(bytes)
                .map(name -> new ImageRejectedException(UNSUPPORTED_FORMAT, name + " images are not supported;"
                        + " send " + ImageFormat.SUPPORTED))
                .orElseGet(() -> new ImageRejectedException(NOT_AN_IMAGE, "the data is not an image in any"
                        + " recognised format; send " + ImageFormat.SUPPORTED)));
    }

    private static ImageInfo readHeader(ImageFormat format, ImageReader reader) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(CORRUPT, "corrupt " + format + ": its header declares a size of "
                    + width + "x" + height);
        }
        return new ImageInfo(format, width, height);
    }

    /**
     * The largest step that still leaves at least {@code target} of {@code side} pixels: every step-th one,
     * starting with the first, is ceil(side / step) of them.
     */
    static int subsampling(int side, int target) {
        if (side <= target) {
            return 1;
        }
        return target == 1 ? side : (side - 1) / (target - 1);
    }

    private static Raster readRaw(ImageReader reader, ImageReadParam param) throws IOException {
        Raster raw = reader.readRaster(0, param);
        if (raw.getNumBands() != 4) {
            throw new ImageRejectedException(CORRUPT, "corrupt JPEG: a four-component frame decoded to "
                    + raw.getNumBands() + " bands");
        }
        return raw;
    }

    private static BufferedImage toRgb(BufferedImage decoded) {
        if (decoded.getType() == BufferedImage.TYPE_INT_RGB) {
            return decoded;
        }
        ColorModel colorModel = decoded.getColorModel();
        if (colorModel instanceof ComponentColorModel && colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !colorModel.isAlphaPremultiplied()) {
            return greyToRgb(decoded);
        }
        BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rgb.createGraphics();
        try {
            // Transparent areas are usually meant to show a light page behind them, and black would read as content.
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            graphics.drawImage(decoded, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }

    /**
     * Java's grey colour space is linear, so Java2D brightens grey samples on their way to sRGB (a stored 60
     * comes out as 133), but PNG and JPEG grey is gamma-encoded like sRGB: the sample already is the sRGB level.
     */
    private static BufferedImage greyToRgb(BufferedImage grey) {
        ColorModel colorModel = grey.getColorModel();
        Raster raster = grey.getRaster();
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        int greyMax = (1 << colorModel.getComponentSize(0)) - 1;
        int alphaMax = colorModel.hasAlpha() ? (1 << colorModel.getComponentSize(1)) - 1 : 0;
        BufferedImage rgb = new BufferedImage(width, raster.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] samples = new int[width * bands];
        int[] row = new int[width];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, samples);
            for (int x = 0; x < width; x++) {
                // long: 16-bit grey times 16-bit alpha times 255 overflows an int.
                long level = samples[x * bands] * 255L;
                long max = greyMax;
                if (alphaMax > 0) {
                    long alpha = samples[x * bands + 1];
                    level = level * alpha + 255L * greyMax * (alphaMax - alpha); // over white
                    max *= alphaMax;
                }
                int value = (int) ((level + max / 2) / max);
                row[x] = value << 16 | value << 8 | value;
            }
            rgb.setRGB(0, y, width, 1, row, 0, width);
        }
        return rgb;
    }

    /**
     * What went wrong, in words about the image. The reader's own complaint (an exception class, a message
     * such as "Bad type for IHDR chunk!" or a bare number) means nothing to a client and says which library
     * runs here; it stays in the cause, for the log.
     */
    private static ImageRejectedException corrupt(ImageFormat format, Exception e) {
        return new ImageRejectedException(CORRUPT, "corrupt or truncated " + format + ": " + describe(format, e), e);
    }

    static String describe(ImageFormat format, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EOFException) {
                return endsEarly(format);
            }
            if (cause instanceof BoundedImageInputStream.ReadBudgetExceededException) {
                return "the " + format + "'s data sends the decoder round in circles";
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String described = describeMessage(format, cause.getMessage());
            if (described != null) {
                return described;
            }
        }
        return damaged(format);
    }

    /** A reader's warning (libjpeg's "Premature end of JPEG file", ...) in the same words as its failures. */
    static String describeWarning(ImageFormat format, String warning) {
        String described = describeMessage(format, warning);
        return described != null ? described : damaged(format);
    }

    private static String describeMessage(ImageFormat format, String message) {
        if (message == null) {
            return null;
        }
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("unexpected end") || lower.contains("end of stream")
                || lower.contains("end of file") || lower.contains("truncated")) {
            return endsEarly(format);
        }
        if (lower.contains("color type") || lower.contains("bit depth")) {
            return "the " + format + "'s header declares an impossible colour type or bit depth";
        }
        if (lower.contains("huffman") || lower.contains("quantization") || lower.contains("dht")
                || lower.contains("dqt")) {
            return "the " + format + "'s coding tables are damaged or missing";
        }
        if (lower.contains("color table")) {
            return "the " + format + " has no colour table";
        }
        return null;
    }

    private static String endsEarly(ImageFormat format) {
        return "the " + format + " ends before its image data does";
    }

    private static String damaged(ImageFormat format) {
        return "the " + format + "'s image data is damaged";
    }

    /**
     * Any ImageIO plugin on the class path (TwelveMonkeys and jai-imageio came with DL4J's DataVec until it was
     * dropped) would take precedence for some formats; pinning the JDK's own readers keeps behaviour, and what
     * the tests prove, independent of what a dependency brings in. WebP, which the JDK cannot read, is pinned
     * the same way: TwelveMonkeys' reader by its class, never whichever plugin claims "webp".
     */
    private static ImageReaderSpi builtInReader(ImageFormat format) {
        if (format == ImageFormat.WEBP) {
            return new WebPImageReaderSpi();
        }
        Iterator<ImageReaderSpi> providers = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                provider -> provider.getClass().getModule() == ImageIO.class.getModule()
                        && Arrays.asList(((ImageReaderSpi) provider).getFormatNames()).contains(format.readerFormatName()),
                false);
        if (!providers.hasNext()) {
            throw new IllegalStateException("this JDK has no built-in " + format + " reader");
        }
        return providers.next();
    }
}
