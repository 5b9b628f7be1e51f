package dev.captioner.vision;

/** What an image's header says about it, read without decoding any pixels. */
public record ImageInfo(ImageFormat format, int width, int height) {

    /** Long, because two legal int dimensions can multiply past {@code Integer.MAX_VALUE}. */
    public long pixels() {
        return (long) width * height;
    }
}
