package io.stratus.dynamodb;

import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fills a global index created on a table that already has items. Writes committed after the index
 * was added to the table maintain it themselves; this copies the items that were there before, a
 * batch per transaction, each re-read inside its transaction so a concurrent write is never undone.
 */
final class IndexBackfill {

    private static final int BATCH = 256;

    private IndexBackfill() {}

    static void fill(Store store, Table table, SecondaryIndex index) {
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
                    if (value == null) {
                        continue;
                    }
                    Map<String, AttributeValue> item = ItemStore.decode(value);
                    byte[] indexKey = ItemKeys.indexKey(table, index, item);
                    if (indexKey != null && indexTypesMatch(index, item)) {
                        txn.put(ItemStore.INDEXES, indexKey, ItemStore.encode(ItemStore.project(table, index, item)));
                    }
                }
                return null;
            });
            start = keys.size() < BATCH ? null : Key.prefixEnd(keys.getLast());
        }
    }

    /** Items whose index key attributes have other types than the index's stay out of it, as in AWS. */
    private static boolean indexTypesMatch(SecondaryIndex index, Map<String, AttributeValue> item) {
        return index.key().attributes().stream().allMatch(a -> item.get(a).type().equals(index.key().typeOf(a)));
    }
}
