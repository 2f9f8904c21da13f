package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A {@link MemoryStore} transaction: reads at the sequence it began at (held registered), buffers its
 * writes and remembers the keys it read, which the commit checks under the store's commit lock.
 *
 * <p>Not thread-safe.
 */
final class MemoryTransaction implements Transaction {

    private final MemoryStore store;
    private final long startSeq;
    private final WriteSet writes = new WriteSet();
    private final Map<String, NavigableSet<byte[]>> reads = new HashMap<>();
    private final OpenScans scans = new OpenScans();
    private boolean done;

    MemoryTransaction(MemoryStore store, long startSeq) {
        this.store = store;
        this.startSeq = startSeq;
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        checkActive();
        if (writes.contains(Keyspaces.requireValid(keyspace), key)) {
            byte[] value = writes.get(keyspace, key);
            return value == null ? null : value.clone();
        }
        byte[] value = store.getAt(keyspace, key, startSeq);
        recordRead(keyspace, key);
        return value;
    }

    @Override
    public Scan scan(String keyspace, KeyRange range, boolean reverse) {
        requireNonNull(range, "range is null");
        checkActive();
        Scan base = store.scanAt(keyspace, range, reverse, store.registerAgain(startSeq), scans);
        var own = writes.copyOfRange(keyspace, range, reverse).entrySet().iterator();
        return new OverlayScan(base, own, reverse, key -> recordRead(keyspace, key));
    }

    @Override
    public void put(String keyspace, byte[] key, byte[] value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        checkActive();
        writes.put(Keyspaces.requireValid(keyspace), key, value);
    }

    @Override
    public void delete(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        checkActive();
        writes.delete(Keyspaces.requireValid(keyspace), key);
    }

    @Override
    public void commit() {
        checkActive();
        done = true;
        scans.invalidateAll("the scan's transaction is committed");
        try {
            store.commitTransaction(writes, reads, startSeq);
        }
        finally {
            store.release(startSeq);
        }
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            scans.invalidateAll("the scan's transaction is closed");
            store.release(startSeq);
        }
    }

    private void recordRead(String keyspace, byte[] key) {
        reads.computeIfAbsent(keyspace, k -> new TreeSet<>(Key.ORDER)).add(key.clone());
    }

    private void checkActive() {
        store.checkOpen();
        if (done) {
            throw new IllegalStateException("transaction is already committed or closed");
        }
    }
}
