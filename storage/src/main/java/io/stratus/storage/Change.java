package io.stratus.storage;

import static java.util.Objects.requireNonNull;

/**
 * One key changed by a commit, as reported to a {@link ChangeListener}.
 *
 * @param value the new value, or {@code null} when the key was deleted
 */
public record Change(String keyspace, byte[] key, byte[] value) {

    public Change {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(key, "key is null");
    }

    public boolean isDelete() {
        return value == null;
    }
}
