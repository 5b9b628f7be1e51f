package dev.captioner.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** The write-aside-then-rename primitives behind every "never half-written" guarantee. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Renames in one step where the file system can (same folder); plain move elsewhere. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Writes a small text file beside its target and renames it over the target: readers see old or new, never half. */
    public static void writeString(Path target, String content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Best effort: leftovers are hidden folders that readers ignore. */
    public static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover hidden folder is harmless
        }
    }
}
