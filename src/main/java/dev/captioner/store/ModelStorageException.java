package dev.captioner.store;

/**
 * The store's disk failed (cannot list, write, rename or delete): the service's fault, not the request's
 * (a 500-class problem), and the model store is left as it was.
 */
public class ModelStorageException extends ModelStoreException {

    public ModelStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
