package dev.captioner.vision;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Converts the raw samples of a four-component JPEG to RGB ourselves, because what javax.imageio does with
 * them depends on the JDK: some refuse them ("Unsupported Image Type"), JDK 17 converts through a CMYK
 * profile and reads a CMYK JPEG without an Adobe marker as if it were inverted. A naive formula without ICC
 * profiles is close enough for captioning.
 */
final class CmykToRgb {

    private CmykToRgb() {
    }

    /**
     * @param raw            the JPEG's four components exactly as stored (what {@code ImageReader.readRaster}
     *                       returns: no colour conversion at all)
     * @param adobeTransform from the APP14 marker, or {@link JpegFrame#NO_ADOBE_MARKER}
     */
    static BufferedImage convert(Raster raw, int adobeTransform) {
        int width = raw.getWidth();
        int height = raw.getHeight();
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] samples = new int[width * 4];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            raw.getPixels(raw.getMinX(), raw.getMinY() + y, width, 1, samples);
            for (int x = 0; x < width; x++) {
                row[x] = toRgb(samples, x * 4, adobeTransform);
            }
            rgb.setRGB(0, y, width, 1, row, 0, width);
        }
        return rgb;
    }

    private static int toRgb(int[] samples, int offset, int adobeTransform) {
        int first = samples[offset];
        int second = samples[offset + 1];
        int third = samples[offset + 2];
        int fourth = samples[offset + 3];
        return switch (adobeTransform) {
            // Plain ink amounts, as libjpeg writes CMYK: r = 255 * (1 - c) * (1 - k).
            case JpegFrame.NO_ADOBE_MARKER -> pack(
                    (255 - first) * (255 - fourth) / 255,
                    (255 - second) * (255 - fourth) / 255,
                    (255 - third) * (255 - fourth) / 255);
            case JpegFrame.ADOBE_YCCK -> ycckToRgb(first, second, third, fourth);
            // Transform 0: Photoshop stores 255 - ink, the light that remains, so r = stored C * stored K / 255.
            // libjpeg reads any other flag as YCCK after a warning, and the warning rejects the image.
            default -> pack(first * fourth / 255, second * fourth / 255, third * fourth / 255);
        };
    }

    /**
     * YCCK encodes the inverted C, M, Y as if they were R, G, B (R = 255 - stored C = ink C), so the YCbCr to
     * RGB step yields the ink amounts; K is stored inverted as in Adobe CMYK.
     */
    private static int ycckToRgb(int luma, int blueDifference, int redDifference, int invertedBlack) {
        int inkCyan = clamp(luma + 1.402 * (redDifference - 128));
        int inkMagenta = clamp(luma - 0.344136 * (blueDifference - 128) - 0.714136 * (redDifference - 128));
        int inkYellow = clamp(luma + 1.772 * (blueDifference - 128));
        return pack(
                (255 - inkCyan) * invertedBlack / 255,
                (255 - inkMagenta) * invertedBlack / 255,
                (255 - inkYellow) * invertedBlack / 255);
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    private static int pack(int red, int green, int blue) {
        return red << 16 | green << 8 | blue;
    }
}
