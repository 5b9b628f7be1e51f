package dev.captioner.language;

/** Caption options out of their range or unknown (a 400, naming the option and its range). */
public class InvalidCaptionOptionsException extends RuntimeException {

    public InvalidCaptionOptionsException(String message) {
        super(message);
    }
}
