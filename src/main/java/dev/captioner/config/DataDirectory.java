package dev.captioner.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The data root ({@code captioner.data-dir}) that request paths are resolved against. A path that leaves
 * it, by {@code ..}, an absolute path or a symbolic link, is refused.
 */
public final class DataDirectory {

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file's path relative to the data root, as messages and job status show it (absolute where outside). */
    public String relativeName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    /**
     * @param field named in the error message, e.g. {@code dataset.annotations}
     * @throws DataPathException when the path is malformed or resolves outside the data root
     */
    public Path resolve(String relative, String field) {
        Path resolved;
        try {
            resolved = root.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw new DataPathException("'" + field + "' is not a valid path: " + e.getReason(), false);
        }
        if (!resolved.startsWith(root)) {
            throw outside(field, relative);
        }
        if (Files.exists(resolved)) {
            try {
                Path realRoot = root.toRealPath();
                if (!resolved.toRealPath().startsWith(realRoot)) {
                    throw outside(field, relative);
                }
            } catch (IOException e) {
                throw new DataPathException("'" + field + "' cannot be read: " + Excerpt.of(e.getMessage()), false);
            }
        }
        return resolved;
    }

    /** As {@link #resolve}, and the path must be an existing regular file. */
    public Path existingFile(String relative, String field) {
        Path path = resolve(relative, field);
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new DataPathException("'" + field + "': '" + relative + "' is not a regular file", false);
        }
        if (!Files.isRegularFile(path)) {
            throw new DataPathException("'" + field + "': no file '" + Excerpt.of(relative) + "' in the data directory",
                    false);
        }
        return path;
    }

    /** As {@link #resolve}, and the path must be an existing folder. */
    public Path existingFolder(String relative, String field) {
        Path path = resolve(relative, field);
        if (!Files.isDirectory(path)) {
            throw new DataPathException("'" + field + "': no folder '" + Excerpt.of(relative) + "' in the data directory",
                    false);
        }
        return path;
    }

    /**
     * Refuses an output path (a folder a job writes into, there already or still to be made) that a symbolic
     * link on its way takes out of the data directory: nothing a job writes may land outside it.
     *
     * @param what named in the message, e.g. {@code the feature cache}
     */
    public void requireInsideForWriting(Path output, String what) throws IOException {
        Path absolute = output.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        boolean inside;
        try {
            inside = absolute.startsWith(root) && existing != null && existing.toRealPath().startsWith(root.toRealPath());
        } catch (NoSuchFileException e) {
            inside = false; // a link that leads nowhere: whatever it would be made to point at later
        }
        if (!inside) {
            throw new IOException(what + " (" + relativeName(output) + ") leads outside the data directory through a "
                    + "symbolic link; a job writes only inside it");
        }
    }

    private static DataPathException outside(String field, String relative) {
        return new DataPathException("'" + field + "' (" + Excerpt.of(relative) + ") resolves outside the data "
                + "directory; paths are relative to CAPTIONER_DATA_DIR and may not leave it", true);
    }
}
