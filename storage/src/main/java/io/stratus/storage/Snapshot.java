package io.stratus.storage;

/**
 * A consistent point-in-time view of every keyspace of a store: commits made after it was taken are
 * not visible through it. It pins old versions of data until closed, so close it promptly.
 *
 * <p>Not thread-safe: use a snapshot from one thread at a time.
 */
public interface Snapshot extends StoreReader, AutoCloseable {

    /** Releases the snapshot. Closing twice is harmless. */
    @Override
    void close();
}
