package io.stratus.storage;

/**
 * A transaction could not commit because another commit changed a key it read or wrote. Running the
 * transaction again is safe; {@link Store#transaction} does so.
 */
public class StoreConflictException extends StoreException {

    public StoreConflictException(String message) {
        super(message);
    }

    public StoreConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
