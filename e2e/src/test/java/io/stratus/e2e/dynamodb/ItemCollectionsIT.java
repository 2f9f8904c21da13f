package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionSizeLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DescribeTable's live ItemCount and sizes (table, GSI, LSI), ReturnItemCollectionMetrics on every
 * write operation, and the item collection size limit, lowered through its setting.
 */
@StratusTest
class ItemCollectionsIT {

    /** {pk, sk} S keys; LSI byRank (pk, rank N) KEYS_ONLY; GSI byKind (kind S) ALL. */
    private static void createIndexed(DynamoDbClient dynamo, String name) {
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("rank").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("kind").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .localSecondaryIndexes(l -> l.indexName("byRank")
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("rank").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .globalSecondaryIndexes(g -> g.indexName("byKind")
                        .keySchema(k -> k.attributeName("kind").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }

    private static Map<String, AttributeValue> item(String pk, String sk, Object... more) {
        var item = new java.util.LinkedHashMap<String, AttributeValue>();
        item.put("pk", s(pk));
        item.put("sk", s(sk));
        for (int i = 0; i < more.length; i += 2) {
            item.put((String) more[i], (AttributeValue) more[i + 1]);
        }
        return item;
    }

    @Test
    void describeTableCountsItemsAndBytesLive(DynamoDbClient dynamo) {
        createIndexed(dynamo, "ic-counts");
        // 17 bytes: pk a (3), sk x (3), rank 5 (4 + 2), kind k (5); in byRank as its keys (12); in byKind whole.
        dynamo.putItem(r -> r.tableName("ic-counts").item(item("a", "x", "rank", n("5"), "kind", s("k"))));
        dynamo.putItem(r -> r.tableName("ic-counts").item(item("a", "y")));
        dynamo.putItem(r -> r.tableName("ic-counts").item(item("a", "y")));

        TableDescription two = dynamo.describeTable(r -> r.tableName("ic-counts")).table();
        dynamo.updateItem(r -> r.tableName("ic-counts").key(item("a", "y")).updateExpression("SET kind = :k").expressionAttributeValues(Map.of(":k", s("kk"))));
        dynamo.deleteItem(r -> r.tableName("ic-counts").key(item("a", "x")));
        TableDescription one = dynamo.describeTable(r -> r.tableName("ic-counts")).table();

        assertThat(two.itemCount()).isEqualTo(2);
        assertThat(two.tableSizeBytes()).isEqualTo(23);
        assertThat(two.globalSecondaryIndexes().getFirst().itemCount()).isEqualTo(1);
        assertThat(two.globalSecondaryIndexes().getFirst().indexSizeBytes()).isEqualTo(17);
        assertThat(two.localSecondaryIndexes().getFirst().itemCount()).isEqualTo(1);
        assertThat(two.localSecondaryIndexes().getFirst().indexSizeBytes()).isEqualTo(12);
        assertThat(one.itemCount()).isEqualTo(1);
        assertThat(one.tableSizeBytes()).isEqualTo(12);
        assertThat(one.globalSecondaryIndexes().getFirst().itemCount()).isEqualTo(1);
        assertThat(one.globalSecondaryIndexes().getFirst().indexSizeBytes()).isEqualTo(12);
        assertThat(one.localSecondaryIndexes().getFirst().itemCount()).isZero();
        assertThat(one.localSecondaryIndexes().getFirst().indexSizeBytes()).isZero();
    }

    @Test
    void aCreatedIndexIsCountedFromItsBackfillAndADeletedOneForgotten(DynamoDbClient dynamo) {
        Tables.create(dynamo, "ic-backfill", null);
        for (int i = 0; i < 5; i++) {
            Map<String, AttributeValue> value = Map.of("pk", s("k" + i), "color", s(i % 2 == 0 ? "red" : "blue"));
            dynamo.putItem(r -> r.tableName("ic-backfill").item(value));
        }
        dynamo.putItem(r -> r.tableName("ic-backfill").item(Map.of("pk", s("plain"))));

        dynamo.updateTable(r -> r.tableName("ic-backfill")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("color").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byColor")
                        .keySchema(k -> k.attributeName("color").keyType(KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        TableDescription indexed = dynamo.describeTable(r -> r.tableName("ic-backfill")).table();
        dynamo.updateTable(r -> r.tableName("ic-backfill").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byColor"))));
        dynamo.updateTable(r -> r.tableName("ic-backfill")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("shade").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byColor")
                        .keySchema(k -> k.attributeName("shade").keyType(KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        TableDescription recreated = dynamo.describeTable(r -> r.tableName("ic-backfill")).table();

        assertThat(indexed.itemCount()).isEqualTo(6);
        assertThat(indexed.globalSecondaryIndexes().getFirst().itemCount()).isEqualTo(5);
        assertThat(recreated.globalSecondaryIndexes().getFirst().itemCount()).isZero();
        assertThat(dynamo.scan(r -> r.tableName("ic-backfill").indexName("byColor")).count()).isZero();
    }

    @Test
    void writesReportTheirItemCollectionWhenAsked(DynamoDbClient dynamo) {
        createIndexed(dynamo, "ic-metrics");
        Tables.create(dynamo, "ic-plain", null);
        ItemCollectionMetrics expected = ItemCollectionMetrics.builder().itemCollectionKey(Map.of("pk", s("a"))).sizeEstimateRangeGB(0.0, 1.0).build();

        var put = dynamo.putItem(r -> r.tableName("ic-metrics").item(item("a", "x", "rank", n("1"))).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        var update = dynamo.updateItem(r -> r.tableName("ic-metrics").key(item("a", "x")).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", n("1"))).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        var notAsked = dynamo.putItem(r -> r.tableName("ic-metrics").item(item("a", "z")));
        var delete = dynamo.deleteItem(r -> r.tableName("ic-metrics").key(item("a", "z")).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        var plain = dynamo.putItem(r -> r.tableName("ic-plain").item(Map.of("pk", s("a"))).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        var batch = dynamo.batchWriteItem(r -> r.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE).requestItems(Map.of(
                "ic-metrics", List.of(WriteRequest.builder().putRequest(p -> p.item(item("b", "x"))).build()),
                "ic-plain", List.of(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("b")))).build()))));
        var transaction = dynamo.transactWriteItems(r -> r.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE).transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("ic-metrics").item(item("a", "w"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("ic-metrics").key(item("b", "x")).conditionExpression("attribute_exists(pk)")).build()));

        assertThat(put.itemCollectionMetrics()).isEqualTo(expected);
        assertThat(update.itemCollectionMetrics()).isEqualTo(expected);
        assertThat(notAsked.itemCollectionMetrics()).isNull();
        assertThat(delete.itemCollectionMetrics()).isEqualTo(expected);
        assertThat(plain.itemCollectionMetrics()).isNull();
        assertThat(batch.itemCollectionMetrics()).containsOnlyKeys("ic-metrics");
        assertThat(batch.itemCollectionMetrics().get("ic-metrics")).extracting(ItemCollectionMetrics::itemCollectionKey).containsExactly(Map.of("pk", s("b")));
        assertThat(transaction.itemCollectionMetrics().get("ic-metrics")).containsExactly(expected);
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("ic-metrics").item(item("a", "q")).returnItemCollectionMetrics("ALL")))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                        "1 validation error detected: Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
                                + "Member must satisfy enum value set: [SIZE, NONE]"));
    }

    /** DynamoDbSettings.ITEM_COLLECTION_SIZE_LIMIT_PROPERTY. */
    private static final String LIMIT_PROPERTY = "stratus.dynamodb.itemCollectionSizeLimitBytes";

    @Test
    void anItemCollectionStopsGrowingAtTheLimit(Stratus stratus) {
        // The setting is read when the server starts: 600 bytes instead of 10 GB. An item here is
        // 220 bytes, its KEYS_ONLY entry in byRank 16 + 100: the second item passes the limit.
        System.setProperty(LIMIT_PROPERTY, "600");
        try {
            stratus.restart();
        } finally {
            System.clearProperty(LIMIT_PROPERTY);
        }
        DynamoDbClient dynamo = stratus.client(DynamoDbClient.class);
        createIndexed(dynamo, "ic-limit");
        String filler = "f".repeat(200);
        int written = 0;
        try {
            for (; written < 10; written++) {
                Map<String, AttributeValue> value = item("full", "s" + written, "rank", n("1"), "fill", s(filler));
                dynamo.putItem(r -> r.tableName("ic-limit").item(value));
            }
        } catch (ItemCollectionSizeLimitExceededException e) {
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Collection size exceeded.");
            assertThat(e.statusCode()).isEqualTo(400);
        }

        assertThat(written).isEqualTo(1);
        dynamo.putItem(r -> r.tableName("ic-limit").item(item("other", "s0", "fill", s(filler))));
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("ic-limit").item(item("full", "t", "rank", n("2"), "fill", s(filler)))).build())))
                .isInstanceOfSatisfying(TransactionCanceledException.class,
                        e -> assertThat(e.cancellationReasons()).extracting(c -> c.code()).containsExactly("ItemCollectionSizeLimitExceeded"));
        assertThatThrownBy(() -> dynamo.batchWriteItem(r -> r.requestItems(Map.of("ic-limit",
                List.of(WriteRequest.builder().putRequest(p -> p.item(item("full", "u", "rank", n("3"), "fill", s(filler)))).build())))))
                .isInstanceOf(ItemCollectionSizeLimitExceededException.class);
        // Shrinking an over-full collection is always allowed; a table without LSIs has no limit.
        dynamo.deleteItem(r -> r.tableName("ic-limit").key(item("full", "s0")));
        dynamo.putItem(r -> r.tableName("ic-limit").item(item("full", "s0", "fill", s(filler))));
        Tables.create(dynamo, "ic-unlimited", null);
        for (int i = 0; i < 5; i++) {
            Map<String, AttributeValue> value = Map.of("pk", s("same"), "fill", s(filler + i));
            dynamo.putItem(r -> r.tableName("ic-unlimited").item(value));
        }
    }
}
