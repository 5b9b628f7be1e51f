package dev.captioner.dataset;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns an image name as a dataset file writes it into a path, or says why it cannot be one. Checked here, on
 * the text, so that one bad entry is left out when the file is read instead of failing a whole job later.
 */
public final class ImageFileNames {

    /** The longest file name, and path, Linux file systems take (NAME_MAX, PATH_MAX less its NUL). */
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_PATH_BYTES = 4095;

    private ImageFileNames() {
    }

    /** The name resolved against {@code folder}, or empty with the reason given to {@code rejected}. */
    public static Optional<Path> resolve(Path folder, String name, Consumer<RejectedEntry> rejected) {
        Optional<String> problem = problem(name);
        if (problem.isEmpty()) {
            try {
                Path file = folder.resolve(name);
                if (file.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                    problem = Optional.of("its path is longer than " + MAX_PATH_BYTES + " bytes");
                } else {
                    return Optional.of(file);
                }
            } catch (InvalidPathException e) {
                problem = Optional.of("not a valid file name");
            }
        }
        rejected.accept(new RejectedEntry(name, problem.get()));
        return Optional.empty();
    }

    static Optional<String> problem(String name) {
        if (name == null) {
            return Optional.of("no file name");
        }
        if (name.isBlank()) {
            return Optional.of("an empty file name");
        }
        if (name.indexOf('\0') >= 0) {
            return Optional.of("a NUL character in the file name");
        }
        if (name.startsWith("/")) {
            return Optional.of("an absolute path, where names are relative to the images folder");
        }
        for (String part : name.split("/")) {
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                return Optional.of("a name longer than " + MAX_NAME_BYTES + " bytes");
            }
        }
        return Optional.empty();
    }
}
