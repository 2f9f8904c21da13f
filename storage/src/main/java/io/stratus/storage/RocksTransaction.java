package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;

/**
 * A RocksDB optimistic transaction begun with a snapshot, so reads see the database as of its start
 * and the commit fails if a key it read or wrote changed since. Reads register their key with
 * RocksDB ({@code getForUpdate}) so the commit checks it; scans read the snapshot and register each
 * key they return. The writes are also kept in a {@link WriteSet}, which serves read-your-writes for
 * scans and the changes reported to listeners.
 *
 * <p>Not thread-safe.
 */
final class RocksTransaction implements Transaction, RocksDbStore.RocksResource {

    private final RocksDbStore store;
    private final org.rocksdb.Transaction txn;
    private final ReadOptions readOptions;
    private final WriteSet writes = new WriteSet();
    private final OpenScans scans = new OpenScans();
    private boolean active = true;
    private boolean released;

    RocksTransaction(RocksDbStore store, org.rocksdb.Transaction txn) {
        this.store = store;
        this.txn = txn;
        this.readOptions = new ReadOptions().setSnapshot(txn.getSnapshot());
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        return store.whileOpen(() -> {
            checkActive();
            ColumnFamilyHandle family = store.family(keyspace);
            if (writes.contains(keyspace, key)) {
                byte[] value = writes.get(keyspace, key);
                return value == null ? null : value.clone();
            }
            return txn.getForUpdate(readOptions, family, key, true);
        });
    }

    @Override
    public Scan scan(String keyspace, KeyRange range, boolean reverse) {
        requireNonNull(range, "range is null");
        return store.whileOpen(() -> {
            checkActive();
            ColumnFamilyHandle family = store.family(keyspace);
            var base = scans.track(new RocksScan(store, store.db().newIterator(family, readOptions), range, reverse, scans::forget));
            var own = writes.copyOfRange(keyspace, range, reverse).entrySet().iterator();
            // A second read per returned key: the Java API has no way to register a key for the
            // conflict check without reading it.
            return new OverlayScan(base, own, reverse, key -> store.whileOpen(() -> txn.getForUpdate(readOptions, family, key, true)));
        });
    }

    @Override
    public void put(String keyspace, byte[] key, byte[] value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        store.whileOpen(() -> {
            checkActive();
            txn.put(store.family(keyspace), key, value);
            writes.put(keyspace, key, value);
            return null;
        });
    }

    @Override
    public void delete(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        store.whileOpen(() -> {
            checkActive();
            txn.delete(store.family(keyspace), key);
            writes.delete(keyspace, key);
            return null;
        });
    }

    @Override
    public void commit() {
        store.whileOpen(() -> {
            checkActive();
            active = false;
            try {
                scans.invalidateAll("the scan's transaction is committed");
                store.listeners().commit(writes, () -> store.durableWrite(txn::commit));
            }
            finally {
                release();
            }
            return null;
        });
    }

    @Override
    public void close() {
        store.ifOpen(this::release);
    }

    /** Frees the native transaction, which discards its writes unless it committed. */
    @Override
    public void release() {
        if (!released) {
            released = true;
            active = false;
            scans.invalidateAll("the scan's transaction is closed");
            readOptions.close();
            txn.close();
            store.forget(this);
        }
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException("transaction is already committed or closed");
        }
    }
}
