package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Store} held in memory, for tests and {@code --storage memory}: nothing survives
 * {@link #close()}.
 *
 * <p>Each keyspace is a {@link ConcurrentSkipListMap} from key to a chain of versions, newest first,
 * each stamped with the sequence number of the commit that wrote it. Commits take one lock, check
 * for conflicts, add their versions and then publish their sequence number with a volatile write,
 * so a reader that reads at sequence {@code s} sees whole commits up to {@code s} and nothing of
 * later ones. Snapshots, transactions and scans register the sequence they read at; a version is
 * dropped once no registered reader can see it, so old versions cost memory only while someone
 * might read them, and a snapshot costs nothing up front whatever the data size. The price is that
 * commits are serialized; that is fine for a store meant for tests, and reads never wait.
 *
 * <p>Thread-safe, as {@link Store} requires.
 */
public final class MemoryStore implements Store {

    private final Map<String, ConcurrentSkipListMap<byte[], Version>> keyspaces = new ConcurrentHashMap<>();
    private final ChangeListeners listeners = new ChangeListeners();
    private final TransactionRunner transactions = new TransactionRunner(this::beginTransaction);
    private final ReentrantLock commitLock = new ReentrantLock();
    /** The sequence number of the last published commit. Written only under {@link #commitLock}. */
    private volatile long committed;
    /** Sequence numbers that open readers read at, with how many read at each. Under the lock. */
    private final NavigableMap<Long, Integer> readers = new TreeMap<>();
    /** Keys whose chains hold versions that become garbage once readers move past them. Under the lock. */
    private final ArrayDeque<Garbage> garbage = new ArrayDeque<>();
    private volatile boolean closed;

    public MemoryStore() {}

    @Override
    public byte[] get(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        checkOpen();
        Version chain = keyspace(keyspace).get(key);
        // Read the sequence after the chain: any version of it at or below that sequence is then in
        // the chain, because versions are added before their sequence is published.
        Version visible = chain == null ? null : chain.visibleAt(committed);
        return visible == null || visible.value() == null ? null : visible.value().clone();
    }

    @Override
    public Scan scan(String keyspace, KeyRange range, boolean reverse) {
        // Store-level scans need no tracking: once the store closes they fail on their next read.
        return scanAt(keyspace, range, reverse, register(), null);
    }

    @Override
    public void put(String keyspace, byte[] key, byte[] value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        var writes = new WriteSet();
        writes.put(Keyspaces.requireValid(keyspace), key, value);
        checkOpen();
        listeners.commitOne(keyspace, key, value, () -> commit(writes, null, 0));
    }

    @Override
    public void delete(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        var writes = new WriteSet();
        writes.delete(Keyspaces.requireValid(keyspace), key);
        checkOpen();
        listeners.commitOne(keyspace, key, null, () -> commit(writes, null, 0));
    }

    @Override
    public Transaction beginTransaction() {
        return new MemoryTransaction(this, register());
    }

    @Override
    public <T> T transaction(TransactionBody<T> body) {
        return transactions.run(body);
    }

    @Override
    public Snapshot snapshot() {
        return new MemorySnapshot(this, register());
    }

    @Override
    public void addListener(String keyspace, ChangeListener listener) {
        requireNonNull(listener, "listener is null");
        checkOpen();
        listeners.add(Keyspaces.requireValid(keyspace), listener);
    }

    @Override
    public StoreInfo info() {
        return new StoreInfo("memory", "memory");
    }

    @Override
    public void close() {
        commitLock.lock();
        try {
            closed = true;
            keyspaces.clear();
            readers.clear();
            garbage.clear();
        }
        finally {
            commitLock.unlock();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    /** Reads {@code key} as of sequence {@code seq}, which a registered reader holds. */
    byte[] getAt(String keyspace, byte[] key, long seq) {
        requireNonNull(key, "key is null");
        checkOpen();
        Version chain = keyspace(keyspace).get(key);
        Version visible = chain == null ? null : chain.visibleAt(seq);
        return visible == null || visible.value() == null ? null : visible.value().clone();
    }

    /**
     * Scans as of {@code seq}, which the caller registered and the scan now owns, tracked by
     * {@code owner} unless that is {@code null}.
     */
    CursorScan scanAt(String keyspace, KeyRange range, boolean reverse, long seq, OpenScans owner) {
        try {
            requireNonNull(range, "range is null");
            checkOpen();
            NavigableMap<byte[], Version> inRange = WriteSet.subMap(keyspace(keyspace), range);
            Iterator<Map.Entry<byte[], Version>> entries = (reverse ? inRange.descendingMap() : inRange).entrySet().iterator();
            if (owner == null) {
                return new MemoryScan(this, entries, seq, scan -> {});
            }
            return owner.track(new MemoryScan(this, entries, seq, owner::forget));
        }
        catch (RuntimeException e) {
            release(seq);
            throw e;
        }
    }

    /** Registers a reader at the latest sequence, which keeps what it sees from being dropped. */
    long register() {
        checkOpen();
        commitLock.lock();
        try {
            long seq = committed;
            readers.merge(seq, 1, Integer::sum);
            return seq;
        }
        finally {
            commitLock.unlock();
        }
    }

    /** Registers one more reader at {@code seq}, which an open reader already holds. */
    long registerAgain(long seq) {
        commitLock.lock();
        try {
            readers.merge(seq, 1, Integer::sum);
            return seq;
        }
        finally {
            commitLock.unlock();
        }
    }

    void release(long seq) {
        commitLock.lock();
        try {
            readers.computeIfPresent(seq, (s, count) -> count == 1 ? null : count - 1);
            collectGarbage();
        }
        finally {
            commitLock.unlock();
        }
    }

    /**
     * Commits {@code writes}. With {@code reads} given, first checks that no key in it or in
     * {@code writes} was committed after {@code readSeq}.
     */
    void commitTransaction(WriteSet writes, Map<String, NavigableSet<byte[]>> reads, long readSeq) {
        checkOpen();
        listeners.commit(writes, () -> commit(writes, reads, readSeq));
    }

    private void commit(WriteSet writes, Map<String, NavigableSet<byte[]>> reads, long readSeq) {
        commitLock.lock();
        try {
            checkOpen();
            if (reads != null) {
                reads.forEach((keyspace, keys) -> keys.forEach(key -> checkUnchanged(keyspace, key, readSeq)));
                writes.keyspaces().forEach(keyspace -> writes.writes(keyspace).keySet().forEach(key -> checkUnchanged(keyspace, key, readSeq)));
            }
            if (writes.isEmpty()) {
                return;
            }
            long seq = committed + 1;
            for (String keyspace : writes.keyspaces()) {
                var map = keyspace(keyspace);
                writes.writes(keyspace).forEach((key, value) -> {
                    map.put(key, new Version(seq, value, map.get(key)));
                    garbage.add(new Garbage(map, key, seq));
                });
            }
            committed = seq;
            collectGarbage();
        }
        finally {
            commitLock.unlock();
        }
    }

    private void checkUnchanged(String keyspace, byte[] key, long readSeq) {
        Version head = keyspace(keyspace).get(key);
        if (head != null && head.seq() > readSeq) {
            throw new StoreConflictException("transaction conflict: key " + Key.toHex(key) + " in keyspace " + keyspace + " was changed by another commit");
        }
    }

    /**
     * Drops the versions no reader can see any more: in each chain, everything older than the newest
     * version at or below the oldest reader's sequence, and that version too if it is a delete.
     * The queue is in commit order, so it is done once its head is newer than the oldest reader.
     * Readers holding a chain keep their own reference to it, so replacing it never disturbs them.
     */
    private void collectGarbage() {
        long horizon = readers.isEmpty() ? committed : Math.min(readers.firstKey(), committed);
        while (!garbage.isEmpty() && garbage.peek().seq() <= horizon) {
            Garbage g = garbage.poll();
            Version head = g.map().get(g.key());
            if (head != null) {
                Version pruned = head.prunedTo(horizon);
                if (pruned == null) {
                    g.map().remove(g.key());
                }
                else if (pruned != head) {
                    g.map().put(g.key(), pruned);
                }
            }
        }
    }

    private ConcurrentSkipListMap<byte[], Version> keyspace(String name) {
        requireNonNull(name, "keyspace is null");
        var map = keyspaces.get(name);
        if (map != null) {
            return map;
        }
        return keyspaces.computeIfAbsent(Keyspaces.requireValid(name), k -> new ConcurrentSkipListMap<>(Key.ORDER));
    }

    /** How many versions the store holds, deletes included: what garbage collection must keep bounded. */
    int versionCount() {
        int count = 0;
        for (var map : keyspaces.values()) {
            for (Version chain : map.values()) {
                for (Version v = chain; v != null; v = v.older()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** One version of a key's value, {@code null} for a delete, linked to the next older one. */
    record Version(long seq, byte[] value, Version older) {

        /** The newest version at or below {@code readSeq}, or {@code null}. */
        Version visibleAt(long readSeq) {
            Version v = this;
            while (v != null && v.seq > readSeq) {
                v = v.older;
            }
            return v;
        }

        /**
         * This chain without what no reader at {@code horizon} or later can see: the versions older
         * than the newest one at or below {@code horizon}, and that one too if it is a delete.
         * Returns {@code null} if nothing is left. Iterative, since a long-open snapshot lets a busy
         * key's chain grow long.
         */
        Version prunedTo(long horizon) {
            var newer = new ArrayList<Version>();
            Version oldestSeen = this;
            while (oldestSeen != null && oldestSeen.seq > horizon) {
                newer.add(oldestSeen);
                oldestSeen = oldestSeen.older;
            }
            Version kept = oldestSeen == null || oldestSeen.value == null ? null
                    : oldestSeen.older == null ? oldestSeen : new Version(oldestSeen.seq, oldestSeen.value, null);
            if (kept == oldestSeen) {
                return this;
            }
            for (Version v : newer.reversed()) {
                kept = new Version(v.seq, v.value, kept);
            }
            return kept;
        }
    }

    private record Garbage(ConcurrentSkipListMap<byte[], Version> map, byte[] key, long seq) {}
}
