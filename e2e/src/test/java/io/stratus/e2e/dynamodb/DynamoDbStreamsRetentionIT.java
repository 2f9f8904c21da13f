package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Time-bound behaviour, by the test clock: iterators expire after 15 minutes, records after 24 hours. */
@StratusTest
class DynamoDbStreamsRetentionIT {

    @Test
    void iteratorsExpireAfterFifteenMinutes(Stratus stratus, DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "ret-expiry", StreamViewType.KEYS_ONLY);
        String iterator = Streams.iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);
        stratus.clock().advance(Duration.ofMinutes(14));
        String next = streams.getRecords(r -> r.shardIterator(iterator)).nextShardIterator();

        stratus.clock().advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> streams.getRecords(r -> r.shardIterator(iterator))).isInstanceOfSatisfying(ExpiredIteratorException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("Iterator expired");
        });
        assertThat(streams.getRecords(r -> r.shardIterator(next)).records()).as("a next iterator lives 15 minutes from its own answer").isEmpty();
    }

    @Test
    void recordsPastTwentyFourHoursAreTrimmed(Stratus stratus, DynamoDbClient dynamo, DynamoDbStreamsClient streams) throws Exception {
        String arn = Streams.createTable(dynamo, "ret-trim", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("ret-trim").item(Map.of("pk", s("old"))));
        String oldSequence = Streams.readAll(streams, arn).getFirst().dynamodb().sequenceNumber();
        String staleIterator = Streams.iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);
        stratus.clock().advance(Duration.ofHours(23));
        dynamo.putItem(r -> r.tableName("ret-trim").item(Map.of("pk", s("young"))));
        stratus.clock().advance(Duration.ofMinutes(61));

        List<Record> records = readWhileSweeping(streams, arn);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (records.size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            records = readWhileSweeping(streams, arn);
        }

        assertThat(records).extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("young");
        String shard = Streams.shard(streams, arn);
        assertThatThrownBy(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .sequenceNumber(oldSequence))).isInstanceOfSatisfying(TrimmedDataAccessException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(staleIterator).isNotNull();
    }

    @Test
    void anIteratorWhoseRecordsWereTrimmedFailsWithTrimmedDataAccess(Stratus stratus, DynamoDbClient dynamo, DynamoDbStreamsClient streams)
            throws Exception {
        String arn = Streams.createTable(dynamo, "ret-stale", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("ret-stale").item(Map.of("pk", s("a"))));
        stratus.clock().advance(Duration.ofHours(24).minusMinutes(5));
        String iterator = Streams.iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);
        stratus.clock().advance(Duration.ofMinutes(10));

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!trimmed(streams, arn) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThatThrownBy(() -> streams.getRecords(r -> r.shardIterator(iterator))).isInstanceOfSatisfying(TrimmedDataAccessException.class,
                e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void aDisabledStreamIsForgottenADayAfterItWasDisabled(Stratus stratus, DynamoDbClient dynamo, DynamoDbStreamsClient streams) throws Exception {
        String arn = Streams.createTable(dynamo, "ret-forget", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("ret-forget").item(Map.of("pk", s("a"))));
        dynamo.deleteTable(r -> r.tableName("ret-forget"));
        stratus.clock().advance(Duration.ofHours(25));

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!streams.listStreams(r -> r.tableName("ret-forget")).streams().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(streams.listStreams(r -> r.tableName("ret-forget")).streams()).isEmpty();
        assertThatThrownBy(() -> streams.describeStream(r -> r.streamArn(arn))).isInstanceOf(ResourceNotFoundException.class);
    }

    /** Whether the sweep removed every record: a read from the trim horizon finds none. */
    private static boolean trimmed(DynamoDbStreamsClient streams, String arn) throws InterruptedException {
        return readWhileSweeping(streams, arn).isEmpty();
    }

    /**
     * Every record from the trim horizon on, read again when the sweep trimmed between the read's
     * GetShardIterator and its GetRecords (tests here share one server and its clock).
     */
    private static List<Record> readWhileSweeping(DynamoDbStreamsClient streams, String arn) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Streams.readAll(streams, arn);
            } catch (TrimmedDataAccessException e) {
                if (attempt == 20) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
