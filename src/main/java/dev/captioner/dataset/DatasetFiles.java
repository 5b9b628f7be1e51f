package dev.captioner.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Optional;

import dev.captioner.config.DataDirectory;

/**
 * Opens the files a dataset names, for a training job: only where the file's real path (every symbolic link
 * followed) is inside the data directory, only a regular file (a FIFO would block the reading thread for good,
 * a device would never end), and never more bytes than the caller's limit. The name a dataset gives is text
 * anyone could have written, so none of this is taken on trust from the lexical path.
 */
public final class DatasetFiles {

    private final DataDirectory data;

    public DatasetFiles(DataDirectory data) {
        this.data = data;
    }

    /**
     * The file's real path, checked to be inside the data directory (the file itself need not be regular).
     *
     * @throws NoSuchFileException where it, or a link on its way, does not exist
     * @throws RefusedFileException where it leaves the data directory or cannot be looked up
     */
    public Path confine(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        if (!absolute.startsWith(data.root())) {
            throw new RefusedFileException("outside the data directory");
        }
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            throw new RefusedFileException(lookupProblem(absolute, e));
        }
        if (!real.startsWith(data.root().toRealPath())) {
            throw new RefusedFileException("a symbolic link to outside the data directory");
        }
        return real;
    }

    /** Why the file may not be read, found without opening it; empty where it may (or is missing). */
    public Optional<String> problem(Path file) {
        try {
            realRegularFile(file);
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of("permission denied");
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The whole file, read through its real path without following links again.
     *
     * @throws RefusedFileException outside the data directory, not a regular file, or over {@code maxBytes}
     */
    public byte[] read(Path file, long maxBytes) throws IOException {
        Path real = realRegularFile(file);
        // the file may have been swapped or grown since it was looked at: the read itself stops past the limit
        try (SeekableByteChannel channel = Files.newByteChannel(real, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > maxBytes) {
                throw tooLarge(maxBytes);
            }
            // one byte more than the size it had, so a file that grew is seen growing
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size + 1, capacityLimit(maxBytes)));
            while (true) {
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() >= capacityLimit(maxBytes)) {
                        throw tooLarge(maxBytes);
                    }
                    buffer = grow(buffer, maxBytes);
                }
                if (channel.read(buffer) < 0) {
                    return Arrays.copyOf(buffer.array(), buffer.position());
                }
            }
        }
    }

    /**
     * The file's real path, to open without following links, where it is a regular file in the data directory.
     *
     * @throws RefusedFileException where it is not, with the reason
     */
    public Path realRegularFile(Path file) throws IOException {
        Path real = confine(file);
        // the real path has no links left, so not following them reads what is at that very name
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory()) {
            throw new RefusedFileException("a folder, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new RefusedFileException("not a regular file (a FIFO, socket or device), so it is not opened");
        }
        return real;
    }

    /** A buffer this full holds more than the limit allows (or more than one array can hold). */
    private static int capacityLimit(long maxBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(0, maxBytes) + 1);
    }

    private static ByteBuffer grow(ByteBuffer buffer, long maxBytes) {
        int capacity = (int) Math.min(capacityLimit(maxBytes), Math.max(16, buffer.capacity() * 2L));
        return ByteBuffer.allocate(capacity).put(buffer.flip());
    }

    private static RefusedFileException tooLarge(long maxBytes) {
        return new RefusedFileException("larger than the image size limit (captioner.max-image-size, " + maxBytes
                + " bytes)");
    }

    /** A lookup that failed for another reason than a missing file, in words. */
    private static String lookupProblem(Path absolute, FileSystemException e) {
        for (Path parent = absolute.getParent(); parent != null; parent = parent.getParent()) {
            if (Files.isRegularFile(parent, LinkOption.NOFOLLOW_LINKS)) {
                return "a part of its path is a file, not a folder";
            }
        }
        return e.getReason() == null ? "it cannot be looked up" : "it cannot be looked up (" + e.getReason() + ")";
    }
}
