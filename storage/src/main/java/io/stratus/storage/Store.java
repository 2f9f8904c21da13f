package io.stratus.storage;

/**
 * An ordered key-value store with named keyspaces, range scans, snapshots and optimistic multi-key
 * transactions: the state of every Stratus service.
 *
 * <p>A keyspace is created the first time it is used. Its name is 1 to 64 characters out of
 * {@code [a-z0-9._-]}; any other name is refused with {@link IllegalArgumentException}.
 *
 * <p>A single {@link #put} or {@link #delete} is atomic and, on a durable store, returns only once it
 * is durable. {@link #get} and {@link #scan} see every write that returned before they were called.
 *
 * <p>Thread safety: every method may be called from any thread, concurrently, including virtual
 * threads. The {@link Scan}, {@link Snapshot} and {@link Transaction} objects it hands out are for
 * one thread at a time. After {@link #close()}, every method but {@code close} and {@code info}, and
 * every object handed out, throws {@link IllegalStateException}.
 */
public interface Store extends StoreReader, AutoCloseable {

    /** How often {@link #transaction} runs a body that keeps conflicting before it gives up. */
    int MAX_TRANSACTION_ATTEMPTS = 16;

    void put(String keyspace, byte[] key, byte[] value);

    /** Removes {@code key}; removing a key that is not there is not an error. */
    void delete(String keyspace, byte[] key);

    /**
     * Begins an optimistic transaction for a caller that commits it itself. Most callers want
     * {@link #transaction}, which also retries on conflict.
     */
    Transaction beginTransaction();

    /** Returns a consistent point-in-time view of every keyspace; close it when done. */
    Snapshot snapshot();

    /**
     * Calls {@code listener} after each successful commit (a single put or delete, or a
     * transaction) that changed {@code keyspace}, with that commit's changes to it. Commits to one
     * keyspace are reported in commit order; a listener sees every commit that begins after this
     * method returns.
     *
     * <p>The listener runs on the committing thread while later commits to the same keyspace wait,
     * so it must be fast and must not write to the store: hand the changes to a queue. An exception
     * it throws is logged and does not undo or fail the commit.
     */
    void addListener(String keyspace, ChangeListener listener);

    /** Describes this store for the health endpoint. */
    StoreInfo info();

    /**
     * Runs {@code body} in a transaction and commits it, running it again in a fresh transaction
     * when the commit conflicts with another writer, up to {@link #MAX_TRANSACTION_ATTEMPTS} times
     * with a short random pause between attempts. After a few conflicts an attempt runs while
     * other calls of this method on the same store wait, so a hot key (a counter every request
     * updates) still makes progress. The body may therefore run more than once: it must have no
     * effects outside the transaction it is given, and must not wait for another thread's
     * transaction.
     *
     * @return what the body returned in the attempt that committed
     * @throws StoreConflictException when every attempt conflicted
     */
    <T> T transaction(TransactionBody<T> body);

    /**
     * Frees the store's resources. Writes already acknowledged stay durable; open scans, snapshots
     * and transactions are closed, uncommitted transactions discarded. Closing twice is harmless.
     */
    @Override
    void close();
}
