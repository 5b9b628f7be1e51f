package dev.captioner.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
                throw new DataPathException("'" + field + "' cannot be read: " + e.getMessage(), false);
            }
        }
        return resolved;
    }

    /** As {@link #resolve}, and the path must be an existing regular file. */
    public Path existingFile(String relative, String field) {
        Path path = resolve(relative, field);
        if (!Files.isRegularFile(path)) {
            throw new DataPathException("'" + field + "': no file '" + relative + "' in the data directory", false);
        }
        return path;
    }

    /** As {@link #resolve}, and the path must be an existing folder. */
    public Path existingFolder(String relative, String field) {
        Path path = resolve(relative, field);
        if (!Files.isDirectory(path)) {
            throw new DataPathException("'" + field + "': no folder '" + relative + "' in the data directory", false);
        }
        return path;
    }

    private static DataPathException outside(String field, String relative) {
        return new DataPathException("'" + field + "' (" + relative + ") resolves outside the data directory; "
                + "paths are relative to CAPTIONER_DATA_DIR and may not leave it", true);
    }
}
