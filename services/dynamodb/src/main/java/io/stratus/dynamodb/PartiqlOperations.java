package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.ItemModel.ConsumedCapacity;
import io.stratus.dynamodb.ItemModel.ItemResponse;
import io.stratus.dynamodb.ItemModel.ReadResponse;
import io.stratus.dynamodb.PartiqlModel.BatchExecuteStatementRequest;
import io.stratus.dynamodb.PartiqlModel.BatchExecuteStatementResponse;
import io.stratus.dynamodb.PartiqlModel.BatchStatementError;
import io.stratus.dynamodb.PartiqlModel.BatchStatementRequest;
import io.stratus.dynamodb.PartiqlModel.BatchStatementResponse;
import io.stratus.dynamodb.PartiqlModel.ExecuteStatementRequest;
import io.stratus.dynamodb.PartiqlModel.ExecuteStatementResponse;
import io.stratus.dynamodb.PartiqlModel.ExecuteTransactionRequest;
import io.stratus.dynamodb.PartiqlModel.ExecuteTransactionResponse;
import io.stratus.dynamodb.PartiqlModel.ParameterizedStatement;
import io.stratus.dynamodb.expression.ConditionEvaluator;
import io.stratus.dynamodb.expression.Documents;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.dynamodb.partiql.PartiqlParser;
import io.stratus.dynamodb.partiql.Statement;
import io.stratus.storage.Snapshot;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL statements parsed by
 * {@link PartiqlParser}, planned by {@link PartiqlPlans}, and run by the same code as the item
 * operations — a SELECT is a Query or Scan page, a write is an {@link ItemChange} committed in its
 * own store transaction (with its stream record, index entries and expiry entry), and a
 * transaction is TransactWriteItems' commit. Thread-safe.
 */
final class PartiqlOperations {

    private static final int MAX_BATCH = 25;
    private static final int MAX_TRANSACTION = 100;

    private final TableStore tables;
    private final ItemWrites writes;
    private final ReadOperations reads;
    private final TransactOperations transactions;

