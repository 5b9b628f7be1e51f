package dev.captioner.store;

import java.io.IOException;
import java.nio.file.Path;

/** How the store writes its small marker files ({@code ACTIVE}): a seam, so a test can make that write fail. */
@FunctionalInterface
public interface MarkerWriter {

    /** Written aside, then renamed over the target. */
    MarkerWriter ATOMIC = AtomicFiles::writeString;

    void write(Path target, String content) throws IOException;
}
