package dev.captioner;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;

/** Named pipes for tests of what must never be opened: made with {@code mkfifo}, or the test is skipped. */
public final class Fifos {

    private Fifos() {
    }

    /** A FIFO at {@code path}; skips the calling test, saying why, where {@code mkfifo} cannot be run. */
    public static Path make(Path path) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not installed, so no FIFO can be made for this test");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes());
        assumeTrue(process.waitFor() == 0, "mkfifo could not make a FIFO here: " + output.strip());
        return path;
    }
}
