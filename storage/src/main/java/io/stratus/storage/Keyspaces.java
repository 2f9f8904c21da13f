package io.stratus.storage;

import static java.util.Objects.requireNonNull;

/** The rule for keyspace names, shared by every store so they accept exactly the same names. */
final class Keyspaces {

    static final int MAX_LENGTH = 64;

    private Keyspaces() {}

    /**
     * Returns {@code name} if it is 1 to 64 characters out of {@code [a-z0-9._-]}. The alphabet is
     * safe as a file name and a RocksDB column family name on every platform.
     *
     * @throws IllegalArgumentException otherwise
     */
    static String requireValid(String name) {
        requireNonNull(name, "keyspace is null");
        if (name.isEmpty() || name.length() > MAX_LENGTH || !name.chars().allMatch(Keyspaces::allowed)) {
            throw new IllegalArgumentException("invalid keyspace name '" + name + "': use 1 to " + MAX_LENGTH + " characters out of [a-z0-9._-]");
        }
        return name;
    }

    private static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }
}