    PartiqlOperations(TableStore tables, ItemWrites writes, ReadOperations reads, TransactOperations transactions) {
        this.tables = requireNonNull(tables, "tables is null");
        this.writes = requireNonNull(writes, "writes is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
    }

    ExecuteStatementResponse executeStatement(RequestContext context, ExecuteStatementRequest request) {
        Statement statement = PartiqlParser.parse(request.statement(), request.parameters());
        boolean oldOnFailure = ItemRequests.returnOldOnFailure(request.returnValuesOnConditionCheckFailure());
        if (statement instanceof Statement.Select select) {
            PartiqlPlans.Read plan = PartiqlPlans.read(context, tables, select);
            Map<String, AttributeValue> start = request.nextToken() == null ? null : decodeToken(request.nextToken());
            ReadResponse page = reads.select(plan.table(), plan.index(), plan.keyCondition(), plan.filter(), plan.projection(), plan.reverse(),
                    request.limit(), start, Boolean.TRUE.equals(request.consistentRead()), request.returnConsumedCapacity());
            return new ExecuteStatementResponse(page.items(), page.lastEvaluatedKey() == null ? null : encodeToken(page.lastEvaluatedKey()),
                    page.consumedCapacity(), page.lastEvaluatedKey());
        }
        if (statement instanceof Statement.Exists) {
            throw validation("EXISTS is supported only in ExecuteTransaction");
        }
        if (request.limit() != null || request.nextToken() != null) {
            throw validation("%s is supported only for SELECT statements", request.limit() != null ? "Limit" : "NextToken");
        }
        PartiqlPlans.Write write = PartiqlPlans.write(context, tables, statement);
        Outcome outcome = commit(context, write, oldOnFailure);
        Map<String, AttributeValue> returned = switch (write.returning()) {
            case "ALL_OLD" -> outcome.old();
            case "ALL_NEW" -> outcome.item();
            case "UPDATED_OLD" -> outcome.old() == null ? null : Documents.project(outcome.old(), write.updatedPaths());
            case "UPDATED_NEW" -> outcome.item() == null ? null : Documents.project(outcome.item(), write.updatedPaths());
            default -> null;
        };
        return new ExecuteStatementResponse(returned == null || returned.isEmpty() ? List.of() : List.of(returned), null,
                Capacity.write(request.returnConsumedCapacity(), write.table().name(), outcome.old(), outcome.item()), null);
    }

    BatchExecuteStatementResponse batchExecuteStatement(RequestContext context, BatchExecuteStatementRequest request) {
        List<BatchStatementRequest> statements = request.statements();
        if (statements == null || statements.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (statements.size() > MAX_BATCH) {
            throw validation("1 validation error detected: Value '[...]' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25");
        }
        List<Object> parsed = new ArrayList<>();
        boolean anyRead = false;
        boolean anyWrite = false;
        for (BatchStatementRequest statement : statements) {
            if (statement == null || statement.statement() == null) {
                throw validation("1 validation error detected: Value null at 'statements.member.statement' failed to satisfy constraint: Member must not be null");
            }
            try {
                Statement one = PartiqlParser.parse(statement.statement(), statement.parameters());
                if (one instanceof Statement.Exists) {
                    throw validation("EXISTS is supported only in ExecuteTransaction");
                }
                anyRead |= one.isRead();
                anyWrite |= !one.isRead();
                parsed.add(one);
            } catch (AwsException e) {
                parsed.add(e);
            }
        }
        if (anyRead && anyWrite) {
            throw validation("Supplied batch contains both read and write statements");
        }
        List<BatchStatementResponse> responses = new ArrayList<>();
        Map<String, Double> units = new LinkedHashMap<>();
        try (Snapshot snapshot = tables.store().snapshot()) {
            for (int i = 0; i < parsed.size(); i++) {
                Object one = parsed.get(i);
                if (one instanceof AwsException e) {
                    responses.add(new BatchStatementResponse(new BatchStatementError(reasonCode(e), e.getMessage(), null), null, null));
                    continue;
                }
                Statement statement = (Statement) one;
                try {
                    if (statement instanceof Statement.Select select) {
                        PartiqlPlans.Read plan = PartiqlPlans.read(context, tables, select);
                        Map<String, AttributeValue> item = get(snapshot, plan);
                        units.merge(plan.table().name(), Math.max(1.0, Math.ceil((item == null ? 0 : ItemSize.of(item)) / 4096.0)), Double::sum);
                        responses.add(new BatchStatementResponse(null, plan.table().name(), item));
                    } else {
                        PartiqlPlans.Write write = PartiqlPlans.write(context, tables, statement);
                        Outcome outcome = commit(context, write, ItemRequests.returnOldOnFailure(statements.get(i).returnValuesOnConditionCheckFailure()));
                        units.merge(write.table().name(), Capacity.write("TOTAL", write.table().name(), outcome.old(), outcome.item()).capacityUnits(),
                                Double::sum);
                        responses.add(new BatchStatementResponse(null, write.table().name(), null));
                    }
                } catch (AwsException e) {
                    Map<String, AttributeValue> item = e.errorCode() == DynamoDbErrors.CONDITIONAL_CHECK_FAILED && e.structuredDetails().get("Item") instanceof Map<?, ?> old
                            ? castItem(old) : null;
                    responses.add(new BatchStatementResponse(new BatchStatementError(reasonCode(e), e.getMessage(), item), statement.table(), null));
                }
            }
        }
        List<ConsumedCapacity> capacity = Capacity.wanted(request.returnConsumedCapacity())
                ? units.entrySet().stream().map(e -> new ConsumedCapacity(e.getKey(), e.getValue())).toList()
                : null;
        return new BatchExecuteStatementResponse(responses, capacity);
    }

    ExecuteTransactionResponse executeTransaction(RequestContext context, ExecuteTransactionRequest request) {
        List<ParameterizedStatement> statements = request.transactStatements();
        if (statements == null || statements.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (statements.size() > MAX_TRANSACTION) {
            throw validation("1 validation error detected: Value '[...]' at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100");
        }
        String token = TransactOperations.checkToken(request.clientRequestToken());
        List<Statement> parsed = new ArrayList<>();
        for (ParameterizedStatement statement : statements) {
            if (statement == null || statement.statement() == null) {
                throw validation("1 validation error detected: Value null at 'transactStatements.member.statement' failed to satisfy constraint: Member must not be null");
            }
            parsed.add(PartiqlParser.parse(statement.statement(), statement.parameters()));
        }
        long readCount = parsed.stream().filter(Statement::isRead).count();
        if (readCount > 0 && readCount < parsed.size()) {
            throw validation("Transaction must contain either all read statements or all write statements");
        }
        if (readCount > 0) {
            // The SDKs fill in a ClientRequestToken on every call; reads need no idempotency.
            List<PartiqlPlans.Read> plans = new ArrayList<>();
            for (Statement statement : parsed) {
                plans.add(PartiqlPlans.read(context, tables, (Statement.Select) statement));
            }
            List<ItemResponse> responses = new ArrayList<>();
            try (Snapshot snapshot = tables.store().snapshot()) {
                for (PartiqlPlans.Read plan : plans) {
                    responses.add(new ItemResponse(get(snapshot, plan)));
                }
            }
            return new ExecuteTransactionResponse(responses, null);
        }
        List<TransactOperations.Action> actions = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            PartiqlPlans.Write write = PartiqlPlans.write(context, tables, parsed.get(i));
            if (!write.returning().equals("NONE")) {
                throw validation("RETURNING is not supported in ExecuteTransaction");
            }
            actions.add(new TransactOperations.Action(write.change(),
                    ItemRequests.returnOldOnFailure(statements.get(i).returnValuesOnConditionCheckFailure()), write.failureCode(), write.failureMessage()));
        }
        transactions.commit(context, actions, token, token == null ? null : TransactOperations.fingerprint(request));
        return new ExecuteTransactionResponse(null, null);
    }

    /** The item a batch or transaction SELECT names by its full key, filtered and projected; null when absent or filtered out. */
    private static Map<String, AttributeValue> get(Snapshot snapshot, PartiqlPlans.Read plan) {
        if (plan.fullKey() == null) {
            throw validation("Batch and transaction SELECT statements must name one item of a table with equalities on its full primary key");
        }
        Map<String, AttributeValue> item = ItemStore.read(snapshot, plan.table(), ItemKeys.checkKey(plan.table(), plan.fullKey()));
        if (item == null || plan.filter() != null && !ConditionEvaluator.test(plan.filter(), item)) {
            return null;
        }
        return plan.projection() == null ? item : Documents.project(item, plan.projection());
    }

    private record Outcome(Map<String, AttributeValue> old, Map<String, AttributeValue> item) {}

    private Outcome commit(RequestContext context, PartiqlPlans.Write write, boolean oldOnFailure) {
        return tables.store().transaction(txn -> {
            ItemChange.Current current = write.change().read(txn, context);
            if (!current.satisfies(write.change().condition())) {
                throw write.failure(oldOnFailure ? current.item() : null);
            }
            return new Outcome(current.item(), write.change().write(txn, current, writes));
        });
    }

    /** The error code of a BatchStatementError, as DynamoDB's BatchStatementErrorCodeEnum names it. */
    private static String reasonCode(AwsException e) {
        String code = e.errorCode().code();
        return switch (code) {
            case "ValidationException" -> "ValidationError";
            default -> code.endsWith("Exception") ? code.substring(0, code.length() - "Exception".length()) : code;
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue> castItem(Map<?, ?> item) {
        return (Map<String, AttributeValue>) item;
    }

    private static String encodeToken(Map<String, AttributeValue> lastEvaluatedKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ItemStore.encode(lastEvaluatedKey));
    }

    private static Map<String, AttributeValue> decodeToken(String token) {
        try {
            return ItemStore.decode(Base64.getUrlDecoder().decode(token));
        } catch (RuntimeException e) {
            throw validation("The provided NextToken is not valid");
        }
    }
}
