package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.ItemModel.CancellationReason;
import io.stratus.dynamodb.ItemModel.ItemResponse;
import io.stratus.dynamodb.ItemModel.TransactGetItem;
import io.stratus.dynamodb.ItemModel.TransactGetItemsRequest;
import io.stratus.dynamodb.ItemModel.TransactGetItemsResponse;
import io.stratus.dynamodb.ItemModel.TransactWriteItem;
import io.stratus.dynamodb.ItemModel.TransactWriteItemsRequest;
import io.stratus.dynamodb.ItemModel.TransactWriteItemsResponse;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Documents;
import io.stratus.dynamodb.expression.ExpressionAttributes;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.storage.Snapshot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TransactWriteItems and TransactGetItems. A write transaction is one store transaction: every
 * condition is tested first and, if any fails, nothing is written and TransactionCanceledException
 * lists a reason per action, as in DynamoDB. A ClientRequestToken makes a write transaction
 * idempotent for ten minutes: the same request again succeeds without writing twice, different
 * parameters under the same token are refused. Thread-safe.
 */
final class TransactOperations {

    private static final int MAX_ITEMS = 100;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final TableStore tables;
    private final Clock clock;
    private final ItemWrites writes;

    TransactOperations(TableStore tables, Clock clock, ItemWrites writes) {
        this.tables = requireNonNull(tables, "tables is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.writes = requireNonNull(writes, "writes is null");
    }

    /**
     * A checked action with what to return when its condition fails.
     *
     * @param failureCode the cancellation reason's code and message when the condition fails
     */
    record Action(ItemChange change, boolean oldOnFailure, String failureCode, String failureMessage) {

        Action(ItemChange change, boolean oldOnFailure) {
            this(change, oldOnFailure, "ConditionalCheckFailed", "The conditional request failed");
        }
    }

    TransactWriteItemsResponse transactWriteItems(RequestContext context, TransactWriteItemsRequest request) {
        List<TransactWriteItem> items = request.transactItems();
        checkCount(items);
        String token = checkToken(request.clientRequestToken());
        boolean metrics = CollectionMetrics.wanted(request.returnItemCollectionMetrics());
        List<Action> actions = new ArrayList<>();
        for (TransactWriteItem item : items) {
            actions.add(action(context, item));
        }
        List<Written> written = commit(context, actions, token, token == null ? null : fingerprint(request));
        Map<String, List<ItemModel.ItemCollectionMetrics>> collections = new LinkedHashMap<>();
        for (Written one : written) {
            if (one.collectionBytes() != null) {
                collections.computeIfAbsent(one.table().name(), t -> new ArrayList<>()).add(CollectionMetrics.of(one.table(), one.key(), one.collectionBytes()));
            }
        }
        return new TransactWriteItemsResponse(null, metrics ? collections : null);
    }

    /**
     * Runs checked actions as one transaction: every condition first, then every write; a failed
     * condition cancels all. A token already applied with the same fingerprint makes this a no-op.
     */
    List<Written> commit(RequestContext context, List<Action> actions, String token, byte[] fingerprint) {
        Set<List<Object>> seen = new HashSet<>();
        for (Action action : actions) {
            if (!seen.add(List.of(action.change().tableName(), action.change().key()))) {
                throw validation("Transaction request cannot include multiple operations on one item");
            }
        }
        long now = clock.millis();
        return tables.store().transaction(txn -> {
            if (token != null && RequestTokens.alreadyApplied(txn, context.accountId(), context.region(), token, fingerprint, now)) {
                return List.<Written>of();
            }
            List<ItemChange.Current> currents = new ArrayList<>();
            List<CancellationReason> reasons = new ArrayList<>();
            boolean failed = false;
            for (Action action : actions) {
                ItemChange.Current current = action.change().read(txn, context);
                currents.add(current);
                if (current.satisfies(action.change().condition())) {
                    reasons.add(new CancellationReason(null, "None", null));
                } else {
                    failed = true;
                    reasons.add(new CancellationReason(action.oldOnFailure() ? current.item() : null, action.failureCode(), action.failureMessage()));
                }
            }
            if (failed) {
                throw canceled(reasons);
            }
            List<Written> written = new ArrayList<>();
            for (int i = 0; i < actions.size(); i++) {
                try {
                    ItemChange change = actions.get(i).change();
                    change.write(txn, currents.get(i), writes);
                    Table table = currents.get(i).table();
                    Long size = change.kind() == ItemChange.Kind.CHECK || table.localIndexes().isEmpty()
                            ? null : ItemStats.collectionSize(txn, table, change.key().get(table.key().hash()));
                    written.add(new Written(table, change.key(), size));
                } catch (AwsException e) {
                    if (e.errorCode() != DynamoDbErrors.VALIDATION && e.errorCode() != DynamoDbErrors.ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED) {
                        throw e;
                    }
                    String code = e.errorCode() == DynamoDbErrors.VALIDATION ? "ValidationError" : "ItemCollectionSizeLimitExceeded";
                    // What only the write finds wrong (an update that outgrows 400 KB, a type
                    // clash) cancels the transaction with that action's reason, as in DynamoDB.
                    List<CancellationReason> validation = new ArrayList<>();
                    for (int j = 0; j < actions.size(); j++) {
                        validation.add(j == i ? new CancellationReason(null, code, e.getMessage()) : new CancellationReason(null, "None", null));
                    }
                    throw canceled(validation);
                }
            }
            return written;
        });
    }

    /** An action's item after its transaction, with its collection's size on a table with local secondary indexes (else null). */
    record Written(Table table, Map<String, AttributeValue> key, Long collectionBytes) {}

    TransactGetItemsResponse transactGetItems(RequestContext context, TransactGetItemsRequest request) {
        List<TransactGetItem> items = request.transactItems();
        checkCount(items);
        record Get(Table table, Map<String, AttributeValue> key, List<Path> projection) {}
        List<Get> gets = new ArrayList<>();
        for (TransactGetItem item : items) {
            if (item == null || item.get() == null) {
                throw validation("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
            }
            var get = item.get();
            String name = TableRules.tableName(context, get.tableName());
            var attributes = new ExpressionAttributes(get.expressionAttributeNames(), null, get.projectionExpression() != null);
            List<Path> projection = ItemRequests.projection(get.projectionExpression(), attributes);
            attributes.checkAllUsed();
            Table table = tables.require(context, name);
            gets.add(new Get(table, ItemKeys.checkKey(table, get.key()), projection));
        }
        List<ItemResponse> responses = new ArrayList<>();
        try (Snapshot snapshot = tables.store().snapshot()) {
            for (Get get : gets) {
                Map<String, AttributeValue> item = ItemStore.read(snapshot, get.table(), get.key());
                if (item != null && get.projection() != null) {
                    item = Documents.project(item, get.projection());
                }
                responses.add(new ItemResponse(item));
            }
        }
        return new TransactGetItemsResponse(responses, null);
    }

    private Action action(RequestContext context, TransactWriteItem item) {
        int kinds = item == null ? 0 : (item.conditionCheck() != null ? 1 : 0) + (item.put() != null ? 1 : 0)
                + (item.delete() != null ? 1 : 0) + (item.update() != null ? 1 : 0);
        if (kinds != 1) {
            throw validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        if (item.conditionCheck() != null) {
            var check = item.conditionCheck();
            if (check.conditionExpression() == null) {
                throw validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
            }
            Table table = tables.require(context, TableRules.tableName(context, check.tableName()));
            var attributes = new ExpressionAttributes(check.expressionAttributeNames(), check.expressionAttributeValues(), true);
            Condition condition = ItemRequests.condition(check.conditionExpression(), "ConditionExpression", attributes);
            attributes.checkAllUsed();
            return new Action(new ItemChange(ItemChange.Kind.CHECK, table.name(), ItemKeys.checkKey(table, check.key()), null, null, condition),
                    ItemRequests.returnOldOnFailure(check.returnValuesOnConditionCheckFailure()));
        }
        if (item.put() != null) {
            var put = item.put();
            Table table = tables.require(context, TableRules.tableName(context, put.tableName()));
            var attributes = new ExpressionAttributes(put.expressionAttributeNames(), put.expressionAttributeValues(), put.conditionExpression() != null);
            Condition condition = ItemRequests.condition(put.conditionExpression(), "ConditionExpression", attributes);
            attributes.checkAllUsed();
            Map<String, AttributeValue> value = ItemRequests.requireItem(put.item(), "item");
            ItemKeys.checkItem(table, value);
            return new Action(new ItemChange(ItemChange.Kind.PUT, table.name(), ItemKeys.keyOf(table.key(), value), value, null, condition),
                    ItemRequests.returnOldOnFailure(put.returnValuesOnConditionCheckFailure()));
        }
        if (item.delete() != null) {
            var delete = item.delete();
            Table table = tables.require(context, TableRules.tableName(context, delete.tableName()));
            var attributes = new ExpressionAttributes(delete.expressionAttributeNames(), delete.expressionAttributeValues(), delete.conditionExpression() != null);
            Condition condition = ItemRequests.condition(delete.conditionExpression(), "ConditionExpression", attributes);
            attributes.checkAllUsed();
            return new Action(new ItemChange(ItemChange.Kind.DELETE, table.name(), ItemKeys.checkKey(table, delete.key()), null, null, condition),
                    ItemRequests.returnOldOnFailure(delete.returnValuesOnConditionCheckFailure()));
        }
        var update = item.update();
        if (update.updateExpression() == null) {
            throw validation("1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null");
        }
        Table table = tables.require(context, TableRules.tableName(context, update.tableName()));
        var attributes = new ExpressionAttributes(update.expressionAttributeNames(), update.expressionAttributeValues(), true);
        var actions = ItemRequests.update(update.updateExpression(), attributes, table);
        Condition condition = ItemRequests.condition(update.conditionExpression(), "ConditionExpression", attributes);
        attributes.checkAllUsed();
        return new Action(new ItemChange(ItemChange.Kind.UPDATE, table.name(), ItemKeys.checkKey(table, update.key()), null, actions, condition),
                ItemRequests.returnOldOnFailure(update.returnValuesOnConditionCheckFailure()));
    }

    static String checkToken(String token) {
        if (token != null && (token.isEmpty() || token.length() > 36 || !ItemKeys.isValidUnicode(token))) {
            throw validation("1 validation error detected: Value '%s' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36", token);
        }
        return token;
    }

    static void checkCount(List<?> items) {
        if (items == null || items.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (items.size() > MAX_ITEMS) {
            throw validation("1 validation error detected: Value '[...]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        }
    }

    static AwsException canceled(List<CancellationReason> reasons) {
        String codes = reasons.stream().map(CancellationReason::code).collect(Collectors.joining(", ", "[", "]"));
        return new AwsException(DynamoDbErrors.TRANSACTION_CANCELED,
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes,
                Map.of(), Map.of("CancellationReasons", reasons), null);
    }

    /** What identifies a request's parameters: a digest of its JSON form. */
    static byte[] fingerprint(Object request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(request));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint a transaction", e);
        }
    }
}
