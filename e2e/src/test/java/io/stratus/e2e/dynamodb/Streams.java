package io.stratus.e2e.dynamodb;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Stream tables and readers the Streams tests share. */
final class Streams {

    private Streams() {}

    /** A pay-per-request table keyed by {@code pk} (S) with a stream of {@code viewType}; returns the stream's ARN. */
    static String createTable(DynamoDbClient dynamo, String name, StreamViewType viewType) {
        return dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType)))
                .tableDescription().latestStreamArn();
    }

    /** The stream's one shard. */
    static String shard(DynamoDbStreamsClient streams, String streamArn) {
        return streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards().getFirst().shardId();
    }

    static String iterator(DynamoDbStreamsClient streams, String streamArn, ShardIteratorType type, String sequenceNumber) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard(streams, streamArn)).shardIteratorType(type)
                .sequenceNumber(sequenceNumber)).shardIterator();
    }

    /** Every record from the trim horizon to the newest. */
    static List<Record> readAll(DynamoDbStreamsClient streams, String streamArn) {
        return readFrom(streams, iterator(streams, streamArn, ShardIteratorType.TRIM_HORIZON, null));
    }

    /** Every record from an iterator on, until a page comes back empty or the shard ends. */
    static List<Record> readFrom(DynamoDbStreamsClient streams, String iterator) {
        List<Record> records = new ArrayList<>();
        String next = iterator;
        while (next != null) {
            String current = next;
            var page = streams.getRecords(r -> r.shardIterator(current));
            records.addAll(page.records());
            next = page.records().isEmpty() ? null : page.nextShardIterator();
        }
        return records;
    }
}
