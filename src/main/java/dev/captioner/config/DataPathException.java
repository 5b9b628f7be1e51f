package dev.captioner.config;

/** A request named a path that is malformed, missing, or outside the data directory. */
public class DataPathException extends IllegalArgumentException {

    private final boolean outsideDataDirectory;

    public DataPathException(String message, boolean outsideDataDirectory) {
        super(message);
        this.outsideDataDirectory = outsideDataDirectory;
    }

    public boolean isOutsideDataDirectory() {
        return outsideDataDirectory;
    }
}
