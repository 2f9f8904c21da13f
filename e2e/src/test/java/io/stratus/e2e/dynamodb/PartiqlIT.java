package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Statements DynamoDB refuses once it has read the table, and its wording for each. Every
     * message here was answered so by DynamoDB itself, as other projects' conformance suites
     * recorded it (see docs/dynamodb.md for the few that are not).
     */
    @Test
    void badStatementsAreRefusedAsAwsWordsThem(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-bad", ScalarAttributeType.S);
        String t = "\"pq-bad\"";
        String overlapping = "Overlapping conditions with range keys are not supported in where clause";
        String tooMany = "Too many decomposed read operations for a given query.";

        String[][] cases = {
            {"SELEC * FROM " + t, "Statement wasn't well formed, can't be processed: Expected data manipulation"},
            {"SELECT * FROM " + t + " WHERE", "Statement wasn't well formed, can't be processed: Unexpected term"},
            {"SELECT * FROM " + t + " WHERE pk = 'a' garbage", "Statement wasn't well formed, can't be processed: Unexpected token after expression"},
            {"SELECT * FROM " + t + " WHERE pk = ?", "Number of parameters in request and statement don't match."},
            {"UPDATE " + t + " SET v = 1 WHERE pk = 'a'", "Where clause does not contain a mandatory equality on all key attributes"},
            {"DELETE FROM " + t + " WHERE v = 1", "Where clause does not contain a mandatory equality on all key attributes"},
            {"UPDATE " + t + " SET v = 1 WHERE pk = 'a' AND sk = 'b' AND pk = 'c'",
                "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported"},
            {"DELETE FROM " + t + " WHERE pk = 'a' AND sk = 'b' AND pk = 'c'",
                "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported"},
            {"UPDATE " + t + " SET sk = 'x' WHERE pk = 'a' AND sk = 'b'",
                "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"},
            {"INSERT INTO " + t + " VALUE {'pk': 'a'}", "One or more parameter values were invalid: Missing the key sk in the item"},
            {"SELECT * FROM " + t + ".\"nope\"", "The table does not have the specified index"},
            {"SELECT * FROM " + t + "." + t + " WHERE pk = 'p'", "The table does not have the specified index"},
            {"EXISTS(SELECT * FROM " + t + " WHERE pk = 'a' AND sk = 'b' AND v IS MISSING)", "EXISTS can only be used in ExecuteTransaction write requests."},
            {"SELECT sk FROM " + t + " ORDER BY sk", "Must have WHERE clause in the statement when using ORDER BY clause."},
            {"SELECT sk FROM " + t + " WHERE pk = 'o' ORDER BY total DESC", "Attribute total in ORDER BY clause must be part of the primary key"},
            {"SELECT sk FROM " + t + " WHERE pk > 'a' ORDER BY sk",
                "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."},
            {"SELECT sk FROM " + t + " WHERE pk IN ['o', 'p'] ORDER BY sk DESC",
                "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause."},
            {"SELECT sk FROM " + t + " WHERE pk IN ['a', 'a']", overlapping},
            {"SELECT sk FROM " + t + " WHERE pk = 'a' OR pk = 'a'", overlapping},
            {"SELECT sk FROM " + t + " WHERE pk = 'a' AND (sk > '0' OR sk < '5')", overlapping},
            {"SELECT sk FROM " + t + " WHERE pk = 'a' AND (sk = '1' OR flag = 'two')", overlapping},
            {"SELECT sk FROM " + t + " WHERE (pk = 'a' AND flag = 'one') OR (pk = 'a' AND flag = 'two')", overlapping},
            {"SELECT sk FROM " + t + " WHERE pk IN [" + values(51) + "]", tooMany},
            {"SELECT sk FROM " + t + " WHERE pk = 'a' AND sk IN [" + values(51) + "]", tooMany},
            {"SELECT sk FROM " + t + " WHERE pk IN [" + values(26) + "] AND sk IN ['1', '2']", tooMany},
            {"SELECT sk FROM " + t + " WHERE pk = 1 OR pk = 'a'", "Key attribute's data type should match its data type in table's schema: Key pk"},
            {"SELECT sk FROM " + t + " WHERE pk = 'a' AND sk IN ['1', 2]", "Key attribute's data type should match its data type in table's schema: Key sk"},
        };
        for (String[] c : cases) {
            assertValidation(dynamo, c[0], c[1]);
        }
        // What DynamoDB plans as a Scan or a filter is not refused.
        for (String accepted : List.of("pk IN [" + values(50) + "] AND flag IN [" + values(100) + "]", "pk IN [" + values(51) + "] OR flag = 'one'",
                "pk = 'a' OR sk = '1'", "pk > 1", "pk = 'a' AND (sk < '1' OR sk > '1' OR sk = '1')", "pk = 'a' AND sk > '0' AND sk <> '1'")) {
            assertThat(dynamo.executeStatement(r -> r.statement("SELECT sk FROM " + t + " WHERE " + accepted)).items()).isEmpty();
        }
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-missing\"")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Requested resource not found"));
    }

    private static String values(int count) {
        return String.join(", ", java.util.stream.IntStream.range(0, count).mapToObj(i -> "'v" + i + "'").toList());
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
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid NextToken"));
        String first = dynamo.executeStatement(r -> r.statement("SELECT sk FROM \"pq-pages\" WHERE pk = 'p'").limit(1)).nextToken();
        assertThatThrownBy(() -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"pq-pages\" WHERE pk = 'p'").limit(1).nextToken(first)))
                .isInstanceOfSatisfying(DynamoDbException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("NextToken does not match request"));
    }

    @Test
    void batchesReportEachStatementsOutcome(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-batch", null);
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'taken', 'v': 1}"));
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'also', 'v': 1}"));

        var writes = dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'new'}").build(),
                BatchStatementRequest.builder().statement("INSERT INTO \"pq-batch\" VALUE {'pk': 'taken'}").build(),
                BatchStatementRequest.builder().statement("UPDATE \"pq-batch\" SET v = 2 WHERE pk = 'also' AND v = 9")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build(),
                BatchStatementRequest.builder().statement("DELETE FROM nowhere WHERE").build(),
                BatchStatementRequest.builder().statement("DELETE FROM \"pq-nowhere\" WHERE pk = 'x'").build(),
                BatchStatementRequest.builder().statement("UPDATE \"pq-batch\" SET pk = 'x' WHERE pk = 'y'").build()));
        var reads = dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT v FROM \"pq-batch\" WHERE pk = ?").parameters(s("taken")).build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE pk = 'absent'").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE v = 1").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE pk = 'taken' AND v = 1").build(),
                BatchStatementRequest.builder().statement("SELECT v FROM \"pq-batch\" WHERE pk IN ['also']").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE").build()));

        assertThat(writes.responses().get(0).error()).isNull();
        assertThat(writes.responses().get(0).tableName()).isEqualTo("pq-batch");
        assertThat(writes.responses().get(1).error().code()).isEqualTo(BatchStatementErrorCodeEnum.DUPLICATE_ITEM);
        assertThat(writes.responses().get(2).error().code()).isEqualTo(BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED);
        assertThat(writes.responses().get(2).error().item()).isEqualTo(Map.of("pk", s("also"), "v", n("1")));
        assertThat(writes.responses().get(3).error().code()).isEqualTo(BatchStatementErrorCodeEnum.VALIDATION_ERROR);
        // A statement that ran and failed names its table; one refused before it ran does not, except a missing table.
        assertThat(writes.responses().get(1).tableName()).isEqualTo("pq-batch");
        assertThat(writes.responses().get(2).tableName()).isEqualTo("pq-batch");
        assertThat(writes.responses().get(3).tableName()).isNull();
        assertThat(writes.responses().get(4).error().code()).isEqualTo(BatchStatementErrorCodeEnum.RESOURCE_NOT_FOUND);
        assertThat(writes.responses().get(4).tableName()).isEqualTo("pq-nowhere");
        assertThat(writes.responses().get(5).error().message())
                .isEqualTo("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
        assertThat(writes.responses().get(5).tableName()).isNull();
        assertThat(reads.responses().get(2).tableName()).isNull();
        assertThatThrownBy(() -> dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("UPDATE \"pq-batch\" SET v = 3 WHERE pk = 'also'").build(),
                BatchStatementRequest.builder().statement("DELETE FROM \"pq-batch\" WHERE pk = 'also'").build())))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Provided list of item keys contains duplicates"));
        assertThat(dynamo.getItem(r -> r.tableName("pq-batch").key(Tables.key("also"))).item()).containsEntry("v", n("1"));
        assertThat(reads.responses().get(0).item()).isEqualTo(Map.of("v", n("1")));
        assertThat(reads.responses().get(1).hasItem()).isFalse();
        assertThat(reads.responses().get(1).error()).isNull();
        assertThat(reads.responses().get(2).error().code()).isEqualTo(BatchStatementErrorCodeEnum.VALIDATION_ERROR);
        assertThat(reads.responses().get(2).error().message())
                .isEqualTo("Select statements within BatchExecuteStatement must specify the primary key in the where clause.");
        assertThat(reads.responses().get(3).error().message())
                .isEqualTo("Select statements within BatchExecuteStatement must specify the primary key in the where clause.");
        assertThat(reads.responses().get(4).item()).isEqualTo(Map.of("v", n("1")));
        assertThat(reads.responses().get(5).error().message()).isEqualTo("Statement wasn't well formed, can't be processed: Unexpected term");
        assertThatThrownBy(() -> dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT * FROM \"pq-batch\" WHERE pk = 'a'").build(),
                BatchStatementRequest.builder().statement("DELETE FROM \"pq-batch\" WHERE pk = 'a'").build())))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Read and write requests together in the same batch is not supported."));
    }

    @Test
    void inOnThePartitionKeyQueriesOnlyTheNamedPartitions(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-in", ScalarAttributeType.N);
        for (String pk : List.of("a", "b", "c", "d")) {
            for (int sk = 1; sk <= 3; sk++) {
                String k = Integer.toString(sk);
                dynamo.putItem(r -> r.tableName("pq-in").item(Map.of("pk", s(pk), "sk", n(k))));
            }
        }
        String payload = "x".repeat(30_000);
        for (int sk = 0; sk < 20; sk++) {
            int k = sk;
            dynamo.putItem(r -> r.tableName("pq-in").item(Map.of("pk", s("big"), "sk", n(Integer.toString(k)), "payload", s(payload))));
        }

        ExecuteStatementResponse in = dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk IN ['c', 'a']")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        ExecuteStatementResponse or = dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk = 'c' OR pk = 'a'")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        ExecuteStatementResponse scan = dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk = 'c' OR sk = 99")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));

        assertThat(rows(in)).containsExactly("c/1", "c/2", "c/3", "a/1", "a/2", "a/3");
        assertThat(rows(or)).containsExactly("c/1", "c/2", "c/3", "a/1", "a/2", "a/3");
        // Six small items read, not the 600 KB partition the Scan reads.
        assertThat(in.consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(or.consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(scan.consumedCapacity().capacityUnits()).isGreaterThan(70.0);
        assertThat(rows(scan)).containsExactlyInAnyOrder("c/1", "c/2", "c/3");
        assertThat(rows(dynamo.executeStatement(r -> r.statement(
                "SELECT pk, sk FROM \"pq-in\" WHERE (pk = 'a' AND sk = 2) OR (pk = 'd' AND sk >= 2) OR pk IN ['nobody']"))))
                .containsExactly("a/2", "d/2", "d/3");
        assertThat(rows(dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk = 'b' AND sk IN [3, 1] ORDER BY sk"))))
                .containsExactly("b/1", "b/3");
        assertThat(rows(dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk IN ['c', 'a'] ORDER BY pk, sk"))))
                .containsExactly("a/1", "a/2", "a/3", "c/1", "c/2", "c/3");
        assertThat(rows(dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk IN ['a', 'c'] ORDER BY pk DESC, sk ASC"))))
                .containsExactly("c/1", "c/2", "c/3", "a/1", "a/2", "a/3");
        // ORDER BY the partition key alone reads each partition descending, as DynamoDB does.
        assertThat(rows(dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in\" WHERE pk IN ['a', 'c'] ORDER BY pk DESC"))))
                .containsExactly("c/3", "c/2", "c/1", "a/3", "a/2", "a/1");
    }

    @Test
    void inPagesCarryOnAcrossPartitions(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-in-pages", ScalarAttributeType.N);
        for (String pk : List.of("a", "b", "c")) {
            for (int sk = 1; sk <= 3; sk++) {
                String k = Integer.toString(sk);
                dynamo.putItem(r -> r.tableName("pq-in-pages").item(Map.of("pk", s(pk), "sk", n(k))));
            }
        }

        for (String order : List.of("", " ORDER BY pk DESC")) {
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String next = token;
                ExecuteStatementResponse page = dynamo.executeStatement(r -> r.statement("SELECT pk, sk FROM \"pq-in-pages\" WHERE pk IN ['c', 'a']" + order)
                        .limit(2).nextToken(next).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                seen.addAll(rows(page));
                assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
                assertThat(page.consumedCapacity().capacityUnits()).isEqualTo(0.5);
                token = page.nextToken();
                pages++;
            } while (token != null && pages < 10);

            assertThat(seen).containsExactlyElementsOf(order.isEmpty()
                    ? List.of("c/1", "c/2", "c/3", "a/1", "a/2", "a/3")
                    : List.of("c/3", "c/2", "c/1", "a/3", "a/2", "a/1"));
            assertThat(pages).isEqualTo(4);
        }
    }

    /** The pk/sk of each item of a page. */
    private static List<String> rows(ExecuteStatementResponse response) {
        return response.items().stream().map(i -> i.get("pk").s() + "/" + i.get("sk").n()).toList();
    }

    @Test
    void transactionErrorsNameTheStatementOrCancelIt(DynamoDbClient dynamo) {
        Tables.create(dynamo, "pq-txerr", ScalarAttributeType.S);
        String t = "\"pq-txerr\"";
        dynamo.executeStatement(r -> r.statement("INSERT INTO " + t + " VALUE {'pk': 'keys', 'sk': '1', 'flag': 'right'}"));
        dynamo.executeStatement(r -> r.statement("INSERT INTO " + t + " VALUE {'pk': 'other', 'sk': '1', 'flag': 'right'}"));
        String select = "SELECT * FROM " + t + " WHERE pk = 'keys' AND sk = '1'";
        String update = "UPDATE " + t + " SET a = 1 WHERE ";
        String mismatch = "The provided key element does not match the schema";

        Object[][] refused = {
            {List.of(update + "pk = 'keys' AND sk = '1' RETURNING ALL NEW *"),
                "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction."},
            {List.of(update + "pk = 'keys' AND sk = '1'", "DELETE FROM " + t + " WHERE pk = 'keys' AND sk = '2' RETURNING ALL OLD *"),
                "Validation failed in TransactStatements[1]: RETURNING clause is not supported in ExecuteTransaction."},
            {List.of("SELECT * FROM " + t + " WHERE"),
                "Validation failed in TransactStatements[0]: Statement wasn't well formed, can't be processed: Unexpected term"},
            {List.of(select + " AND flag = 'right'"),
                "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause."},
            {List.of(select, "SELECT * FROM " + t + ".\"idx\" WHERE pk = 'x' AND sk = '1'"),
                "Validation failed in TransactStatements[1]: Reads on indices are not supported within transactions."},
            {List.of("EXISTS(" + select + ")", update + "pk = 'other' AND sk = '1'"),
                "Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition"},
            {List.of(select, "SELECT a FROM " + t + " WHERE sk = '1' AND pk = 'keys'"), "Transaction request cannot include multiple operations on one item"},
        };
        for (Object[] c : refused) {
            @SuppressWarnings("unchecked")
            List<String> statements = (List<String>) c[0];
            assertThatThrownBy(() -> transaction(dynamo, statements))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(c[1]);
                    });
        }

        assertCanceled(dynamo, List.of(update + "pk = 'keys'", update + "pk IN ['keys'] AND sk = '1'", update + "pk = 'keys' AND sk = '1' AND pk = 'other'",
                update + "pk = 'keys' AND sk = 1", update + "pk = 'keys' AND sk = '1'"),
                List.of("ValidationError", "ValidationError", "ValidationError", "ValidationError", "None"),
                Arrays.asList(mismatch, mismatch, mismatch, mismatch, null));
        assertCanceled(dynamo, List.of("INSERT INTO " + t + " VALUE {'pk': 'keys-insert'}", "DELETE FROM " + t + " WHERE sk = '1'"),
                List.of("ValidationError", "ValidationError"),
                List.of("One or more parameter values were invalid: Missing the key sk in the item", mismatch));
        assertCanceled(dynamo, List.of("UPDATE \"pq-nowhere\" SET a = 1 WHERE pk = 'x' AND sk = '1' RETURNING ALL NEW *",
                "DELETE FROM \"pq-nowhere\" WHERE pk = 'x' AND sk = '1'"),
                List.of("ResourceNotFound", "ResourceNotFound"), List.of("Requested resource not found", "Requested resource not found"));
        assertCanceled(dynamo, List.of("SELECT * FROM " + t + " WHERE pk = 'keys' AND sk = 1"), List.of("ValidationError"), List.of(mismatch));
        assertCanceled(dynamo, List.of("EXISTS(" + select + " AND pk = 'other' AND flag = 'right')", update + "pk = 'other' AND sk = '1'"),
                List.of("ConditionalCheckFailed", "None"), Arrays.asList("The conditional request failed", null));
        assertThat(dynamo.getItem(r -> r.tableName("pq-txerr").key(Map.of("pk", s("keys"), "sk", s("1")))).item()).doesNotContainKey("a");
    }

    private static void transaction(DynamoDbClient dynamo, List<String> statements) {
        dynamo.executeTransaction(r -> r.transactStatements(statements.stream().map(st -> ParameterizedStatement.builder().statement(st).build()).toList()));
    }

    private static void assertCanceled(DynamoDbClient dynamo, List<String> statements, List<String> codes, List<String> messages) {
        assertThatThrownBy(() -> transaction(dynamo, statements))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(c -> c.code()).containsExactlyElementsOf(codes);
                    assertThat(e.cancellationReasons()).extracting(c -> c.message()).containsExactlyElementsOf(messages);
                });
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
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("ExecuteTransaction API does not support both read and write operations in the same request."));
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
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Strongly consistent read is not supported on Global Secondary Indexes"));
    }

    @Test
    void indexReadsFilterAndSelectOnlyWhatTheIndexProjects(DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName("pq-proj").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("gsiPk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("lsiSk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("gsi-inc").keySchema(k -> k.attributeName("gsiPk").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("projattr")))
                .localSecondaryIndexes(l -> l.indexName("lsi-keys")
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("lsiSk").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        dynamo.executeStatement(r -> r.statement(
                "INSERT INTO \"pq-proj\" VALUE {'pk': 'p', 'sk': 's1', 'gsiPk': 'y', 'lsiSk': 'k1', 'nonproj': 'np1', 'projattr': 'proj1'}"));
        dynamo.executeStatement(r -> r.statement("INSERT INTO \"pq-proj\" VALUE {'pk': 'p', 'sk': 's2', 'gsiPk': 'y2', 'lsiSk': 'k2', 'nonproj': 'np2'}"));
        String gsi = "SELECT pk FROM \"pq-proj\".\"gsi-inc\" WHERE ";
        String lsi = "SELECT sk FROM \"pq-proj\".\"lsi-keys\" WHERE ";
        String refused = "One or more parameter values were invalid: Secondary index gsi-inc does not project one or more filter attributes: ";

        assertValidation(dynamo, gsi + "gsiPk = 'y' AND NOT (nonproj = 'np1' OR projattr = 'x')", refused + "[nonproj]");
        assertValidation(dynamo, gsi + "gsiPk = 'y' AND b = '1' AND (a = '2' OR projattr = '3')", refused + "[a, b]");
        assertValidation(dynamo, gsi + "gsiPk = 'y' AND (zz = '1' OR aa = '2' OR mm = '3')", refused + "[zz, aa, mm]");
        assertValidation(dynamo, gsi + "(gsiPk = 'y' OR gsiPk = 'z') AND zz = '1'", refused + "[zz]");
        assertValidation(dynamo, gsi + "(gsiPk = 'b' AND u1 = '1') OR (gsiPk = 'q' AND u2 = '1')", refused + "[u2]");
        assertValidation(dynamo, gsi + "(gsiPk = 'q' AND u1 = '1') OR (gsiPk = 'b' AND u2 = '1')", refused + "[u1]");
        assertValidation(dynamo, lsi + "pk = 'p' AND nonproj = 'np1'",
                "One or more parameter values were invalid: Secondary index lsi-keys does not project one or more filter attributes: [nonproj]");
        assertValidation(dynamo, "SELECT nonproj FROM \"pq-proj\".\"gsi-inc\" WHERE gsiPk = 'y'",
                "One or more parameter values were invalid: Global secondary index gsi-inc does not project [nonproj]");

        assertThat(dynamo.executeStatement(r -> r.statement(gsi + "gsiPk = 'y' AND (projattr = 'proj1' OR projattr = 'proj2')")).items())
                .containsExactly(Map.of("pk", s("p")));
        for (String accepted : List.of("(gsiPk = 'y' AND projattr = '1') OR (gsiPk = 'z' AND aa = '1')", "gsiPk > 'a' AND zz = '1'",
                "(gsiPk = 'y' AND zz = '1') OR aa = '1'")) {
            assertThat(dynamo.executeStatement(r -> r.statement(gsi + accepted)).items()).isEmpty();
        }
        // Unkeyed, a filter reads what the index holds: an attribute it does not project is missing there.
        assertThat(dynamo.executeStatement(r -> r.statement("SELECT sk FROM \"pq-proj\".\"gsi-inc\" WHERE nonproj = 'np1'")).items()).isEmpty();
        assertThat(dynamo.executeStatement(r -> r.statement(lsi + "nonproj = 'np1'")).items()).isEmpty();
        assertThat(dynamo.executeStatement(r -> r.statement("SELECT sk FROM \"pq-proj\".\"gsi-inc\" WHERE NOT nonproj = 'np1'")).items())
                .extracting(i -> i.get("sk").s()).containsExactlyInAnyOrder("s1", "s2");
        assertThat(dynamo.executeStatement(r -> r.statement("SELECT sk FROM \"pq-proj\" WHERE nonproj = 'np1'")).items())
                .containsExactly(Map.of("sk", s("s1")));
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
