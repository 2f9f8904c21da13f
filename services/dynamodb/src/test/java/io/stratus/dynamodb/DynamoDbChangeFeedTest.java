package io.stratus.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.ChangeFeed.Position;
import io.stratus.core.spi.ChangeFeed.StartingPosition;
import io.stratus.dynamodb.TableModel.AttributeDefinition;
import io.stratus.dynamodb.TableModel.CreateTableRequest;
import io.stratus.dynamodb.TableModel.KeySchemaElement;
import io.stratus.dynamodb.TableModel.StreamSpecification;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.Store;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The change feed Lambda polls: positions, batches in Lambda's record shape, closed shards and trimming. */
class DynamoDbChangeFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A clock tests move by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration amount) {
            now = now.plus(amount);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final RequestContext context = new RequestContext("req", "000000000000", "us-east-1", "test", Principal.root("000000000000"), Instant.EPOCH);
    private final Store store = new MemoryStore();
    private final MovableClock clock = new MovableClock();
    private final TableStore tables = new TableStore(store);
    private final StreamRecords streams = new StreamRecords(clock);
    private final TableOperations tableOperations = new TableOperations(tables, new TablePurger(store), clock);
    private final ItemOperations items = new ItemOperations(tables, new ItemWrites(streams, DynamoDbSettings.DEFAULT_ITEM_COLLECTION_SIZE_LIMIT_BYTES));
    private final ChangeFeed feed = new DynamoDbChangeFeed(store);

    private String createTable(String name, String viewType) {
        tableOperations.createTable(context, new CreateTableRequest(List.of(new AttributeDefinition("pk", "S")), name,
                List.of(new KeySchemaElement("pk", "HASH")), null, null, "PAY_PER_REQUEST", null,
                new StreamSpecification(true, viewType), null, null, null));
        return tables.require(context, name).latestStreamArn();
    }

    private void put(String table, String pk, String value) {
        items.putItem(context, new ItemModel.PutItemRequest(table, Map.of("pk", new AttributeValue.S(pk), "v", new AttributeValue.S(value)),
                null, null, null, null, null, null, null, null, null));
    }

    private void delete(String table, String pk) {
        items.deleteItem(context, new ItemModel.DeleteItemRequest(table, Map.of("pk", new AttributeValue.S(pk)), null, null, null, null, null, null, null, null, null));
    }

