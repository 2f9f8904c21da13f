package io.stratus.storage;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A transaction's buffered writes: per keyspace, each written key's last value, or {@code null} for a
 * delete. Keys and values are copied in; callers must not modify what they get out.
 *
 * <p>Not thread-safe: owned by one transaction.
 */
final class WriteSet {

    private final NavigableMap<String, NavigableMap<byte[], byte[]>> keyspaces = new TreeMap<>();

    void put(String keyspace, byte[] key, byte[] value) {
        keyspaces.computeIfAbsent(keyspace, k -> new TreeMap<>(Key.ORDER)).put(key.clone(), value.clone());
    }

    void delete(String keyspace, byte[] key) {
        keyspaces.computeIfAbsent(keyspace, k -> new TreeMap<>(Key.ORDER)).put(key.clone(), null);
    }

    boolean contains(String keyspace, byte[] key) {
        var writes = keyspaces.get(keyspace);
        return writes != null && writes.containsKey(key);
    }

    /** The value written under {@code key}; {@code null} if deleted or not written (see {@link #contains}). */
    byte[] get(String keyspace, byte[] key) {
        var writes = keyspaces.get(keyspace);
        return writes == null ? null : writes.get(key);
    }

    boolean isEmpty() {
        return keyspaces.isEmpty();
    }

    /** The written keyspaces, in name order. */
    Set<String> keyspaces() {
        return Collections.unmodifiableSet(keyspaces.keySet());
    }

    /** The writes to {@code keyspace}, in key order; empty when there are none. */
    NavigableMap<byte[], byte[]> writes(String keyspace) {
        var writes = keyspaces.get(keyspace);
        return writes == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(writes);
    }

    /**
     * A copy of the writes to {@code keyspace} within {@code range}, so a scan can overlay them while
     * the transaction goes on writing.
     */
    NavigableMap<byte[], byte[]> copyOfRange(String keyspace, KeyRange range, boolean reverse) {
        NavigableMap<byte[], byte[]> copy = new TreeMap<>(Key.ORDER);
        var writes = keyspaces.get(keyspace);
        // Not Collections.emptyNavigableMap() for an unwritten keyspace: its natural ordering cannot
        // compare byte[] range bounds.
        if (writes != null) {
            copy.putAll(subMap(writes, range));
        }
        return reverse ? copy.descendingMap() : copy;
    }

    /** The part of {@code map} whose keys lie in {@code range}, as a live view. */
    static <V> NavigableMap<byte[], V> subMap(NavigableMap<byte[], V> map, KeyRange range) {
        byte[] start = range.start();
        byte[] end = range.end();
        if (start != null && end != null) {
            return map.subMap(start, true, end, false);
        }
        if (start != null) {
            return map.tailMap(start, true);
        }
        if (end != null) {
            return map.headMap(end, false);
        }
        return map;
    }

    @Override
    public String toString() {
        int keys = keyspaces.values().stream().mapToInt(Map::size).sum();
        return "WriteSet[" + keys + " keys in " + keyspaces.keySet() + "]";
    }
}
