package dev.captioner.vision;

import java.io.IOException;
import java.util.Objects;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} straight over the uploaded bytes. Unlike
 * {@code ImageIO.createImageInputStream} it never copies them into a cache (on disk or in memory) and touches
 * no global ImageIO setting. It also caps how many bytes a decoder may read in total: on valid data a decoder
 * reads each byte about once, so a decoder that keeps seeking back, or keeps asking past the end, over
 * malformed data fails instead of spinning forever.
 */
final class BoundedImageInputStream extends ImageInputStreamImpl {

    private final byte[] bytes;
    private final long readBudget;
    private long bytesServed;
    private long furthest;

    BoundedImageInputStream(byte[] bytes, long readBudget) {
        this.bytes = bytes;
        this.readBudget = readBudget;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        spend(1);
        if (streamPos >= bytes.length) {
            return -1;
        }
        furthest = Math.max(furthest, streamPos + 1);
        return bytes[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(offset, length, buffer.length);
        bitOffset = 0;
        if (length == 0) {
            return 0;
        }
        long remaining = bytes.length - streamPos;
        if (remaining <= 0) {
            spend(1);
            return -1;
        }
        int count = (int) Math.min(length, remaining);
        spend(count);
        System.arraycopy(bytes, (int) streamPos, buffer, offset, count);
        streamPos += count;
        furthest = Math.max(furthest, streamPos);
        return count;
    }

    /** How far into the bytes any read has reached: the end of the furthest byte served. */
    long furthest() {
        return furthest;
    }

    long bytesServed() {
        return bytesServed;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    private void spend(long count) throws IIOException {
        bytesServed += count;
        if (bytesServed > readBudget) {
            throw new ReadBudgetExceededException("the decoder read more than " + readBudget + " bytes from a "
                    + bytes.length + "-byte image; the data is treated as malformed");
        }
    }

    /** A decoder went round in circles over the data: not an I/O failure, a verdict on the image. */
    static final class ReadBudgetExceededException extends IIOException {

        ReadBudgetExceededException(String message) {
            super(message);
        }
    }
}
