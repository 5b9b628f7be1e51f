package dev.captioner.vision;
// STUB-PENDING-HELPER
import java.awt.image.BufferedImage;
public final class ImageDecoder {
    public ImageDecoder(long maxPixels) {}
    public BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage i = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
            if (i == null) throw new ImageRejectedException(ImageRejectedException.Reason.NOT_AN_IMAGE, "not an image");
            BufferedImage rgb = new BufferedImage(i.getWidth(), i.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(i, 0, 0, null);
            return rgb;
        } catch (java.io.IOException e) { throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, "corrupt"); }
    }
}
