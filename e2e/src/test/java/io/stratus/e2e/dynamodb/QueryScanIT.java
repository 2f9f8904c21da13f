package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Query and Scan through the SDK: key conditions as range scans, order, pages, filters, indexes, segments. */
@StratusTest
class QueryScanIT {

    private static void fill(DynamoDbClient dynamo, String table) {
        Tables.create(dynamo, table, ScalarAttributeType.N);
        for (int i = 0; i < 20; i++) {
            int sk = i;
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("p"), "sk", n(Integer.toString(sk - 5)), "odd", AttributeValue.fromBool(sk % 2 == 1))));
        }
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("other"), "sk", n("0"))));
    }

    private static List<String> sortKeys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("sk").n()).toList();
    }

    @Test
    void sortKeyConditionsSelectNumericRanges(DynamoDbClient dynamo) {
        fill(dynamo, "q-range");

        assertThat(sortKeys(query(dynamo, "q-range", "pk = :p AND sk BETWEEN :a AND :b", Map.of(":a", n("-2"), ":b", n("2"))).items()))
                .containsExactly("-2", "-1", "0", "1", "2");
        assertThat(sortKeys(query(dynamo, "q-range", "pk = :p AND sk < :a", Map.of(":a", n("-3"))).items())).containsExactly("-5", "-4");
        assertThat(sortKeys(query(dynamo, "q-range", "pk = :p AND sk <= :a", Map.of(":a", n("-4"))).items())).containsExactly("-5", "-4");
        assertThat(sortKeys(query(dynamo, "q-range", "pk = :p AND sk > :a", Map.of(":a", n("12"))).items())).containsExactly("13", "14");
        assertThat(sortKeys(query(dynamo, "q-range", "pk = :p AND sk >= :a", Map.of(":a", n("13.5"))).items())).containsExactly("14");
        assertThat(sortKeys(query(dynamo, "q-range", ":a = sk AND pk = :p", Map.of(":a", n("7"))).items())).containsExactly("7");
        assertThat(query(dynamo, "q-range", "pk = :p", Map.of()).count()).isEqualTo(20);
    }

    @Test
    void beginsWithOnStringSortKeysAndReverseOrder(DynamoDbClient dynamo) {
        Tables.create(dynamo, "q-str", ScalarAttributeType.S);
        for (String sk : List.of("order#1", "order#2", "order#10", "ordinary", "invoice#1")) {
            dynamo.putItem(r -> r.tableName("q-str").item(Map.of("pk", s("c"), "sk", s(sk))));
        }

        QueryResponse response = dynamo.query(r -> r.tableName("q-str").keyConditionExpression("pk = :p AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":p", s("c"), ":prefix", s("order#"))).scanIndexForward(false));

        assertThat(response.items()).extracting(i -> i.get("sk").s()).containsExactly("order#2", "order#10", "order#1");
    }

    @Test
    void limitPagesWithLastEvaluatedKeyInBothDirections(DynamoDbClient dynamo) {
        fill(dynamo, "q-pages");

        for (boolean forward : new boolean[] {true, false}) {
            List<String> seen = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            int pages = 0;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamo.query(r -> r.tableName("q-pages").keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", s("p"))).limit(7).scanIndexForward(forward).exclusiveStartKey(from));
                seen.addAll(sortKeys(page.items()));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                pages++;
            } while (start != null);
            assertThat(seen).hasSize(20).doesNotHaveDuplicates();
            assertThat(seen.getFirst()).isEqualTo(forward ? "-5" : "14");
            assertThat(pages).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void filterCountsScannedItemsAndSelectCountReturnsNoItems(DynamoDbClient dynamo) {
        fill(dynamo, "q-filter");

        QueryResponse filtered = dynamo.query(r -> r.tableName("q-filter").keyConditionExpression("pk = :p").filterExpression("odd = :t")
                .expressionAttributeValues(Map.of(":p", s("p"), ":t", AttributeValue.fromBool(true))).limit(10));
        QueryResponse counted = dynamo.query(r -> r.tableName("q-filter").keyConditionExpression("pk = :p").select(Select.COUNT)
                .expressionAttributeValues(Map.of(":p", s("p"))));

        assertThat(filtered.count()).isEqualTo(5);
        assertThat(filtered.scannedCount()).isEqualTo(10);
        assertThat(counted.count()).isEqualTo(20);
        assertThat(counted.hasItems()).isFalse();
    }

    @Test
    void globalAndLocalIndexesAreQueryable(DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName("q-index").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("status").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("total").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("by-status").keySchema(k -> k.attributeName("status").keyType(KeyType.HASH),
                        k -> k.attributeName("total").keyType(KeyType.RANGE)).projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .localSecondaryIndexes(l -> l.indexName("by-total").keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("total").keyType(KeyType.RANGE)).projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamo.putItem(r -> r.tableName("q-index").item(Map.of("pk", s("u1"), "sk", s("o1"), "status", s("open"), "total", n("30"), "note", s("x"))));
        dynamo.putItem(r -> r.tableName("q-index").item(Map.of("pk", s("u1"), "sk", s("o2"), "status", s("open"), "total", n("10"))));
        dynamo.putItem(r -> r.tableName("q-index").item(Map.of("pk", s("u2"), "sk", s("o3"), "status", s("done"), "total", n("20"))));
        dynamo.putItem(r -> r.tableName("q-index").item(Map.of("pk", s("u2"), "sk", s("o4"))));
        // Moving an item between index partitions leaves no stale entry behind.
        dynamo.updateItem(r -> r.tableName("q-index").key(Map.of("pk", s("u2"), "sk", s("o3"))).updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("open"))));

        QueryResponse open = dynamo.query(r -> r.tableName("q-index").indexName("by-status").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("open"))));
        assertThat(open.items()).extracting(i -> i.get("total").n()).containsExactly("10", "20", "30");
        assertThat(open.items().getLast()).containsOnlyKeys("pk", "sk", "status", "total");

        QueryResponse local = dynamo.query(r -> r.tableName("q-index").indexName("by-total").keyConditionExpression("pk = :u AND #t > :t")
                .expressionAttributeNames(Map.of("#t", "total")).expressionAttributeValues(Map.of(":u", s("u1"), ":t", n("15"))));
        assertThat(local.items()).singleElement().satisfies(i -> assertThat(i).containsEntry("note", s("x")));

        ScanResponse scan = dynamo.scan(r -> r.tableName("q-index").indexName("by-status"));
        assertThat(scan.count()).isEqualTo(3);
        TableIT.assertValidation(() -> dynamo.scan(r -> r.tableName("q-index").indexName("by-status").select(Select.ALL_ATTRIBUTES)),
                "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index by-status "
                        + "because its projection type is not ALL");
        TableIT.assertValidation(() -> dynamo.query(r -> r.tableName("q-index").indexName("by-status").consistentRead(true)
                        .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", s("open")))),
                "Consistent reads are not supported on global secondary indexes");
    }

    @Test
    void parallelScanSegmentsPartitionTheTable(DynamoDbClient dynamo) {
        Tables.create(dynamo, "s-par", null);
        for (int i = 0; i < 50; i++) {
            int id = i;
            dynamo.putItem(r -> r.tableName("s-par").item(Map.of("pk", s("item-" + id))));
        }

        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int segment = 0; segment < 4; segment++) {
            int current = segment;
            for (ScanResponse page : dynamo.scanPaginator(r -> r.tableName("s-par").segment(current).totalSegments(4).limit(5))) {
                page.items().forEach(i -> seen.add(i.get("pk").s()));
                total += page.count();
            }
        }

        assertThat(seen).hasSize(50);
        assertThat(total).isEqualTo(50);
    }

    @Test
    void scanStopsAtOneMegabyteOfItems(DynamoDbClient dynamo) {
        Tables.create(dynamo, "s-big", null);
        String payload = "x".repeat(100_000);
        for (int i = 0; i < 15; i++) {
            int id = i;
            dynamo.putItem(r -> r.tableName("s-big").item(Map.of("pk", s(String.format("%02d", id)), "data", s(payload))));
        }

        ScanResponse first = dynamo.scan(r -> r.tableName("s-big"));

        assertThat(first.count()).isEqualTo(11);
        assertThat(first.lastEvaluatedKey()).containsKey("pk");
        ScanResponse rest = dynamo.scan(r -> r.tableName("s-big").exclusiveStartKey(first.lastEvaluatedKey()));
        assertThat(rest.count()).isEqualTo(4);
        assertThat(rest.hasLastEvaluatedKey() && !rest.lastEvaluatedKey().isEmpty()).isFalse();
    }

    private static QueryResponse query(DynamoDbClient dynamo, String table, String condition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new java.util.HashMap<>(values);
        all.put(":p", s("p"));
        return dynamo.query(r -> r.tableName(table).keyConditionExpression(condition).expressionAttributeValues(all));
    }
}
