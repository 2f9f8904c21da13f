package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.dynamodb.ItemModel.BatchGetItemRequest;
import io.stratus.dynamodb.ItemModel.BatchGetItemResponse;
import io.stratus.dynamodb.ItemModel.BatchWriteItemRequest;
import io.stratus.dynamodb.ItemModel.BatchWriteItemResponse;
import io.stratus.dynamodb.ItemModel.ConsumedCapacity;
import io.stratus.dynamodb.ItemModel.ItemCollectionMetrics;
import io.stratus.dynamodb.ItemModel.KeysAndAttributes;
import io.stratus.dynamodb.ItemModel.WriteRequest;
import io.stratus.dynamodb.expression.Documents;
import io.stratus.dynamodb.expression.ExpressionAttributes;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.storage.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchGetItem and BatchWriteItem. Every request of a batch is checked before any is served; a
 * batch's writes then commit in one transaction, so none is left unprocessed. Reads past the
 * 16 MB response limit come back as UnprocessedKeys, as in DynamoDB. Thread-safe.
 */
final class BatchOperations {

    private static final int MAX_GET_KEYS = 100;
    private static final int MAX_WRITES = 25;
    private static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final TableStore tables;
    private final ItemWrites writes;

    BatchOperations(TableStore tables, ItemWrites writes) {
        this.tables = requireNonNull(tables, "tables is null");
        this.writes = requireNonNull(writes, "writes is null");
    }

    /** @param requested the table as the request named it (name or ARN), which the response repeats */
    private record TableGets(String requested, Table table, List<Map<String, AttributeValue>> keys, List<Path> projection, KeysAndAttributes request) {}

