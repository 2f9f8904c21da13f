package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.ItemModel.CancellationReason;
import io.stratus.dynamodb.ItemModel.ConsumedCapacity;
import io.stratus.dynamodb.ItemModel.ItemResponse;
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
import io.stratus.dynamodb.expression.Documents;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.dynamodb.partiql.PartiqlParser;
import io.stratus.dynamodb.partiql.Statement;
import io.stratus.storage.Snapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
            byte[] fingerprint = fingerprint(request.statement(), request.parameters());
            int segment = 0;
            Map<String, AttributeValue> start = null;
            if (request.nextToken() != null) {
                Token token = decodeToken(request.nextToken(), fingerprint);
                segment = token.segment();
                start = token.lastEvaluatedKey();
            }
            ReadOperations.SelectPage page = reads.select(plan.table(), plan.index(), plan.segments(), plan.filter(), plan.projection(),
                    request.limit(), segment, start, Boolean.TRUE.equals(request.consistentRead()), request.returnConsumedCapacity());
            String next = page.lastEvaluatedKey() == null ? null : encodeToken(fingerprint, page.segment(), page.lastEvaluatedKey());
            return new ExecuteStatementResponse(page.items(), next, page.consumedCapacity(), page.lastEvaluatedKey());
        }
        if (statement instanceof Statement.Exists) {
            throw validation("EXISTS can only be used in ExecuteTransaction write requests.");
        }
        if (request.limit() != null || request.nextToken() != null) {
            throw validation("%s is supported only for SELECT statements", request.limit() != null ? "Limit" : "NextToken");
        }
        PartiqlPlans.Write write = PartiqlPlans.write(context, tables, statement, false);
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
        checkCount(statements, "statements", MAX_BATCH);
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
                    throw validation("EXISTS can only be used in ExecuteTransaction write requests.");
                }
                anyRead |= one.isRead();
                anyWrite |= !one.isRead();
                parsed.add(one);
            } catch (AwsException e) {
                parsed.add(e);
            }
        }
        if (anyRead && anyWrite) {
            throw validation("Read and write requests together in the same batch is not supported.");
        }
        // Plan every statement first: what is refused before it runs has no TableName in its
        // response, and two statements naming one item refuse the whole batch, as in DynamoDB.
        BatchStatementResponse[] responses = new BatchStatementResponse[parsed.size()];
        Object[] plans = new Object[parsed.size()];
        Set<List<Object>> targets = new HashSet<>();
        for (int i = 0; i < parsed.size(); i++) {
            Object one = parsed.get(i);
            if (one instanceof AwsException e) {
                responses[i] = new BatchStatementResponse(new BatchStatementError(reasonCode(e), e.getMessage(), null), null, null);
                continue;
            }
            Statement statement = (Statement) one;
            try {
                Object plan = statement instanceof Statement.Select select
                        ? PartiqlPlans.readOne(context, tables, select, "BatchExecuteStatement")
                        : PartiqlPlans.write(context, tables, statement, false);
                List<Object> target = plan instanceof PartiqlPlans.ReadOne read
                        ? List.of(read.table().name(), read.key())
                        : List.of(((PartiqlPlans.Write) plan).table().name(), ((PartiqlPlans.Write) plan).change().key());
                if (!targets.add(target)) {
                    throw validation("Provided list of item keys contains duplicates");
                }
                plans[i] = plan;
            } catch (AwsException e) {
                if (e.getMessage().equals("Provided list of item keys contains duplicates")) {
                    throw e;
                }
                String table = e.errorCode() == DynamoDbErrors.RESOURCE_NOT_FOUND ? statement.table() : null;
                responses[i] = new BatchStatementResponse(new BatchStatementError(reasonCode(e), e.getMessage(), null), table, null);
            }
        }
        Map<String, Double> units = new LinkedHashMap<>();
        try (Snapshot snapshot = tables.store().snapshot()) {
            for (int i = 0; i < plans.length; i++) {
                if (plans[i] instanceof PartiqlPlans.ReadOne plan) {
                    Map<String, AttributeValue> item = get(snapshot, plan);
                    units.merge(plan.table().name(), Math.max(1.0, Math.ceil((item == null ? 0 : ItemSize.of(item)) / 4096.0)), Double::sum);
                    responses[i] = new BatchStatementResponse(null, plan.table().name(), item);
                } else if (plans[i] instanceof PartiqlPlans.Write write) {
                    try {
                        Outcome outcome = commit(context, write, ItemRequests.returnOldOnFailure(statements.get(i).returnValuesOnConditionCheckFailure()));
                        units.merge(write.table().name(), Capacity.write("TOTAL", write.table().name(), outcome.old(), outcome.item()).capacityUnits(),
                                Double::sum);
                        responses[i] = new BatchStatementResponse(null, write.table().name(), null);
                    } catch (AwsException e) {
                        Map<String, AttributeValue> item = e.errorCode() == DynamoDbErrors.CONDITIONAL_CHECK_FAILED
                                && e.structuredDetails().get("Item") instanceof Map<?, ?> old ? castItem(old) : null;
                        responses[i] = new BatchStatementResponse(new BatchStatementError(reasonCode(e), e.getMessage(), item), write.table().name(), null);
                    }
                }
            }
        }
        List<ConsumedCapacity> capacity = Capacity.wanted(request.returnConsumedCapacity())
                ? units.entrySet().stream().map(e -> new ConsumedCapacity(e.getKey(), e.getValue())).toList()
                : null;
        return new BatchExecuteStatementResponse(List.of(responses), capacity);
    }

    ExecuteTransactionResponse executeTransaction(RequestContext context, ExecuteTransactionRequest request) {
        List<ParameterizedStatement> statements = request.transactStatements();
        checkCount(statements, "transactStatements", MAX_TRANSACTION);
        String token = TransactOperations.checkToken(request.clientRequestToken());
        List<Statement> parsed = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            ParameterizedStatement statement = statements.get(i);
            if (statement == null || statement.statement() == null) {
                throw validation("1 validation error detected: Value null at 'transactStatements.member.statement' failed to satisfy constraint: Member must not be null");
            }
            int at = i;
            parsed.add(inStatement(at, () -> PartiqlParser.parse(statement.statement(), statement.parameters())));
        }
        long readCount = parsed.stream().filter(Statement::isRead).count();
        if (readCount > 0 && readCount < parsed.size()) {
            throw validation("ExecuteTransaction API does not support both read and write operations in the same request.");
        }
        List<CancellationReason> reasons = new ArrayList<>();
        boolean canceled = false;
        if (readCount > 0) {
            // The SDKs fill in a ClientRequestToken on every call; reads need no idempotency.
            List<PartiqlPlans.ReadOne> plans = new ArrayList<>();
            for (int i = 0; i < parsed.size(); i++) {
                Statement.Select select = (Statement.Select) parsed.get(i);
                try {
                    plans.add(inStatement(i, () -> PartiqlPlans.readOne(context, tables, select, "ExecuteTransaction")));
                    reasons.add(new CancellationReason(null, "None", null));
                } catch (Canceling e) {
                    plans.add(null);
                    reasons.add(e.reason());
                    canceled = true;
                }
            }
            if (canceled) {
                throw TransactOperations.canceled(reasons);
            }
            Set<List<Object>> seen = new HashSet<>();
            for (PartiqlPlans.ReadOne plan : plans) {
                if (!seen.add(List.of(plan.table().name(), plan.key()))) {
                    throw validation("Transaction request cannot include multiple operations on one item");
                }
            }
            List<ItemResponse> responses = new ArrayList<>();
            try (Snapshot snapshot = tables.store().snapshot()) {
                for (PartiqlPlans.ReadOne plan : plans) {
                    responses.add(new ItemResponse(get(snapshot, plan)));
                }
            }
            return new ExecuteTransactionResponse(responses, null);
        }
        List<TransactOperations.Action> actions = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Statement statement = parsed.get(i);
            try {
                PartiqlPlans.Write write = inStatement(i, () -> PartiqlPlans.write(context, tables, statement, true));
                if (!write.returning().equals("NONE")) {
                    throw validation("Validation failed in TransactStatements[%d]: RETURNING clause is not supported in ExecuteTransaction.", i);
                }
                actions.add(new TransactOperations.Action(write.change(),
                        ItemRequests.returnOldOnFailure(statements.get(i).returnValuesOnConditionCheckFailure()), write.failureCode(), write.failureMessage()));
                reasons.add(new CancellationReason(null, "None", null));
            } catch (Canceling e) {
                reasons.add(e.reason());
                canceled = true;
            }
        }
        if (canceled) {
            throw TransactOperations.canceled(reasons);
        }
        transactions.commit(context, actions, token, token == null ? null : TransactOperations.fingerprint(request));
        return new ExecuteTransactionResponse(null, null);
    }

    /** A statement's error that cancels its transaction with a reason, rather than refusing the request. */
    private static final class Canceling extends RuntimeException {
        private final transient CancellationReason reason;

        Canceling(AwsException e) {
            super(e.getMessage(), null, false, false);
            this.reason = new CancellationReason(null, reasonCode(e), e.getMessage());
        }

        CancellationReason reason() {
            return reason;
        }
    }

    /**
     * Runs one statement's step of a transaction: a ValidationException names the statement
     * ("Validation failed in TransactStatements[i]: …"), as DynamoDB words it, except the errors
     * that cancel the transaction with a reason for that statement.
     */
    private static <T> T inStatement(int index, Supplier<T> step) {
        try {
            return step.get();
        } catch (AwsException e) {
            if (PartiqlPlans.cancelsTransaction(e)) {
                throw new Canceling(e);
            }
            if (e.errorCode() == DynamoDbErrors.VALIDATION) {
                throw validation("Validation failed in TransactStatements[%d]: %s", index, e.getMessage());
            }
            throw e;
        }
    }

    private static void checkCount(List<?> statements, String member, int max) {
        if (statements == null) {
            throw validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        if (statements.isEmpty()) {
            throw validation("1 validation error detected: Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1",
                    member);
        }
        if (statements.size() > max) {
            throw validation("1 validation error detected: Value '[...]' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d",
                    member, max);
        }
    }

    /** The item a batch or transaction SELECT names, projected; null when absent. */
    private static Map<String, AttributeValue> get(Snapshot snapshot, PartiqlPlans.ReadOne plan) {
        Map<String, AttributeValue> item = ItemStore.read(snapshot, plan.table(), plan.key());
        if (item == null) {
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

    /** Where a SELECT's next page starts: the segment being read and the last key read in it. */
    private record Token(int segment, Map<String, AttributeValue> lastEvaluatedKey) {}

    private static final byte TOKEN_VERSION = 1;
    private static final int FINGERPRINT_BYTES = 8;

    /** What ties a NextToken to its statement: a hash of the statement and its parameters. */
    private static byte[] fingerprint(String statement, List<AttributeValue> parameters) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(statement.getBytes(StandardCharsets.UTF_8));
            if (parameters != null) {
                Map<String, AttributeValue> numbered = new LinkedHashMap<>();
                for (int i = 0; i < parameters.size(); i++) {
                    numbered.put(Integer.toString(i), parameters.get(i));
                }
                digest.update(ItemStore.encode(numbered));
            }
            return Arrays.copyOf(digest.digest(), FINGERPRINT_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encodeToken(byte[] fingerprint, int segment, Map<String, AttributeValue> lastEvaluatedKey) {
        byte[] key = ItemStore.encode(lastEvaluatedKey);
        ByteBuffer buffer = ByteBuffer.allocate(1 + FINGERPRINT_BYTES + 4 + key.length);
        buffer.put(TOKEN_VERSION).put(fingerprint).putInt(segment).put(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    private static Token decodeToken(String token, byte[] fingerprint) {
        ByteBuffer buffer;
        Map<String, AttributeValue> key;
        int segment;
        byte[] tokenFingerprint = new byte[FINGERPRINT_BYTES];
        try {
            buffer = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token));
            if (buffer.get() != TOKEN_VERSION) {
                throw validation("Invalid NextToken");
            }
            buffer.get(tokenFingerprint);
            segment = buffer.getInt();
            byte[] rest = new byte[buffer.remaining()];
            buffer.get(rest);
            key = ItemStore.decode(rest);
        } catch (RuntimeException e) {
            throw validation("Invalid NextToken");
        }
        if (!Arrays.equals(tokenFingerprint, fingerprint)) {
            throw validation("NextToken does not match request");
        }
        return new Token(segment, key);
    }
}
