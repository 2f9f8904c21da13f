package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.ItemModel.DeleteItemRequest;
import io.stratus.dynamodb.ItemModel.DeleteItemResponse;
import io.stratus.dynamodb.ItemModel.GetItemRequest;
import io.stratus.dynamodb.ItemModel.GetItemResponse;
import io.stratus.dynamodb.ItemModel.ItemCollectionMetrics;
import io.stratus.dynamodb.ItemModel.PutItemRequest;
import io.stratus.dynamodb.ItemModel.PutItemResponse;
import io.stratus.dynamodb.ItemModel.UpdateItemRequest;
import io.stratus.dynamodb.ItemModel.UpdateItemResponse;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Documents;
import io.stratus.dynamodb.expression.ExpressionAttributes;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PutItem, GetItem, UpdateItem, DeleteItem. Each write is one store transaction that reads the
 * table and the item, tests the condition and writes the item with its index entries, so
 * conditional writes are atomic under concurrency. Reads are always strongly consistent.
 * Thread-safe.
 */
final class ItemOperations {

    private static final Set<String> PUT_RETURN_VALUES = Set.of("NONE", "ALL_OLD");
    private static final Set<String> UPDATE_RETURN_VALUES = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");

    private final TableStore tables;
    private final ItemWrites writes;

    ItemOperations(TableStore tables, ItemWrites writes) {
        this.tables = requireNonNull(tables, "tables is null");
        this.writes = requireNonNull(writes, "writes is null");
    }

    PutItemResponse putItem(RequestContext context, PutItemRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        ItemRequests.refuseLegacy("Expected", request.expected());
        ItemRequests.refuseLegacy("ConditionalOperator", request.conditionalOperator());
        Map<String, AttributeValue> item = ItemRequests.requireItem(request.item(), "item");
        String returnValues = ItemRequests.returnValues(request.returnValues(), PUT_RETURN_VALUES);
        boolean oldOnFailure = ItemRequests.returnOldOnFailure(request.returnValuesOnConditionCheckFailure());
        boolean metrics = CollectionMetrics.wanted(request.returnItemCollectionMetrics());
        var attributes = new ExpressionAttributes(request.expressionAttributeNames(), request.expressionAttributeValues(), request.conditionExpression() != null);
        Condition condition = ItemRequests.condition(request.conditionExpression(), "ConditionExpression", attributes);
        attributes.checkAllUsed();
        Table table = tables.require(context, name);
        ItemKeys.checkItem(table, item);
        var change = new ItemChange(ItemChange.Kind.PUT, name, ItemKeys.keyOf(table.key(), item), item, null, condition);
        Outcome outcome = commit(context, change, oldOnFailure, metrics);
        Map<String, AttributeValue> old = outcome.old();
        return new PutItemResponse(returnValues.equals("ALL_OLD") ? old : null,
                Capacity.write(request.returnConsumedCapacity(), name, old, item), outcome.metrics());
    }

    GetItemResponse getItem(RequestContext context, GetItemRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        ItemRequests.refuseLegacy("AttributesToGet", request.attributesToGet());
        var attributes = new ExpressionAttributes(request.expressionAttributeNames(), null, request.projectionExpression() != null);
        List<Path> projection = ItemRequests.projection(request.projectionExpression(), attributes);
        attributes.checkAllUsed();
        Table table = tables.require(context, name);
        Map<String, AttributeValue> key = ItemKeys.checkKey(table, request.key());
        Map<String, AttributeValue> item = ItemStore.read(tables.store(), table, key);
        long size = item == null ? 0 : ItemSize.of(item);
        if (item != null && projection != null) {
            item = Documents.project(item, projection);
        }
        return new GetItemResponse(item, Capacity.read(request.returnConsumedCapacity(), name, size, Boolean.TRUE.equals(request.consistentRead())));
    }