    BatchGetItemResponse batchGetItem(RequestContext context, BatchGetItemRequest request) {
        Map<String, KeysAndAttributes> requested = request.requestItems();
        if (requested == null || requested.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        int total = requested.values().stream().mapToInt(k -> k == null || k.keys() == null ? 0 : k.keys().size()).sum();
        if (total > MAX_GET_KEYS) {
            throw validation("Too many items requested for the BatchGetItem call");
        }
        List<TableGets> gets = new ArrayList<>();
        for (Map.Entry<String, KeysAndAttributes> entry : requested.entrySet()) {
            String name = TableRules.tableName(context, entry.getKey());
            KeysAndAttributes keys = entry.getValue();
            if (keys == null || keys.keys() == null || keys.keys().isEmpty()) {
                throw validation("1 validation error detected: Value '[]' at 'requestItems.%s.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1", name);
            }
            ItemRequests.refuseLegacy("AttributesToGet", keys.attributesToGet());
            var attributes = new ExpressionAttributes(keys.expressionAttributeNames(), null, keys.projectionExpression() != null);
            List<Path> projection = ItemRequests.projection(keys.projectionExpression(), attributes);
            attributes.checkAllUsed();
            Table table = tables.require(context, name);
            List<Map<String, AttributeValue>> checked = new ArrayList<>();
            for (Map<String, AttributeValue> key : keys.keys()) {
                checked.add(ItemKeys.checkKey(table, key));
            }
            if (new HashSet<>(checked).size() != checked.size()) {
                throw validation("Provided list of item keys contains duplicates");
            }
            gets.add(new TableGets(entry.getKey(), table, checked, projection, keys));
        }
        Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
        Map<String, KeysAndAttributes> unprocessed = new LinkedHashMap<>();
        List<ConsumedCapacity> capacity = new ArrayList<>();
        long bytes = 0;
        try (Snapshot snapshot = tables.store().snapshot()) {
            for (TableGets get : gets) {
                List<Map<String, AttributeValue>> found = responses.computeIfAbsent(get.requested(), n -> new ArrayList<>());
                List<Map<String, AttributeValue>> left = new ArrayList<>();
                long tableBytes = 0;
                for (Map<String, AttributeValue> key : get.keys()) {
                    if (bytes >= MAX_RESPONSE_BYTES) {
                        left.add(key);
                        continue;
                    }
                    Map<String, AttributeValue> item = ItemStore.read(snapshot, get.table(), key);
                    if (item != null) {
                        long size = ItemSize.of(item);
                        bytes += size;
                        tableBytes += size;
                        found.add(get.projection() == null ? item : Documents.project(item, get.projection()));
                    }
                }
                if (!left.isEmpty()) {
                    KeysAndAttributes original = get.request();
                    unprocessed.put(get.requested(), new KeysAndAttributes(left, original.consistentRead(), original.projectionExpression(),
                            original.expressionAttributeNames(), null));
                }
                ConsumedCapacity consumed = Capacity.read(request.returnConsumedCapacity(), get.table().name(), tableBytes,
                        Boolean.TRUE.equals(get.request().consistentRead()));
                if (consumed != null) {
                    capacity.add(consumed);
                }
            }
        }
        return new BatchGetItemResponse(responses, unprocessed, capacity.isEmpty() ? null : capacity);
    }

    /** The table as the request named it (name or ARN), which the response repeats. */
    private static String requestedName(Map<String, ?> requested, RequestContext context, String name) {
        for (String key : requested.keySet()) {
            if (TableRules.tableName(context, key).equals(name)) {
                return key;
            }
        }
        return name;
    }

    BatchWriteItemResponse batchWriteItem(RequestContext context, BatchWriteItemRequest request) {
        Map<String, List<WriteRequest>> requested = request.requestItems();
        if (requested == null || requested.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        int total = requested.values().stream().mapToInt(l -> l == null ? 0 : l.size()).sum();
        if (total > MAX_WRITES) {
            throw validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                    + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
        }
        boolean metrics = CollectionMetrics.wanted(request.returnItemCollectionMetrics());
        List<ItemChange> changes = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (Map.Entry<String, List<WriteRequest>> entry : requested.entrySet()) {
            String name = TableRules.tableName(context, entry.getKey());
            if (entry.getValue() == null || entry.getValue().isEmpty()) {
                throw validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                        + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
            }
            Table table = tables.require(context, name);
            for (WriteRequest write : entry.getValue()) {
                if (write == null || (write.putRequest() == null) == (write.deleteRequest() == null)) {
                    throw validation("One or more parameter values were invalid: A WriteRequest must contain exactly one of PutRequest and DeleteRequest");
                }
                ItemChange change;
                if (write.putRequest() != null) {
                    Map<String, AttributeValue> item = ItemRequests.requireItem(write.putRequest().item(), "item");
                    ItemKeys.checkItem(table, item);
                    change = new ItemChange(ItemChange.Kind.PUT, name, ItemKeys.keyOf(table.key(), item), item, null, null);
                } else {
                    Map<String, AttributeValue> key = ItemKeys.checkKey(table, write.deleteRequest().key());
                    change = new ItemChange(ItemChange.Kind.DELETE, name, key, null, null, null);
                }
                if (!seen.add(List.of(name, change.key()))) {
                    throw validation("Provided list of item keys contains duplicates");
                }
                changes.add(change);
            }
        }
        Map<String, List<ItemCollectionMetrics>> collections = tables.store().transaction(txn -> {
            Map<String, List<ItemCollectionMetrics>> found = new LinkedHashMap<>();
            for (ItemChange change : changes) {
                ItemChange.Current current = change.read(txn, context);
                change.write(txn, current, writes);
                Table table = current.table();
                if (metrics && !table.localIndexes().isEmpty()) {
                    long size = ItemStats.collectionSize(txn, table, change.key().get(table.key().hash()));
                    found.computeIfAbsent(requestedName(requested, context, change.tableName()), t -> new ArrayList<>())
                            .add(CollectionMetrics.of(table, change.key(), size));
                }
            }
            return found;
        });
        List<ConsumedCapacity> capacity = Capacity.wanted(request.returnConsumedCapacity())
                ? changes.stream().map(ItemChange::tableName).distinct()
                        .map(t -> new ConsumedCapacity(t, (double) changes.stream().filter(c -> c.tableName().equals(t)).count())).toList()
                : null;
        return new BatchWriteItemResponse(Map.of(), capacity, metrics ? collections : null);
    }
}
