package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Every Streams operation's bad inputs, with AWS's error code and status. */
@StratusTest
class DynamoDbStreamsBadInputIT {

    private static final String MISSING_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2026-01-01T00:00:00.000";

    private static void fails(ThrowingCallable call, String code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).contains(messagePart);
        });
    }

    @Test
    void unknownStreamsAndShardsAreNotFound(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "bad-unknown", StreamViewType.KEYS_ONLY);

        fails(() -> streams.describeStream(r -> r.streamArn(MISSING_ARN)), "ResourceNotFoundException", "Requested resource not found");
        fails(() -> streams.describeStream(r -> r.streamArn(arn.replace("us-east-1", "eu-west-1"))), "ResourceNotFoundException", "not found");
        fails(() -> streams.getShardIterator(r -> r.streamArn(MISSING_ARN).shardId("shardId-00000000000000000000-00000000")
                .shardIteratorType(ShardIteratorType.LATEST)), "ResourceNotFoundException", "Requested resource not found");
        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId("shardId-00000000000000000000-00000000")
                .shardIteratorType(ShardIteratorType.LATEST)), "ResourceNotFoundException", "Shard");
    }

    @Test
    void malformedArnsAndShardIdsAreValidationErrors(DynamoDbStreamsClient streams) {
        fails(() -> streams.describeStream(r -> r.streamArn("arn:aws:dynamodb:us-east-1:000000000000:table/x")), "ValidationException", "StreamArn");
        fails(() -> streams.describeStream(r -> r.streamArn("short")), "ValidationException", "Member must have length greater than or equal to 37");
        fails(() -> streams.describeStream(r -> r.streamArn(MISSING_ARN).limit(0)), "ValidationException", "Member must have value greater than or equal to 1");
        fails(() -> streams.describeStream(r -> r.streamArn(MISSING_ARN).limit(101)), "ValidationException", "less than or equal to 100");
        fails(() -> streams.listStreams(r -> r.limit(0)), "ValidationException", "greater than or equal to 1");
        fails(() -> streams.listStreams(r -> r.exclusiveStartStreamArn("arn:aws:dynamodb:us-east-1:000000000000:table/not-a-stream")),
                "ValidationException", "ExclusiveStartStreamArn");
        fails(() -> streams.getShardIterator(r -> r.streamArn(MISSING_ARN).shardId("short").shardIteratorType(ShardIteratorType.LATEST)),
                "ValidationException", "Member must have length greater than or equal to 28");
    }

    @Test
    void iteratorTypesAndSequenceNumbersAreChecked(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "bad-iterators", StreamViewType.KEYS_ONLY);
        dynamo.putItem(r -> r.tableName("bad-iterators").item(Map.of("pk", s("a"))));
        String shard = Streams.shard(streams, arn);
        String first = Streams.readAll(streams, arn).getFirst().dynamodb().sequenceNumber();

        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType("SOMEWHERE")),
                "ValidationException", "Member must satisfy enum value set");
        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)), "ValidationException", "shardIteratorType");
        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)),
                "ValidationException", "SequenceNumber");
        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber("12x")), "ValidationException", "Invalid SequenceNumber");
        String beyond = first.substring(0, 20) + (char) (first.charAt(20) + 5);
        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .sequenceNumber(beyond)), "ValidationException", "Invalid SequenceNumber");
        fails(() -> streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)
                .sequenceNumber(first)), "ValidationException", "SequenceNumber");
    }

    @Test
    void getRecordsChecksItsIteratorAndLimit(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "bad-records", StreamViewType.KEYS_ONLY);
        String iterator = Streams.iterator(streams, arn, ShardIteratorType.TRIM_HORIZON, null);

        fails(() -> streams.getRecords(r -> r.shardIterator("not an iterator")), "ValidationException", "Invalid ShardIterator");
        fails(() -> streams.getRecords(r -> r.shardIterator(iterator).limit(0)), "ValidationException", "greater than or equal to 1");
        fails(() -> streams.getRecords(r -> r.shardIterator(iterator).limit(1001)), "ValidationException", "less than or equal to 1000");
        assertThat(streams.getRecords(r -> r.shardIterator(iterator).limit(1000)).records()).isEmpty();
    }

    @Test
    void enablingAStreamTwiceIsRefused(DynamoDbClient dynamo) {
        Streams.createTable(dynamo, "bad-twice", StreamViewType.KEYS_ONLY);

        fails(() -> dynamo.updateTable(r -> r.tableName("bad-twice").streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))),
                "ValidationException", "Table already has an enabled stream");
        fails(() -> dynamo.updateTable(r -> r.tableName("bad-twice").streamSpecification(s -> s.streamEnabled(true))),
                "ValidationException", "You must specify a StreamViewType when enabling a stream");
        dynamo.updateTable(r -> r.tableName("bad-twice").streamSpecification(s -> s.streamEnabled(false)));
        fails(() -> dynamo.updateTable(r -> r.tableName("bad-twice").streamSpecification(s -> s.streamEnabled(false))),
                "ValidationException", "Table already has stream disabled");
    }
}
