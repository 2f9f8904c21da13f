package io.stratus.storage;

/**
 * A {@link MemoryStore} as of one sequence number, held registered until closed. Scans taken from it
 * register the same sequence themselves, and are closed with it.
 *
 * <p>Not thread-safe.
 */
final class MemorySnapshot implements Snapshot {

    private final MemoryStore store;
    private final long seq;
    private final OpenScans scans = new OpenScans();
    private boolean closed;

    MemorySnapshot(MemoryStore store, long seq) {
        this.store = store;
        this.seq = seq;
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        checkOpen();
        return store.getAt(keyspace, key, seq);
    }

    @Override
    public Scan scan(String keyspace, KeyRange range, boolean reverse) {
        checkOpen();
        return store.scanAt(keyspace, range, reverse, store.registerAgain(seq), scans);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            scans.invalidateAll("the scan's snapshot is closed");
            store.release(seq);
        }
    }

    private void checkOpen() {
        store.checkOpen();
        if (closed) {
            throw new IllegalStateException("snapshot is closed");
        }
    }
}
