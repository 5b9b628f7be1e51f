package dev.captioner.store;

/** The store's state forbids it: the id is taken, or the model is the active one (a 409). */
public class ModelConflictException extends ModelStoreException {

    public ModelConflictException(String message) {
        super(message);
    }
}
