package io.stratus.storage;

/** A data directory is in a format this build cannot read, so it is refused rather than misread. */
public class StoreFormatException extends StoreException {

    public StoreFormatException(String message) {
        super(message);
    }

    public StoreFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
