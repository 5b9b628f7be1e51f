package dev.captioner.training.job;

import java.util.Map;

/**
 * A training-job request that cannot run as asked. Where the fault lies in particular fields, {@link #fieldErrors()}
 * says what is wrong with each (keyed by the field's path in the request, e.g. {@code dataset.annotations}), so a form
 * can show each message beside its field; the message says it all in one sentence.
 */
public class InvalidJobRequestException extends RuntimeException {

    private final Map<String, String> fieldErrors;

    public InvalidJobRequestException(String message) {
        this(message, Map.of());
    }

    public InvalidJobRequestException(String message, Map<String, String> fieldErrors) {
        super(message);
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
