package io.stratus.storage;

/**
 * Reads of an ordered key-value store: the live {@link Store}, a {@link Snapshot} or a
 * {@link Transaction}. Keys are ordered by unsigned lexicographic byte comparison ({@link Key#ORDER}).
 *
 * <p>Arrays passed in are not kept and arrays handed out are the caller's own: neither side may see
 * the other's later changes.
 */
public interface StoreReader {

    /**
     * Returns the value stored under {@code key}, or {@code null} when there is none.
     *
     * @throws IllegalArgumentException if {@code keyspace} is not a valid keyspace name
     */
    byte[] get(String keyspace, byte[] key);

    /**
     * Returns the entries of {@code keyspace} whose keys lie in {@code range}, in key order, or in
     * reverse key order when {@code reverse} is set. The scan reads one consistent point in time. It
     * holds resources until it is closed or exhausted: use it in try-with-resources.
     *
     * @throws IllegalArgumentException if {@code keyspace} is not a valid keyspace name
     */
    Scan scan(String keyspace, KeyRange range, boolean reverse);

    /** Same as {@code scan(keyspace, range, false)}. */
    default Scan scan(String keyspace, KeyRange range) {
        return scan(keyspace, range, false);
    }
}
