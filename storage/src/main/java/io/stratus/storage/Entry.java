package io.stratus.storage;

import static java.util.Objects.requireNonNull;

/**
 * A key and its value, as returned by a scan. The arrays belong to the receiver. Like any record
 * holding arrays, {@code equals} compares the arrays by identity.
 */
public record Entry(byte[] key, byte[] value) {

    public Entry {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
