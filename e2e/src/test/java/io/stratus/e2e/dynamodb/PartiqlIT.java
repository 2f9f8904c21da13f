package io.stratus.e2e.dynamodb;

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
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DuplicateItemException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** ExecuteStatement, BatchExecuteStatement and ExecuteTransaction through the SDK. */
@StratusTest
class PartiqlIT {

    @Test
    void insertSelectUpdateDeleteOneItem(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-items", ScalarAttributeType.N);

        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-items\" VALUE {'pk': 'ann', 'sk': 1, 'total': 30, 'tags': <<'a'>>, 'log': [1]}"));
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-items\" VALUE {'pk': ?, 'sk': ?, 'total': ?}")
                .parameters(s("ann"), n("2"), n("5")));
        dynamo.executeStatement(r -> r.statement(
                "UPDATE \"pq-items\" SET total = total + 10, log = list_append(log, [2]) SET tags = set_add(tags, <<'b'>>) REMOVE nothing "
                        + "WHERE pk = 'ann' AND sk = 1"));
        ExecuteStatementResponse all = dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-items\" WHERE pk = ?").parameters(s("ann")));
        ExecuteStatementResponse projected = dynamo.executeStatement(r -> r.statement(
                "SELECT total, log[1] FROM \"pq-items\" WHERE pk = 'ann' AND sk >= 1 AND total > 10 ORDER BY sk DESC"));
        ExecuteStatementResponse scanned = dynamo.executeStatement(r -> r.statement(
                "SELECT sk FROM \"pq-items\" WHERE total BETWEEN 1 AND 9 OR contains(tags, 'b')"));
        ExecuteStatementResponse returned = dynamo.executeStatement(r -> r.statement(
                "DELETE FROM \"pq-items\" WHERE pk = 'ann' AND sk = 2 RETURNING ALL OLD *"));
        ExecuteStatementResponse missing = dynamo.executeStatement(r -> r.statement(
                "SELECT * FROM \"pq-items\" WHERE pk = 'ann' AND sk = 2 AND total IS NOT MISSING"));

        assertThat(all.items()).extracting(i -> i.get("total").n()).containsExactly("40", "5");
        assertThat(all.items().getFirst().get("tags").ss()).containsExactlyInAnyOrder("a", "b");
        assertThat(all.items().getFirst().get("log").l()).extracting(AttributeValue::n).containsExactly("1", "2");
        assertThat(projected.items()).containsExactly(Map.of("total", n("40"), "log", AttributeValue.fromL(List.of(n("2")))));
        assertThat(scanned.items()).extracting(i -> i.get("sk").n()).containsExactlyInAnyOrder("1", "2");
        assertThat(returned.items()).containsExactly(Map.of("pk", s("ann"), "sk", n("2"), "total", n("5")));
        assertThat(missing.items()).isEmpty();
    }

    @Test
    void writeConditionsAndDuplicates(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-conditions", null);
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-conditions\" VALUE {'pk': 'a', 'v': 1}"));

        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-conditions\" VALUE {'pk': 'a'}")))
                .isInstanceOfSatisfying(DuplicateItemException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Duplicate primary key exists in table"));
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("UPDATE \"pq-conditions\" SET v = 2 WHERE pk = 'a' AND v = 5")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                        e -> assertThat(e.item()).isEqualTo(Map.of("pk", s("a"), "v", n("1"))));
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("UPDATE \"pq-conditions\" SET v = 2 WHERE pk = 'nobody'")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("DELETE FROM \"pq-conditions\" WHERE pk = 'a' AND v > 1")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        dynamo.executeStatement(r -> r.statement("DELETE FROM \"pq-conditions\" WHERE pk = 'a' AND v = 1"));
        assertThat(dynamo.getItem(r -> r.tableName("pq-conditions").key(Tables.key("a"))).hasItem()).isFalse();
    }

    @Test
    void badStatementsAreRefusedAsAwsWordsThem(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-bad", ScalarAttributeType.S);

        assertValidation(dynamo, "SELEC * FROM \"pq-bad\"", "Statement wasn't well formed, can't be processed: Unexpected token 'SELEC' at position 1");
        assertValidation(dynamo, "SELECT * FROM \"pq-bad\" WHERE", "Statement wasn't well formed, can't be processed: Unexpected end of statement");
        assertValidation(dynamo, "SELECT * FROM \"pq-bad\" WHERE pk = ?", "Number of parameters in request and statement don't match.");
        assertValidation(dynamo, "UPDATE \"pq-bad\" SET v = 1 WHERE pk = 'a'", "Where clause does not contain a mandatory equality on all key attributes");
        assertValidation(dynamo, "DELETE FROM \"pq-bad\" WHERE v = 1", "Where clause does not contain a mandatory equality on all key attributes");
        assertValidation(dynamo, "UPDATE \"pq-bad\" SET sk = 'x' WHERE pk = 'a' AND sk = 'b'",
                "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key");
        assertValidation(dynamo, "INSERT INTO \"pq-bad\" VALUE {'pk': 'a'}", "One or more parameter values were invalid: Missing the key sk in the item");
        assertValidation(dynamo, "SELECT * FROM \"pq-bad\".\"nope\"", "The table does not have the specified index: nope");
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-missing\"")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void selectsPageByLimitAndNextToken(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-pages", ScalarAttributeType.N);
        for (int i = 0; i < 7; i++) {
            int sk = i;
            dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-pages\" VALUE {'pk': 'p', 'sk': ?}").parameters(n(Integer.toString(sk))));
        }

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ExecuteStatementResponse page = dynamo.executeStatement(r -> r.statement("SELECT sk FROM \"pq-pages\" WHERE pk = 'p'").limit(3).nextToken(next)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            page.items().forEach(i -> seen.add(i.get("sk").n()));
            assertThat(page.consumedCapacity().tableName()).isEqualTo("pq-pages");
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(seen).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(pages).isEqualTo(3);
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-pages\"").nextToken("not-a-token")))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("The provided NextToken is not valid");
    }

    @Test
    void batchesReportEachStatementsOutcome(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-batch", null);
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'taken', 'v': 1}"));

        var writes = dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'new'}").build(),
                BatchStatementRequest.builder().statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'taken'}").build(),
                BatchStatementRequest.builder().statement("UPDATE \"pq-batch\" SET v = 2 WHERE pk = 'taken' AND v = 9")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build(),
                BatchStatementRequest.builder().statement("DELETE FROM nowhere WHERE").build()));
        var reads = dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT v FROM \"pq-batch\" WHERE pk = ?").parameters(s("taken")).build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE pk = 'absent'").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE v = 1").build()));

        assertThat(writes.responses().get(0).error()).isNull();
        assertThat(writes.responses().get(0).tableName()).isEqualTo("pq-batch");
        assertThat(writes.responses().get(1).error().code()).isEqualTo(BatchStatementErrorCodeEnum.DUPLICATE_ITEM);
        assertThat(writes.responses().get(2).error().code()).isEqualTo(BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED);
        assertThat(writes.responses().get(2).error().item()).isEqualTo(Map.of("pk", s("taken"), "v", n("1")));
        assertThat(writes.responses().get(3).error().code()).isEqualTo(BatchStatementErrorCodeEnum.VALIDATION_ERROR);
        assertThat(reads.responses().get(0).item()).isEqualTo(Map.of("v", n("1")));
        assertThat(reads.responses().get(1).hasItem()).isFalse();
        assertThat(reads.responses().get(1).error()).isNull();
        assertThat(reads.responses().get(2).error().code()).isEqualTo(BatchStatementErrorCodeEnum.VALIDATION_ERROR);
        assertThatThrownBy(() -> dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE pk = 'a'").build(),
                BatchStatementRequest.builder().statement("DELETE FROM \"pq-batch\" WHERE pk = 'a'").build())))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("Supplied batch contains both read and write statements");
    }

    @Test
    void transactionsCommitAllOrNothing(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-tx", null);
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-tx\" VALUE {'pk': 'account', 'balance': 10}"));
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-tx\" VALUE {'pk': 'other'}"));

        assertThatThrownBy(() -> dynamo.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("INSERT INTO \"pq-tx\" VALUE {'pk': 'receipt'}").build(),
                ParameterizedStatement.builder().statement("UPDATE \"pq-tx\" SET balance = balance - 20 WHERE pk = 'account' AND balance >= 20").build(),
                ParameterizedStatement.builder().statement("INSERT INTO \"pq-tx\" VALUE {'pk': 'other'}").build())))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(c -> c.code()).containsExactly("None", "ConditionalCheckFailed", "DuplicateItem");
                    assertThat(e.getMessage()).contains("[None, ConditionalCheckFailed, DuplicateItem]");
                });
        assertThat(dynamo.getItem(r -> r.tableName("pq-tx").key(Tables.key("receipt"))).hasItem()).isFalse();

        var statements = List.of(
                ParameterizedStatement.builder().statement("EXISTS(SELECT * FROM \"pq-tx\" WHERE pk = 'other' AND closed IS MISSING)").build(),
                ParameterizedStatement.builder().statement("UPDATE \"pq-tx\" SET balance = balance - ? WHERE pk = 'account' AND balance >= ?").parameters(n("5"), n("5")).build(),
                ParameterizedStatement.builder().statement("INSERT INTO \"pq-tx\" VALUE {'pk': 'receipt', 'amount': 5}").build());
        dynamo.executeTransaction(r -> r.transactStatements(statements).clientRequestToken("pay-once"));
        dynamo.executeTransaction(r -> r.transactStatements(statements).clientRequestToken("pay-once"));
        var read = dynamo.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("SELECT balance FROM \"pq-tx\" WHERE pk = 'account'").build(),
                ParameterizedStatement.builder().statement("SELECT * FROM \"pq-tx\" WHERE pk = 'receipt'").build()));

        assertThat(read.responses().get(0).item()).isEqualTo(Map.of("balance", n("5")));
        assertThat(read.responses().get(1).item()).isEqualTo(Map.of("pk", s("receipt"), "amount", n("5")));
        assertThatThrownBy(() -> dynamo.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("SELECT * FROM \"pq-tx\" WHERE pk = 'a'").build(),
                ParameterizedStatement.builder().statement("DELETE FROM \"pq-tx\" WHERE pk = 'a'").build())))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("Transaction must contain either all read statements or all write statements");
    }

    @Test
    void selectsQueryAnIndexThatWritesKeepCurrent(DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName("pq-index").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("kind").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("byKind").keySchema(k -> k.attributeName("kind").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-index\" VALUE {'pk': 'a', 'kind': 'red', 'extra': 1}"));
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-index\" VALUE {'pk': 'b', 'kind': 'red'}"));
        dynamo.executeStatement(r -> r.statement("UPDATE \"pq-index\" SET kind = 'blue' WHERE pk = 'b'"));

        ExecuteStatementResponse red = dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-index\".\"byKind\" WHERE kind = 'red'"));

        assertThat(red.items()).containsExactly(Map.of("pk", s("a"), "kind", s("red")));
        assertThat(dynamo.describeTable(r -> r.tableName("pq-index")).table().itemCount()).isEqualTo(2);
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-index\".\"byKind\" WHERE kind = 'red'").consistentRead(true)))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("Consistent reads are not supported on global secondary indexes");
    }

    @Test
    void writesAreRecordedOnTheStream(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "pq-stream", StreamViewType.NEW_AND_OLD_IMAGES);

        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-stream\" VALUE {'pk': 'a', 'v': 1}"));
        dynamo.executeStatement(r -> r.statement("UPDATE \"pq-stream\" SET v = 2 WHERE pk = 'a'"));
        dynamo.executeTransaction(r -> r.transactStatements(ParameterizedStatement.builder().statement("DELETE FROM \"pq-stream\" WHERE pk = 'a'").build()));

        List<Record> records = Streams.readAll(streams, arn);
        assertThat(records).extracting(rec -> rec.eventNameAsString()).containsExactly("INSERT", "MODIFY", "REMOVE");
        assertThat(records.get(1).dynamodb().newImage()).containsEntry("v", n("2"));
    }

    private static void assertValidation(DynamoDbClient dynamo, String statement, String message) {
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement(statement)))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }
}
