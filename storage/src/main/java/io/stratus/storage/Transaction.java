package io.stratus.storage;

/**
 * An optimistic transaction. Reads see the store as it was when the transaction began, plus the
 * transaction's own writes. Writes are buffered and become visible to others all at once on
 * {@link #commit()}, which fails with {@link StoreConflictException} if any key this transaction
 * read (by get or scan) or wrote was changed by another commit since the transaction began.
 * A key that a scan did not return, because another commit inserted it, is not detected (no
 * phantom protection).
 *
 * <p>Not thread-safe: use a transaction from one thread at a time. After commit or close every
 * method throws {@link IllegalStateException}.
 */
public interface Transaction extends StoreReader, AutoCloseable {

    void put(String keyspace, byte[] key, byte[] value);

    void delete(String keyspace, byte[] key);

    /**
     * Makes the transaction's writes durable and visible, atomically.
     *
     * @throws StoreConflictException if another commit changed a key this transaction read or wrote
     */
    void commit();

    /** Discards the transaction's writes unless it committed. Closing twice is harmless. */
    @Override
    void close();
}