    private static JsonNode json(ChangeFeed.Record record) {
        try {
            return JSON.readTree(record.json());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String shardOf(String arn) {
        return feed.describe(arn).orElseThrow().shards().getFirst().shardId();
    }

    @Test
    void describesAStreamWithOneOpenShard() {
        String arn = createTable("tbl", "NEW_IMAGE");

        ChangeFeed.FeedDescription description = feed.describe(arn).orElseThrow();

        assertThat(description.streamArn()).isEqualTo(arn).startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/tbl/stream/2026-01-01T00:00:00.000");
        assertThat(description.enabled()).isTrue();
        assertThat(description.shards()).singleElement().satisfies(shard -> {
            assertThat(shard.shardId()).matches("shardId-\\d{20}-[0-9a-f]{8}");
            assertThat(shard.closed()).isFalse();
        });
        assertThat(feed.describe(arn.replace("/tbl/", "/other/"))).isEmpty();
        assertThat(feed.describe("not an arn")).isEmpty();
    }

    @Test
    void readsRecordsInLambdaShapeFromTrimHorizonAndContinuesFromTheNextPosition() {
        String arn = createTable("tbl", "NEW_AND_OLD_IMAGES");
        put("tbl", "a", "1");
        put("tbl", "a", "2");
        delete("tbl", "a");
        String shard = shardOf(arn);

        Position start = feed.start(arn, shard, StartingPosition.TRIM_HORIZON, null);
        ChangeFeed.Batch first = feed.read(arn, shard, start, 2);

        assertThat(first.records()).extracting(r -> json(r).get("eventName").asText()).containsExactly("INSERT", "MODIFY");
        JsonNode modify = json(first.records().get(1));
        assertThat(modify.get("eventSourceARN").asText()).isEqualTo(arn);
        assertThat(modify.get("eventVersion").asText()).isEqualTo("1.1");
        assertThat(modify.get("eventSource").asText()).isEqualTo("aws:dynamodb");
        assertThat(modify.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(modify.get("eventID").asText()).matches("[0-9a-f]{32}");
        JsonNode body = modify.get("dynamodb");
        assertThat(body.get("Keys").toString()).isEqualTo("{\"pk\":{\"S\":\"a\"}}");
        assertThat(body.get("NewImage").get("v").get("S").asText()).isEqualTo("2");
        assertThat(body.get("OldImage").get("v").get("S").asText()).isEqualTo("1");
        assertThat(body.get("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(body.get("ApproximateCreationDateTime").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(body.get("SizeBytes").asLong()).isPositive();
        assertThat(body.get("SequenceNumber").asText()).hasSize(21).isEqualTo(first.records().get(1).sequenceNumber());
        assertThat(new BigDecimal(first.records().get(1).sequenceNumber())).isGreaterThan(new BigDecimal(first.records().get(0).sequenceNumber()));

        ChangeFeed.Batch second = feed.read(arn, shard, first.next(), 10);
        assertThat(second.records()).extracting(r -> json(r).get("eventName").asText()).containsExactly("REMOVE");
        assertThat(json(second.records().getFirst()).get("dynamodb").has("NewImage")).isFalse();

        ChangeFeed.Batch empty = feed.read(arn, shard, second.next(), 10);
        assertThat(empty.records()).isEmpty();
        assertThat(empty.next()).isEqualTo(second.next());
    }

    @Test
    void latestSkipsWhatIsThereAndAtTimestampStartsAtTheFirstRecordFromThen() {
        String arn = createTable("tbl", "KEYS_ONLY");
        put("tbl", "old", "1");
        clock.advance(Duration.ofMinutes(1));
        Instant later = clock.instant();
        put("tbl", "new", "1");
        String shard = shardOf(arn);

        Position latest = feed.start(arn, shard, StartingPosition.LATEST, null);
        Position atTime = feed.start(arn, shard, StartingPosition.AT_TIMESTAMP, later);
        put("tbl", "newest", "1");

        assertThat(feed.read(arn, shard, latest, 10).records()).extracting(r -> json(r).get("dynamodb").get("Keys").get("pk").get("S").asText())
                .containsExactly("newest");
        assertThat(feed.read(arn, shard, atTime, 10).records()).extracting(r -> json(r).get("dynamodb").get("Keys").get("pk").get("S").asText())
                .containsExactly("new", "newest");
    }

    @Test
    void aDisabledStreamsShardClosesAndItsLastReadHasNoNextPosition() {
        String arn = createTable("tbl", "NEW_IMAGE");
        put("tbl", "a", "1");
        tableOperations.updateTable(context, new TableModel.UpdateTableRequest("tbl", null, null, null, null, new StreamSpecification(false, null), null, null));
        put("tbl", "b", "1");
        String shard = shardOf(arn);

        assertThat(feed.describe(arn).orElseThrow().enabled()).isFalse();
        assertThat(feed.describe(arn).orElseThrow().shards().getFirst().closed()).isTrue();
        ChangeFeed.Batch batch = feed.read(arn, shard, feed.start(arn, shard, StartingPosition.TRIM_HORIZON, null), 10);
        assertThat(batch.records()).hasSize(1);
        assertThat(batch.next()).isNull();
    }

    @Test
    void recordsPastRetentionAreTrimmedAndReadingThemFails() {
        String arn = createTable("tbl", "NEW_IMAGE");
        put("tbl", "a", "1");
        String shard = shardOf(arn);
        Position start = feed.start(arn, shard, StartingPosition.TRIM_HORIZON, null);
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        put("tbl", "b", "1");

        new StreamTrimmer(store, clock, Duration.ofSeconds(1)).sweep();

        assertThatThrownBy(() -> feed.read(arn, shard, start, 10)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.TRIMMED_DATA_ACCESS));
        Position horizon = feed.start(arn, shard, StartingPosition.TRIM_HORIZON, null);
        assertThat(feed.read(arn, shard, horizon, 10).records()).extracting(r -> json(r).get("dynamodb").get("NewImage").get("pk").get("S").asText())
                .containsExactly("b");
    }

    @Test
    void ttlDeletionsCarryTheServiceIdentity() {
        String arn = createTable("tbl", "OLD_IMAGE");
        new TimeToLive(tables).updateTimeToLive(context, new TableModel.UpdateTimeToLiveRequest("tbl", new TableModel.TimeToLiveSpecification(true, "expires")));
        items.putItem(context, new ItemModel.PutItemRequest("tbl", Map.of("pk", new AttributeValue.S("a"),
                "expires", new AttributeValue.N(BigDecimal.valueOf(clock.instant().getEpochSecond() - 10))), null, null, null, null, null, null, null, null, null));

        new TtlWorker(tables, clock, Duration.ofSeconds(1), streams).sweep();

        String shard = shardOf(arn);
        List<JsonNode> records = feed.read(arn, shard, feed.start(arn, shard, StartingPosition.TRIM_HORIZON, null), 10).records().stream()
                .map(DynamoDbChangeFeedTest::json).toList();
        assertThat(records).extracting(r -> r.get("eventName").asText()).containsExactly("INSERT", "REMOVE");
        assertThat(records.get(0).has("userIdentity")).isFalse();
        assertThat(records.get(1).get("userIdentity").toString()).isEqualTo("{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}");
        assertThat(records.get(1).get("dynamodb").get("OldImage").get("pk").get("S").asText()).isEqualTo("a");
    }

    @Test
    void aTableWithoutAStreamWritesNoStreamKeys() {
        tableOperations.createTable(context, new CreateTableRequest(List.of(new AttributeDefinition("pk", "S")), "plain",
                List.of(new KeySchemaElement("pk", "HASH")), null, null, "PAY_PER_REQUEST", null, null, null, null, null));
        put("plain", "a", "1");
        delete("plain", "a");

        for (String keyspace : List.of(StreamStore.STREAMS, StreamStore.RECORDS, StreamStore.SEQUENCES)) {
            try (var scan = store.scan(keyspace, io.stratus.storage.KeyRange.all())) {
                assertThat(scan.hasNext()).as(keyspace).isFalse();
            }
        }
        assertThat(tables.require(context, "plain").latestStreamArn()).isNull();
    }

    @Test
    void unknownStreamsAndShardsAreNotFound() {
        String arn = createTable("tbl", "NEW_IMAGE");
        String shard = shardOf(arn);

        assertThatThrownBy(() -> feed.start(arn.replace("/tbl/", "/unknown/"), shard, StartingPosition.LATEST, null)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.RESOURCE_NOT_FOUND));
        assertThatThrownBy(() -> feed.start(arn, "shardId-00000000000000000000-00000000", StartingPosition.LATEST, null))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.RESOURCE_NOT_FOUND));
        assertThatThrownBy(() -> feed.read(arn, shard, new Position(shard, "12"), 10)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.VALIDATION));
    }
}
