package io.stratus.dynamodb;

import io.stratus.dynamodb.ItemModel.ConsumedCapacity;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import java.util.Map;

/**
 * Capacity units as DynamoDB reports them when asked (ReturnConsumedCapacity TOTAL or INDEXES):
 * a write costs one unit per started KB of the larger of the old and new item, a read one unit per
 * started 4 KB, halved for eventually consistent reads. Index writes are not added.
 */
final class Capacity {

    private Capacity() {}

    static boolean wanted(String returnConsumedCapacity) {
        return "TOTAL".equals(returnConsumedCapacity) || "INDEXES".equals(returnConsumedCapacity);
    }

    static ConsumedCapacity write(String returnConsumedCapacity, String table, Map<String, AttributeValue> old, Map<String, AttributeValue> item) {
        if (!wanted(returnConsumedCapacity)) {
            return null;
        }
        long size = Math.max(old == null ? 0 : ItemSize.of(old), item == null ? 0 : ItemSize.of(item));
        return new ConsumedCapacity(table, (double) Math.max(1, (size + 1023) / 1024));
    }

    static ConsumedCapacity read(String returnConsumedCapacity, String table, long bytes, boolean consistent) {
        if (!wanted(returnConsumedCapacity)) {
            return null;
        }
        double units = Math.max(1, (bytes + 4095) / 4096);
        return new ConsumedCapacity(table, consistent ? units : units / 2);
    }
}
