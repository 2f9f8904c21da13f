package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** DynamoDB Streams through the SDK: records from every write path, view types, iterators, pages, disabled streams. */
@StratusTest
class DynamoDbStreamsIT {

    @Test
    void everyChangeOfPutUpdateAndDeleteIsRecordedInOrderAndNoChangeIsNot(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-items", StreamViewType.NEW_AND_OLD_IMAGES);
        dynamo.putItem(r -> r.tableName("st-items").item(Map.of("pk", s("a"), "v", n("1"))));
        dynamo.putItem(r -> r.tableName("st-items").item(Map.of("pk", s("a"), "v", n("1"))));
        dynamo.updateItem(r -> r.tableName("st-items").key(key("a")).updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", n("2"))));
        dynamo.updateItem(r -> r.tableName("st-items").key(key("a")).updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", n("2"))));
        dynamo.deleteItem(r -> r.tableName("st-items").key(key("a")));
        dynamo.deleteItem(r -> r.tableName("st-items").key(key("absent")));
        dynamo.updateItem(r -> r.tableName("st-items").key(key("b")).updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", n("7"))));

        List<Record> records = Streams.readAll(streams, arn);

        assertThat(records).extracting(Record::eventName)
                .containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE, OperationType.INSERT);
        Record insert = records.get(0);
        assertThat(insert.eventID()).matches("[0-9a-f]{32}");
        assertThat(insert.eventVersion()).isEqualTo("1.1");
        assertThat(insert.eventSource()).isEqualTo("aws:dynamodb");
        assertThat(insert.awsRegion()).isEqualTo("us-east-1");
        assertThat(insert.userIdentity()).isNull();
        assertThat(insert.dynamodb().keys()).isEqualTo(key("a"));
        assertThat(insert.dynamodb().newImage()).isEqualTo(Map.of("pk", s("a"), "v", n("1")));
        assertThat(insert.dynamodb().hasOldImage()).isFalse();
        assertThat(insert.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(insert.dynamodb().sizeBytes()).isPositive();
        assertThat(insert.dynamodb().approximateCreationDateTime()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        Record modify = records.get(1);
        assertThat(modify.dynamodb().oldImage()).isEqualTo(Map.of("pk", s("a"), "v", n("1")));
        assertThat(modify.dynamodb().newImage()).isEqualTo(Map.of("pk", s("a"), "v", n("2")));
        Record remove = records.get(2);
        assertThat(remove.dynamodb().oldImage()).isEqualTo(Map.of("pk", s("a"), "v", n("2")));
        assertThat(remove.dynamodb().hasNewImage()).isFalse();
        List<BigInteger> sequences = records.stream().map(r -> r.dynamodb().sequenceNumber()).peek(q -> assertThat(q).matches("\\d{21}"))
                .map(BigInteger::new).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(value = StreamViewType.class, names = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
    void theViewTypeDecidesWhichImagesARecordCarries(StreamViewType viewType, DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String table = "st-view-" + viewType.toString().toLowerCase().replace('_', '-');
        String arn = Streams.createTable(dynamo, table, viewType);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "v", n("1"))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "v", n("2"))));

        Record modify = Streams.readAll(streams, arn).get(1);

        boolean newImage = viewType == StreamViewType.NEW_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
        boolean oldImage = viewType == StreamViewType.OLD_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
        assertThat(modify.dynamodb().keys()).isEqualTo(key("a"));
        assertThat(modify.dynamodb().streamViewType()).isEqualTo(viewType);
        assertThat(modify.dynamodb().hasNewImage()).isEqualTo(newImage);
        assertThat(modify.dynamodb().hasOldImage()).isEqualTo(oldImage);
        if (newImage) {
            assertThat(modify.dynamodb().newImage()).containsEntry("v", n("2"));
        }
        if (oldImage) {
            assertThat(modify.dynamodb().oldImage()).containsEntry("v", n("1"));
        }
    }

    @Test
    void batchWritesAndTransactionsRecordEachChangedItem(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-batch", StreamViewType.NEW_IMAGE);
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("st-batch", List.of(
                WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("a")))).build(),
                WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("b")))).build(),
                WriteRequest.builder().deleteRequest(d -> d.key(key("missing"))).build()))));
        dynamo.batchWriteItem(r -> r.requestItems(Map.of("st-batch", List.of(
                WriteRequest.builder().deleteRequest(d -> d.key(key("a"))).build()))));
        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("st-batch").item(Map.of("pk", s("c")))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("st-batch").key(key("b")).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("st-batch").key(key("x")).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().delete(d -> d.tableName("st-batch").key(key("nothing"))).build()));

        List<Record> records = Streams.readAll(streams, arn);

        assertThat(records).extracting(r -> r.eventName() + " " + r.dynamodb().keys().get("pk").s())
                .containsExactly("INSERT a", "INSERT b", "REMOVE a", "INSERT c", "MODIFY b");
    }

    @Test
    void aCanceledTransactionOrFailedConditionRecordsNothing(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-cancel", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("st-cancel").item(Map.of("pk", s("a"))));
        try {
            dynamo.putItem(r -> r.tableName("st-cancel").item(Map.of("pk", s("a"), "v", n("1"))).conditionExpression("attribute_not_exists(pk)"));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException expected) {
            // nothing written, nothing recorded
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("st-cancel").item(Map.of("pk", s("b")))).build(),
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName("st-cancel").key(key("a")).conditionExpression("attribute_not_exists(pk)")).build()));
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException expected) {
            // nothing written, nothing recorded
        }

        assertThat(Streams.readAll(streams, arn)).extracting(Record::eventNameAsString).containsExactly("INSERT");
    }

    @Test
    void tablesDescribeTheirLatestStreamAndDescribeStreamShowsItsShard(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-describe", StreamViewType.KEYS_ONLY);
        var table = dynamo.describeTable(r -> r.tableName("st-describe")).table();
        dynamo.putItem(r -> r.tableName("st-describe").item(Map.of("pk", s("a"))));

        assertThat(arn).isEqualTo(table.latestStreamArn()).isEqualTo(table.tableArn() + "/stream/" + table.latestStreamLabel());
        assertThat(table.latestStreamLabel()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(table.streamSpecification().streamEnabled()).isTrue();
        var description = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        assertThat(description.streamArn()).isEqualTo(arn);
        assertThat(description.streamLabel()).isEqualTo(table.latestStreamLabel());
        assertThat(description.streamStatus()).isEqualTo(StreamStatus.ENABLED);
        assertThat(description.streamViewType()).isEqualTo(StreamViewType.KEYS_ONLY);
        assertThat(description.tableName()).isEqualTo("st-describe");
        assertThat(description.creationRequestDateTime()).isNotNull();
        assertThat(description.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk");
        assertThat(description.shards()).singleElement().satisfies(shard -> {
            assertThat(shard.shardId()).matches("shardId-\\d{20}-[0-9a-f]{8}");
            assertThat(shard.sequenceNumberRange().startingSequenceNumber()).matches("\\d{21}");
            assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNull();
            assertThat(shard.parentShardId()).isNull();
        });
        assertThat(streams.describeStream(r -> r.streamArn(arn).exclusiveStartShardId(description.shards().getFirst().shardId()))
                .streamDescription().shards()).isEmpty();
    }

    @Test
    void listStreamsFiltersByTableAndPages(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String one = Streams.createTable(dynamo, "st-list-1", StreamViewType.KEYS_ONLY);
        String two = Streams.createTable(dynamo, "st-list-2", StreamViewType.KEYS_ONLY);
        Tables.create(dynamo, "st-list-none", null);

        var mine = streams.listStreams(r -> r.tableName("st-list-1")).streams();
        assertThat(mine).singleElement().satisfies(s -> {
            assertThat(s.streamArn()).isEqualTo(one);
            assertThat(s.tableName()).isEqualTo("st-list-1");
            assertThat(s.streamLabel()).isEqualTo(one.substring(one.lastIndexOf('/') + 1));
        });
        assertThat(streams.listStreams(r -> r.tableName("st-list-none")).streams()).isEmpty();

        List<String> all = new ArrayList<>();
        String start = null;
        do {
            String after = start;
            var page = streams.listStreams(r -> r.limit(1).exclusiveStartStreamArn(after));
            assertThat(page.streams()).hasSizeLessThanOrEqualTo(1);
            page.streams().forEach(s -> all.add(s.streamArn()));
            start = page.lastEvaluatedStreamArn();
        } while (start != null);
        assertThat(all).contains(one, two).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void iteratorsStartWhereTheirTypeSays(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-iterators", StreamViewType.KEYS_ONLY);
        for (String pk : List.of("a", "b", "c")) {
            dynamo.putItem(r -> r.tableName("st-iterators").item(Map.of("pk", s(pk))));
        }
        List<Record> all = Streams.readAll(streams, arn);
        String second = all.get(1).dynamodb().sequenceNumber();
        String latest = Streams.iterator(streams, arn, ShardIteratorType.LATEST, null);
        dynamo.putItem(r -> r.tableName("st-iterators").item(Map.of("pk", s("d"))));

        assertThat(pks(Streams.readFrom(streams, latest))).containsExactly("d");
        assertThat(pks(Streams.readFrom(streams, Streams.iterator(streams, arn, ShardIteratorType.AT_SEQUENCE_NUMBER, second))))
                .containsExactly("b", "c", "d");
        assertThat(pks(Streams.readFrom(streams, Streams.iterator(streams, arn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, second))))
                .containsExactly("c", "d");
        assertThat(pks(Streams.readAll(streams, arn))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void getRecordsPagesByLimitAndTheNextIteratorWaitsForNewRecords(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-pages", StreamViewType.KEYS_ONLY);
        for (int i = 0; i < 5; i++) {
            String pk = "k" + i;
            dynamo.putItem(r -> r.tableName("st-pages").item(Map.of("pk", s(pk))));
        }
        String iterator = Streams.iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            String current = iterator;
            var response = streams.getRecords(r -> r.shardIterator(current).limit(2));
            assertThat(response.records()).hasSize(page < 2 ? 2 : 1);
            seen.addAll(pks(response.records()));
            iterator = response.nextShardIterator();
        }
        assertThat(seen).containsExactly("k0", "k1", "k2", "k3", "k4");
        String atEnd = iterator;
        var empty = streams.getRecords(r -> r.shardIterator(atEnd));
        assertThat(empty.records()).isEmpty();
        assertThat(empty.nextShardIterator()).isNotNull();

        dynamo.putItem(r -> r.tableName("st-pages").item(Map.of("pk", s("k5"))));
        assertThat(pks(streams.getRecords(r -> r.shardIterator(empty.nextShardIterator())).records())).containsExactly("k5");
    }

    @Test
    void aPageStopsAtOneMegabyte(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-megabyte", StreamViewType.NEW_AND_OLD_IMAGES);
        String big = "x".repeat(300 * 1024);
        for (int i = 0; i < 4; i++) {
            String pk = "k" + i;
            dynamo.putItem(r -> r.tableName("st-megabyte").item(Map.of("pk", s(pk), "big", s(big))));
        }
        String iterator = Streams.iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);

        var first = streams.getRecords(r -> r.shardIterator(iterator));

        assertThat(first.records()).hasSize(3);
        assertThat(pks(streams.getRecords(r -> r.shardIterator(first.nextShardIterator())).records())).containsExactly("k3");
    }

    @Test
    void disablingClosesTheStreamAndReEnablingStartsANewOne(DynamoDbClient dynamo, DynamoDbStreamsClient streams) throws Exception {
        String first = Streams.createTable(dynamo, "st-toggle", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("st-toggle").item(Map.of("pk", s("a"))));
        dynamo.updateTable(r -> r.tableName("st-toggle").streamSpecification(s -> s.streamEnabled(false)));
        dynamo.putItem(r -> r.tableName("st-toggle").item(Map.of("pk", s("unseen"))));
        Thread.sleep(2);
        String second = dynamo.updateTable(r -> r.tableName("st-toggle").streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                .tableDescription().latestStreamArn();
        dynamo.putItem(r -> r.tableName("st-toggle").item(Map.of("pk", s("b"))));

        assertThat(second).isNotEqualTo(first);
        assertThat(dynamo.describeTable(r -> r.tableName("st-toggle")).table().latestStreamArn()).isEqualTo(second);
        var closed = streams.describeStream(r -> r.streamArn(first)).streamDescription();
        assertThat(closed.streamStatus()).isEqualTo(StreamStatus.DISABLED);
        assertThat(closed.shards().getFirst().sequenceNumberRange().endingSequenceNumber()).matches("\\d{21}");
        assertThat(streams.describeStream(r -> r.streamArn(second)).streamDescription().streamStatus()).isEqualTo(StreamStatus.ENABLED);
        assertThat(pks(Streams.readAll(streams, first))).containsExactly("a");
        assertThat(pks(Streams.readAll(streams, second))).containsExactly("b");
        var end = streams.getRecords(r -> r.shardIterator(Streams.iterator(streams, first, ShardIteratorType.TRIM_HORIZON, null)));
        assertThat(end.records()).hasSize(1);
        assertThat(end.nextShardIterator()).as("a closed shard read to its end").isNull();
        assertThat(streams.listStreams(r -> r.tableName("st-toggle")).streams()).extracting(s -> s.streamArn()).containsExactly(first, second);
    }

    @Test
    void deletingTheTableDisablesItsStreamWhichStaysReadable(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "st-deleted", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("st-deleted").item(Map.of("pk", s("a"))));

        dynamo.deleteTable(r -> r.tableName("st-deleted"));

        assertThat(streams.describeStream(r -> r.streamArn(arn)).streamDescription().streamStatus()).isEqualTo(StreamStatus.DISABLED);
        assertThat(pks(Streams.readAll(streams, arn))).containsExactly("a");
        String recreated = Streams.createTable(dynamo, "st-deleted", StreamViewType.KEYS_ONLY);
        assertThat(recreated).isNotEqualTo(arn);
        assertThat(Streams.readAll(streams, recreated)).isEmpty();
    }

    @Test
    void ttlDeletionsAreRemovesByTheDynamoDbService(Stratus stratus, DynamoDbClient dynamo, DynamoDbStreamsClient streams) throws Exception {
        String arn = Streams.createTable(dynamo, "st-ttl", StreamViewType.OLD_IMAGE);
        dynamo.updateTimeToLive(r -> r.tableName("st-ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        long past = stratus.clock().instant().getEpochSecond() - 10;
        dynamo.putItem(r -> r.tableName("st-ttl").item(Map.of("pk", s("gone"), "expires", n(Long.toString(past)))));

        List<Record> records = Streams.readAll(streams, arn);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (records.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            records = Streams.readAll(streams, arn);
        }

        assertThat(records).extracting(Record::eventName).containsExactly(OperationType.INSERT, OperationType.REMOVE);
        assertThat(records.get(0).userIdentity()).isNull();
        Record remove = records.get(1);
        assertThat(remove.userIdentity().type()).isEqualTo("Service");
        assertThat(remove.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(remove.dynamodb().oldImage()).containsEntry("pk", s("gone"));
    }

    @Test
    void concurrentWritersGetDistinctIncreasingSequenceNumbers(DynamoDbClient dynamo, DynamoDbStreamsClient streams) throws Exception {
        String arn = Streams.createTable(dynamo, "st-concurrent", StreamViewType.KEYS_ONLY);
        int writers = 8;
        int each = 20;
        try (ExecutorService executor = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String pk = writer + "-" + i;
                        dynamo.putItem(r -> r.tableName("st-concurrent").item(Map.of("pk", s(pk))));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }

        List<Record> records = Streams.readAll(streams, arn);

        assertThat(records).hasSize(writers * each);
        assertThat(pks(records)).doesNotHaveDuplicates();
        assertThat(records.stream().map(r -> new BigInteger(r.dynamodb().sequenceNumber())).toList()).isSorted().doesNotHaveDuplicates();
    }

    private static List<String> pks(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().keys().get("pk").s()).toList();
    }
}