    UpdateItemResponse updateItem(RequestContext context, UpdateItemRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        ItemRequests.refuseLegacy("AttributeUpdates", request.attributeUpdates());
        ItemRequests.refuseLegacy("Expected", request.expected());
        ItemRequests.refuseLegacy("ConditionalOperator", request.conditionalOperator());
        String returnValues = ItemRequests.returnValues(request.returnValues(), UPDATE_RETURN_VALUES);
        boolean oldOnFailure = ItemRequests.returnOldOnFailure(request.returnValuesOnConditionCheckFailure());
        boolean metrics = CollectionMetrics.wanted(request.returnItemCollectionMetrics());
        Table table = tables.require(context, name);
        var attributes = new ExpressionAttributes(request.expressionAttributeNames(), request.expressionAttributeValues(),
                request.conditionExpression() != null || request.updateExpression() != null);
        List<UpdateAction> actions = ItemRequests.update(request.updateExpression(), attributes, table);
        Condition condition = ItemRequests.condition(request.conditionExpression(), "ConditionExpression", attributes);
        attributes.checkAllUsed();
        Map<String, AttributeValue> key = ItemKeys.checkKey(table, request.key());
        var change = new ItemChange(ItemChange.Kind.UPDATE, name, key, null, actions, condition);
        Outcome outcome = commit(context, change, oldOnFailure, metrics);
        Map<String, AttributeValue> old = outcome.old();
        Map<String, AttributeValue> updated = outcome.item();
        List<Path> paths = actions.stream().map(UpdateAction::path).toList();
        Map<String, AttributeValue> returned = switch (returnValues) {
            case "ALL_OLD" -> old;
            case "ALL_NEW" -> updated;
            case "UPDATED_OLD" -> old == null ? null : Documents.project(old, paths);
            case "UPDATED_NEW" -> Documents.project(updated, paths);
            default -> null;
        };
        return new UpdateItemResponse(returned == null || returned.isEmpty() ? null : returned,
                Capacity.write(request.returnConsumedCapacity(), name, old, updated), outcome.metrics());
    }

    DeleteItemResponse deleteItem(RequestContext context, DeleteItemRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        ItemRequests.refuseLegacy("Expected", request.expected());
        ItemRequests.refuseLegacy("ConditionalOperator", request.conditionalOperator());
        String returnValues = ItemRequests.returnValues(request.returnValues(), PUT_RETURN_VALUES);
        boolean oldOnFailure = ItemRequests.returnOldOnFailure(request.returnValuesOnConditionCheckFailure());
        boolean metrics = CollectionMetrics.wanted(request.returnItemCollectionMetrics());
        var attributes = new ExpressionAttributes(request.expressionAttributeNames(), request.expressionAttributeValues(), request.conditionExpression() != null);
        Condition condition = ItemRequests.condition(request.conditionExpression(), "ConditionExpression", attributes);
        attributes.checkAllUsed();
        Table table = tables.require(context, name);
        Map<String, AttributeValue> key = ItemKeys.checkKey(table, request.key());
        var change = new ItemChange(ItemChange.Kind.DELETE, name, key, null, null, condition);
        Outcome outcome = commit(context, change, oldOnFailure, metrics);
        Map<String, AttributeValue> old = outcome.old();
        return new DeleteItemResponse(returnValues.equals("ALL_OLD") ? old : null,
                Capacity.write(request.returnConsumedCapacity(), name, old, null), outcome.metrics());
    }

    /**
     * The item before and after a change; either is null when there was or is no item.
     *
     * @param metrics the item collection's metrics when asked for on a table with local secondary indexes, else null
     */
    private record Outcome(Map<String, AttributeValue> old, Map<String, AttributeValue> item, ItemCollectionMetrics metrics) {}

    /** Applies one change in its own transaction. */
    private Outcome commit(RequestContext context, ItemChange change, boolean oldOnFailure, boolean metrics) {
        return tables.store().transaction(txn -> {
            ItemChange.Current current = change.read(txn, context);
            if (!current.satisfies(change.condition())) {
                throw conditionFailed(oldOnFailure ? current.item() : null);
            }
            Map<String, AttributeValue> written = change.write(txn, current, writes);
            Table table = current.table();
            ItemCollectionMetrics collection = metrics && !table.localIndexes().isEmpty()
                    ? CollectionMetrics.of(table, change.key(), ItemStats.collectionSize(txn, table, change.key().get(table.key().hash())))
                    : null;
            return new Outcome(current.item(), written, collection);
        });
    }

    static AwsException conditionFailed(Map<String, AttributeValue> item) {
        Map<String, Object> members = item == null ? Map.of() : Map.of("Item", item);
        return new AwsException(DynamoDbErrors.CONDITIONAL_CHECK_FAILED, "The conditional request failed", Map.of(), members, null);
    }
}
