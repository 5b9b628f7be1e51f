package dev.captioner.vision;

/** What an image's header says about it, read without decoding any pixels. */
public record ImageInfo(ImageFormat format, int width, int height) {

    /** Long, because two legal int dimensions can multiply past {@code Integer.MAX_VALUE}. */
    public long pixels() {
        return (long) width * height;
    }

    /** The rejection for a declared size over the limit, the same words for every format. */
    static ImageRejectedException tooManyPixels(long width, long height, long maxPixels) {
        return new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PIXELS, "image is " + width + "x"
                + height + " = " + width * height + " pixels, over the limit of " + maxPixels);
    }
}
