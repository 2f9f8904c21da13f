package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Stream records are written with their items: on RocksDB they survive a restart, and sequences carry on. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DynamoDbStreamsRestartIT {

    @Test
    void recordsStreamsAndIteratorsSurviveRestart(Stratus stratus, DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        String arn = Streams.createTable(dynamo, "restart-stream", StreamViewType.NEW_AND_OLD_IMAGES);
        dynamo.putItem(r -> r.tableName("restart-stream").item(Map.of("pk", s("a"))));
        dynamo.deleteItem(r -> r.tableName("restart-stream").key(key("a")));
        List<Record> before = Streams.readAll(streams, arn);
        String latest = Streams.iterator(streams, arn, ShardIteratorType.LATEST, null);

        stratus.restart();

        List<Record> after = Streams.readAll(streams, arn);
        assertThat(after).isEqualTo(before);
        assertThat(streams.describeStream(r -> r.streamArn(arn)).streamDescription().streamStatus()).isEqualTo(StreamStatus.ENABLED);
        dynamo.putItem(r -> r.tableName("restart-stream").item(Map.of("pk", s("b"))));
        List<Record> newer = Streams.readFrom(streams, latest);
        assertThat(newer).extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("b");
        assertThat(new java.math.BigInteger(newer.getFirst().dynamodb().sequenceNumber()))
                .isGreaterThan(new java.math.BigInteger(before.getLast().dynamodb().sequenceNumber()));
    }
}
