package io.stratus.dynamodb;

import io.stratus.core.RequestContext;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.ConditionEvaluator;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.expression.UpdateApplier;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.storage.Transaction;
import java.util.List;
import java.util.Map;

/**
 * A change to one item, parsed and checked before its transaction: a put, an update, a delete or
 * (in transactions) a bare condition check. {@link #read} and {@link #write} run inside the store
 * transaction, so the condition is tested against the item exactly as the write replaces it.
 *
 * @param tableName the table, re-read inside the transaction so a concurrent UpdateTable or
 *     DeleteTable is noticed
 * @param key the item's key attributes
 * @param item the new item of a put, else null
 * @param actions the actions of an update, else null
 * @param condition the ConditionExpression, or null
 */
record ItemChange(Kind kind, String tableName, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
        List<UpdateAction> actions, Condition condition) {

    enum Kind { PUT, UPDATE, DELETE, CHECK }

    /** The table and the item as they are now, inside {@code txn}; the item is null when absent. */
    record Current(Table table, Map<String, AttributeValue> item) {

        boolean satisfies(Condition condition) {
            return condition == null || ConditionEvaluator.test(condition, item == null ? Map.of() : item);
        }
    }

    Current read(Transaction txn, RequestContext context) {
        Table table = TableStore.require(txn, context, tableName);
        return new Current(table, ItemStore.read(txn, table, key));
    }

    /**
     * Writes the change over {@code current}, with its stream record when the table has a stream,
     * and returns the item as it is afterwards (null when deleted or absent).
     */
    Map<String, AttributeValue> write(Transaction txn, Current current, ItemWrites writes) {
        StreamRecords streams = writes.streams();
        Table table = current.table();
        Map<String, AttributeValue> old = current.item();
        return switch (kind) {
            case PUT -> {
                ItemKeys.checkItem(table, item);
                writes.checkCollection(ItemStore.write(txn, table, old, item));
                streams.record(txn, table, old, item, false);
                yield item;
            }
            case UPDATE -> {
                Map<String, AttributeValue> updated = UpdateApplier.apply(actions, old == null ? key : old);
                if (ItemSize.of(updated) > ItemSize.MAX_ITEM_BYTES) {
                    throw DynamoDbErrors.validation("Item size to update has exceeded the maximum allowed size");
                }
                ItemKeys.checkItem(table, updated);
                writes.checkCollection(ItemStore.write(txn, table, old, updated));
                streams.record(txn, table, old, updated, false);
                yield updated;
            }
            case DELETE -> {
                if (old != null) {
                    ItemStore.delete(txn, table, old);
                    streams.record(txn, table, old, null, false);
                }
                yield null;
            }
            case CHECK -> old;
        };
    }
}
