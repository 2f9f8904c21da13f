package io.stratus.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.StoredItems;
import io.stratus.storage.Key;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Items in the store: one key per item, {@code (table id, partition[, sort])}; one key per item
 * per secondary index holding the item's projection; and, on tables with TTL, one key per item
 * with an expiry time, {@code (table id, expiry, item key)}, so the sweeper finds what expired with
 * a range scan. A write keeps all of them in step in the same transaction. Stateless; thread-safe.
 */
final class ItemStore {

    static final String ITEMS = "dynamodb.items";
    static final String INDEXES = "dynamodb.indexes";
    static final String EXPIRY = "dynamodb.expiry";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ItemStore() {}

    /** The item with this key, or null. */
    static Map<String, AttributeValue> read(StoreReader reader, Table table, Map<String, AttributeValue> key) {
        byte[] value = reader.get(ITEMS, ItemKeys.itemKey(table, key));
        return value == null ? null : decode(value);
    }

    /**
     * Writes {@code item} over {@code old} (null when there was none), index entries and counts
     * ({@link ItemStats}) included; returns the change to the item's collection on a table with
     * local secondary indexes, else null.
     */
    static ItemStats.CollectionChange write(Transaction txn, Table table, Map<String, AttributeValue> old, Map<String, AttributeValue> item) {
        byte[] itemKey = ItemKeys.itemKey(table, item);
        txn.put(ITEMS, itemKey, encode(item));
        byte[] oldExpiry = old == null ? null : expiryKey(table, old);
        byte[] newExpiry = expiryKey(table, item);
        if (oldExpiry != null && !Arrays.equals(oldExpiry, newExpiry)) {
            txn.delete(EXPIRY, oldExpiry);
        }
        if (newExpiry != null) {
            txn.put(EXPIRY, newExpiry, new byte[0]);
        }
        for (SecondaryIndex index : table.indexes()) {
            byte[] oldKey = old == null ? null : ItemKeys.indexKey(table, index, old);
            byte[] newKey = ItemKeys.indexKey(table, index, item);
            if (oldKey != null && (newKey == null || !Arrays.equals(oldKey, newKey))) {
                txn.delete(INDEXES, oldKey);
            }
            if (newKey != null) {
                txn.put(INDEXES, newKey, encode(project(table, index, item)));
            }
        }
        return old != null && old.equals(item) ? null : ItemStats.apply(txn, table, old, item);
    }

    static void delete(Transaction txn, Table table, Map<String, AttributeValue> old) {
        txn.delete(ITEMS, ItemKeys.itemKey(table, old));
        byte[] oldExpiry = expiryKey(table, old);
        if (oldExpiry != null) {
            txn.delete(EXPIRY, oldExpiry);
        }
        for (SecondaryIndex index : table.indexes()) {
            byte[] oldKey = ItemKeys.indexKey(table, index, old);
            if (oldKey != null) {
                txn.delete(INDEXES, oldKey);
            }
        }
        ItemStats.apply(txn, table, old, null);
    }

    /** What an index keeps of an item: all of it, or its keys (table's and index's) plus the included attributes. */
    static Map<String, AttributeValue> project(Table table, SecondaryIndex index, Map<String, AttributeValue> item) {
        if (index.projectionType().equals("ALL")) {
            return item;
        }
        Map<String, AttributeValue> projected = new LinkedHashMap<>();
        item.forEach((name, value) -> {
            if (table.key().typeOf(name) != null || index.key().typeOf(name) != null || index.nonKeyAttributes().contains(name)) {
                projected.put(name, value);
            }
        });
        return projected;
    }

    /** The expiry entry of an item on a table with TTL, or null when there is none (no TTL, or no number in the attribute). */
    static byte[] expiryKey(Table table, Map<String, AttributeValue> item) {
        if (table.ttlAttribute() == null || !(item.get(table.ttlAttribute()) instanceof AttributeValue.N expiry)) {
            return null;
        }
        return Key.builder().add(table.id()).add(expiry.value()).add(ItemKeys.itemKey(table, item)).build();
    }

    /** The first store key of a table's items: (table id). */
    static byte[] tablePrefix(Table table) {
        return Key.builder().add(table.id()).build();
    }

    static byte[] encode(Map<String, AttributeValue> item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode an item", e);
        }
    }

    static Map<String, AttributeValue> decode(byte[] bytes) {
        try {
            return StoredItems.read(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored item", e);
        }
    }
}
