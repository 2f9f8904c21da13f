package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import org.rocksdb.ReadOptions;

/**
 * A RocksDB snapshot: reads see the database as of the moment it was taken. Its scans are closed with
 * it.
 *
 * <p>Not thread-safe.
 */
final class RocksSnapshot implements Snapshot, RocksDbStore.RocksResource {

    private final RocksDbStore store;
    private final org.rocksdb.Snapshot snapshot;
    private final ReadOptions readOptions;
    private final OpenScans scans = new OpenScans();
    private boolean released;

    RocksSnapshot(RocksDbStore store, org.rocksdb.Snapshot snapshot) {
        this.store = store;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        return store.whileOpen(() -> {
            checkOpen();
            return store.db().get(store.family(keyspace), readOptions, key);
        });
    }

    @Override
    public Scan scan(String keyspace, KeyRange range, boolean reverse) {
        requireNonNull(range, "range is null");
        return store.whileOpen(() -> {
            checkOpen();
            return scans.track(new RocksScan(store, store.db().newIterator(store.family(keyspace), readOptions), range, reverse, scans::forget));
        });
    }

    @Override
    public void close() {
        store.ifOpen(this::release);
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            scans.invalidateAll("the scan's snapshot is closed");
            readOptions.close();
            store.db().releaseSnapshot(snapshot);
            store.forget(this);
        }
    }

    private void checkOpen() {
        if (released) {
            throw new IllegalStateException("snapshot is closed");
        }
    }
}
