package io.stratus.storage;

/** A store operation failed; the subclasses name the failures callers may want to handle. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
