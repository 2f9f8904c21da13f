package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchGetItem, BatchWriteItem, TransactWriteItems and TransactGetItems through the SDK. */
@StratusTest
class BatchTransactIT {

    @Test
    void batchWriteThenBatchGetAcrossTables(DynamoDbClient dynamo) {
        Tables.create(dynamo, "batch-a", null);
        Tables.create(dynamo, "batch-b", null);
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, AttributeValue> item = Map.of("pk", s("k" + i), "v", n(Integer.toString(i)));
            writes.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
        }

        BatchWriteItemResponse written = dynamo.batchWriteItem(r -> r.requestItems(Map.of(
                "batch-a", writes,
                "batch-b", List.of(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("only")))).build()))));
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("batch-a", List.of(WriteRequest.builder().deleteRequest(d -> d.key(key("k0"))).build()))));
        var read = dynamo.batchGetItem(r -> r.requestItems(Map.of(
                "batch-a", KeysAndAttributes.builder().keys(key("k0"), key("k1"), key("k19")).projectionExpression("v").build(),
                "batch-b", KeysAndAttributes.builder().keys(key("only")).build())));

        assertThat(written.unprocessedItems()).isEmpty();
        assertThat(read.responses().get("batch-a")).extracting(i -> i.get("v").n()).containsExactlyInAnyOrder("1", "19");
        assertThat(read.responses().get("batch-b")).hasSize(1);
        assertThat(read.unprocessedKeys()).isEmpty();
    }

    @Test
    void batchLimitsAndDuplicatesAreRefused(DynamoDbClient dynamo) {
        Tables.create(dynamo, "batch-limits", null);
        List<WriteRequest> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            Map<String, AttributeValue> item = key("k" + i);
            tooMany.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            keys.add(key("k" + i));
        }

        assertValidation(() -> dynamo.batchWriteItem(r -> r.requestItems(Map.of("batch-limits", tooMany))));
        assertValidation(() -> dynamo.batchGetItem(r -> r.requestItems(Map.of("batch-limits", KeysAndAttributes.builder().keys(keys).build()))),
                "Too many items requested for the BatchGetItem call");
        assertValidation(() -> dynamo.batchGetItem(r -> r.requestItems(Map.of("batch-limits", KeysAndAttributes.builder().keys(key("a"), key("a")).build()))),
                "Provided list of item keys contains duplicates");
    }

    @Test
    void transactionWritesAllOrNothingWithCancellationReasons(DynamoDbClient dynamo) {
        Tables.create(dynamo, "tx-main", null);
        dynamo.putItem(r -> r.tableName("tx-main").item(Map.of("pk", s("account"), "balance", n("10"))));
        dynamo.putItem(r -> r.tableName("tx-main").item(Map.of("pk", s("switch"), "open", AttributeValue.fromBool(true))));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("tx-main").item(Map.of("pk", s("receipt")))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("tx-main").key(key("account")).updateExpression("SET balance = balance - :amount")
                        .conditionExpression("balance >= :amount").expressionAttributeValues(Map.of(":amount", n("50")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
                    assertThat(e.cancellationReasons()).extracting(c -> c.code()).containsExactly("None", "ConditionalCheckFailed");
                    assertThat(e.cancellationReasons().get(1).item()).containsEntry("balance", n("10"));
                });
        assertThat(dynamo.getItem(r -> r.tableName("tx-main").key(key("receipt"))).hasItem()).isFalse();

        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("tx-main").item(Map.of("pk", s("receipt")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("tx-main").key(key("switch")).conditionExpression("#o = :t")
                        .expressionAttributeNames(Map.of("#o", "open")).expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("tx-main").key(key("account")).updateExpression("SET balance = balance - :amount")
                        .expressionAttributeValues(Map.of(":amount", n("4")))).build()));
        var got = dynamo.transactGetItems(r -> r.transactItems(
                t -> t.get(g -> g.tableName("tx-main").key(key("account"))),
                t -> t.get(g -> g.tableName("tx-main").key(key("missing")))));
        assertThat(got.responses().get(0).item()).containsEntry("balance", n("6"));
        assertThat(got.responses().get(1).hasItem()).isFalse();
    }

    @Test
    void anUpdateThatFailsOnlyWhenAppliedCancelsTheTransactionWithAValidationError(DynamoDbClient dynamo) {
        Tables.create(dynamo, "tx-invalid", null);
        dynamo.putItem(r -> r.tableName("tx-invalid").item(Map.of("pk", s("text"), "v", s("not a number"))));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("tx-invalid").item(key("other"))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("tx-invalid").key(key("text")).updateExpression("SET v = v + :one")
                        .expressionAttributeValues(Map.of(":one", n("1")))).build())))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(c -> c.code()).containsExactly("None", "ValidationError");
                    assertThat(e.cancellationReasons().get(1).message()).isEqualTo("An operand in the update expression has an incorrect data type");
                });
        assertThat(dynamo.getItem(r -> r.tableName("tx-invalid").key(key("other"))).hasItem()).isFalse();
    }

    @Test
    void oneCheckAndAWriteOnTheSameItemAreRefused(DynamoDbClient dynamo) {
        Tables.create(dynamo, "tx-dup", null);

        assertValidation(() -> dynamo.transactWriteItems(r -> r.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("tx-dup").item(key("a"))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("tx-dup").key(key("a"))).build())),
                "Transaction request cannot include multiple operations on one item");
    }

    @Test
    void clientRequestTokenMakesATransactionIdempotentForTenMinutes(io.stratus.testkit.Stratus stratus, DynamoDbClient dynamo) {
        Tables.create(dynamo, "tx-token", null);
        TransactWriteItem increment = TransactWriteItem.builder().update(u -> u.tableName("tx-token").key(key("c")).updateExpression("ADD hits :one")
                .expressionAttributeValues(Map.of(":one", n("1")))).build();

        dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(increment));
        dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(increment));
        assertThat(dynamo.getItem(r -> r.tableName("tx-token").key(key("c"))).item()).containsEntry("hits", n("1"));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("tx-token").item(key("other"))).build())))
                .isInstanceOf(IdempotentParameterMismatchException.class);

        stratus.clock().advance(java.time.Duration.ofMinutes(11));
        dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(increment));
        assertThat(dynamo.getItem(r -> r.tableName("tx-token").key(key("c"))).item()).containsEntry("hits", n("2"));
    }

    private static void assertValidation(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        });
    }

    private static void assertValidation(Runnable call, String message) {
        TableIT.assertValidation(call, message);
    }
}
