package dev.captioner.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Real encoded image files, made in memory. */
final class ImageBytes {

    private ImageBytes() {
    }

    static BufferedImage shape(int type, Color background, Color shape) {
        BufferedImage image = new BufferedImage(320, 240, type);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, 320, 240);
        g.setColor(shape);
        g.fillOval(40, 60, 120, 120);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png() {
        return encode(shape(BufferedImage.TYPE_INT_RGB, new Color(235, 230, 220), Color.RED), "png");
    }

    static byte[] jpeg() {
        return encode(shape(BufferedImage.TYPE_INT_RGB, new Color(235, 230, 220), Color.BLUE), "jpg");
    }
}
