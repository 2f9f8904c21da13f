package io.stratus.dynamodb;

import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Live item counts and sizes, kept in the same store transaction as the write that changes them,
 * so DescribeTable's ItemCount, TableSizeBytes, IndexSizeBytes are exact at once (AWS refreshes
 * them about every six hours).
 *
 * <p>Counts: {@code (table id, scope, shard) → (items, bytes)}, where the scope is "" for the table
 * or an index's name. Only a scope's sum means anything: each write adds its change to one of
 * {@value #SHARDS} shards picked at random (a shard may go negative when an item is counted in one
 * and removed through another), so concurrent writers seldom update the same counter and seldom
 * conflict — a conflict makes a durable write wait for another sync — and DescribeTable sums at
 * most {@value #SHARDS} keys per scope. A write that changes nothing touches no counter.
 *
 * <p>Item collections (tables with local secondary indexes only): {@code (table id, partition
 * value) → bytes}, the items of one partition key plus their LSI entries (each entry its projected
 * attributes plus {@value #INDEX_ENTRY_OVERHEAD} bytes, as AWS counts index entries), for
 * ReturnItemCollectionMetrics and the item collection size limit. Stateless.
 */
final class ItemStats {

    static final String STATS = "dynamodb.stats";
    static final String COLLECTIONS = "dynamodb.collections";
    static final int SHARDS = 256;
    static final long INDEX_ENTRY_OVERHEAD = 100;
    private static final String TABLE_SCOPE = "";

    private ItemStats() {}

    /** An item count and its bytes. */
    record Counts(long items, long bytes) {
        static final Counts NONE = new Counts(0, 0);
    }

    /** An item collection's size after a write, and how much the write changed it. */
    record CollectionChange(long sizeBytes, long deltaBytes) {}

    /**
     * Counts a write from {@code old} to {@code item} (either null when absent) inside its
     * transaction; returns the item collection's change on a table with LSIs, else null.
     */
    static CollectionChange apply(Transaction txn, Table table, Map<String, AttributeValue> old, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> either = item != null ? item : old;
        int shard = ThreadLocalRandom.current().nextInt(SHARDS);
        add(txn, table.id(), TABLE_SCOPE, shard, presence(item) - presence(old), size(item) - size(old));
        for (SecondaryIndex index : table.indexes()) {
            Map<String, AttributeValue> oldEntry = entry(table, index, old);
            Map<String, AttributeValue> newEntry = entry(table, index, item);
            add(txn, table.id(), index.name(), shard, presence(newEntry) - presence(oldEntry), size(newEntry) - size(oldEntry));
        }
        if (table.localIndexes().isEmpty()) {
            return null;
        }
        long delta = collectionShare(table, item) - collectionShare(table, old);
        byte[] key = collectionKey(table, either.get(table.key().hash()));
        long size = readLong(txn.get(COLLECTIONS, key)) + delta;
        if (delta != 0) {
            if (size <= 0) {
                txn.delete(COLLECTIONS, key);
            } else {
                txn.put(COLLECTIONS, key, ByteBuffer.allocate(Long.BYTES).putLong(size).array());
            }
        }
        return new CollectionChange(Math.max(size, 0), delta);
    }

    /** Counts an index entry a backfill adds for an item already in the table. */
    static void addIndexEntry(Transaction txn, Table table, SecondaryIndex index, Map<String, AttributeValue> item) {
        int shard = ThreadLocalRandom.current().nextInt(SHARDS);
        add(txn, table.id(), index.name(), shard, 1, size(ItemStore.project(table, index, item)));
    }

    /** The counts of a table ("" ) and of each of its indexes, by scope; absent scopes have none. */
    static Map<String, Counts> read(StoreReader reader, Table table) {
        Map<String, Counts> counts = new HashMap<>();
        try (Scan scan = reader.scan(STATS, KeyRange.prefix(Key.builder().add(table.id()).build()))) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                String scope = (String) Key.decode(entry.key()).get(1);
                ByteBuffer value = ByteBuffer.wrap(entry.value());
                Counts sum = counts.getOrDefault(scope, Counts.NONE);
                counts.put(scope, new Counts(sum.items() + value.getLong(), sum.bytes() + value.getLong()));
            }
        }
        return counts;
    }

    static Counts table(Map<String, Counts> counts) {
        return counts.getOrDefault(TABLE_SCOPE, Counts.NONE);
    }

    /** The size of the item collection of one partition key value, 0 when empty. */
    static long collectionSize(StoreReader reader, Table table, AttributeValue hash) {
        return readLong(reader.get(COLLECTIONS, collectionKey(table, hash)));
    }

    /** The first store key of an index's counters, to drop them with the index. */
    static byte[] indexPrefix(Table table, String indexName) {
        return Key.builder().add(table.id()).add(indexName).build();
    }

    private static void add(Transaction txn, String tableId, String scope, int shard, long items, long bytes) {
        if (items == 0 && bytes == 0) {
            return;
        }
        byte[] key = Key.builder().add(tableId).add(scope).add(shard).build();
        byte[] current = txn.get(STATS, key);
        ByteBuffer value = current == null ? ByteBuffer.allocate(2 * Long.BYTES) : ByteBuffer.wrap(current);
        long newItems = value.getLong(0) + items;
        long newBytes = value.getLong(Long.BYTES) + bytes;
        if (newItems == 0 && newBytes == 0) {
            txn.delete(STATS, key);
        } else {
            txn.put(STATS, key, ByteBuffer.allocate(2 * Long.BYTES).putLong(newItems).putLong(newBytes).array());
        }
    }

    /** What an item adds to its collection: itself and its LSI entries. */
    private static long collectionShare(Table table, Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long share = ItemSize.of(item);
        for (SecondaryIndex index : table.localIndexes()) {
            Map<String, AttributeValue> entry = entry(table, index, item);
            if (entry != null) {
                share += ItemSize.of(entry) + INDEX_ENTRY_OVERHEAD;
            }
        }
        return share;
    }

    private static Map<String, AttributeValue> entry(Table table, SecondaryIndex index, Map<String, AttributeValue> item) {
        return item == null || ItemKeys.indexKey(table, index, item) == null ? null : ItemStore.project(table, index, item);
    }

    private static byte[] collectionKey(Table table, AttributeValue hash) {
        return ItemKeys.add(Key.builder().add(table.id()), hash).build();
    }

    private static long presence(Map<String, AttributeValue> item) {
        return item == null ? 0 : 1;
    }

    private static long size(Map<String, AttributeValue> item) {
        return item == null ? 0 : ItemSize.of(item);
    }

    private static long readLong(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    static List<String> keyspaces() {
        return List.of(STATS, COLLECTIONS);
    }
}
