package dev.captioner.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.function.Consumer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encodes with the JDK's own writers: the classpath also holds TwelveMonkeys' (via DL4J), which write differently. */
final class JdkImageWriting {

    private JdkImageWriting() {
    }

    /** {@code image} as {@code format}, the write parameters set by {@code settings} first. */
    static byte[] encode(BufferedImage image, String format, Consumer<ImageWriteParam> settings) {
        ImageWriter writer = jdkWriter(format);
        ImageWriteParam param = writer.getDefaultWriteParam();
        settings.accept(param);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static ImageWriter jdkWriter(String format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getModule() == ImageIO.class.getModule()) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK writer for " + format);
    }
}
