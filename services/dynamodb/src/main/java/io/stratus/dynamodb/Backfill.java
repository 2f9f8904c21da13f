package io.stratus.dynamodb;

import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Derived entries for items a table already had when it gained a global index or TTL. Writes
 * committed after the table changed maintain their entries themselves (they read the table in
 * their transaction); this visits the items that were there before, a batch per transaction, each
 * re-read inside its transaction so a concurrent write is never undone.
 */
final class Backfill {

    private static final int BATCH = 256;

    private Backfill() {}

    interface ItemAction {
        void apply(Transaction txn, Map<String, AttributeValue> item);
    }

    static void index(Store store, Table table, SecondaryIndex index) {
        eachItem(store, table, (txn, item) -> {
            // Items without the index key attributes, or with other types than the index's, stay out of it, as in AWS.
            boolean indexable = index.key().attributes().stream()
                    .allMatch(a -> item.get(a) != null && item.get(a).type().equals(index.key().typeOf(a)));
            if (indexable) {
                byte[] key = ItemKeys.indexKey(table, index, item);
                // A write since the index was added already wrote (and counted) the entry.
                if (txn.get(ItemStore.INDEXES, key) == null) {
                    txn.put(ItemStore.INDEXES, key, ItemStore.encode(ItemStore.project(table, index, item)));
                    ItemStats.addIndexEntry(txn, table, index, item);
                }
            }
        });
    }

    static void expiry(Store store, Table table) {
        eachItem(store, table, (txn, item) -> {
            byte[] expiryKey = ItemStore.expiryKey(table, item);
            if (expiryKey != null) {
                txn.put(ItemStore.EXPIRY, expiryKey, new byte[0]);
            }
        });
    }

    private static void eachItem(Store store, Table table, ItemAction action) {
        byte[] start = ItemStore.tablePrefix(table);
        byte[] end = Key.prefixEnd(start);
        while (start != null) {
            List<byte[]> keys = new ArrayList<>(BATCH);
            try (Scan scan = store.scan(ItemStore.ITEMS, new KeyRange(start, end))) {
                while (scan.hasNext() && keys.size() < BATCH) {
                    Entry entry = scan.next();
                    keys.add(entry.key());
                }
            }
            store.transaction(txn -> {
                for (byte[] key : keys) {
                    byte[] value = txn.get(ItemStore.ITEMS, key);
                    if (value != null) {
                        action.apply(txn, ItemStore.decode(value));
                    }
                }
                return null;
            });
            start = keys.size() < BATCH ? null : Key.prefixEnd(keys.getLast());
        }
    }
}
