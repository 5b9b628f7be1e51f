package dev.captioner.dataset;

import java.io.IOException;

/** A file a dataset names that is not opened, with why in words (its message). */
public class RefusedFileException extends IOException {

    public RefusedFileException(String reason) {
        super(reason);
    }
}
