package io.stratus.e2e.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescription;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Kinesis Data Streams through the SDK, which speaks CBOR to it: streams and their shards, records
 * put and read back in order from every kind of iterator, tags and retention, and what was
 * acknowledged still there after a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class KinesisIT {

    private static List<Record> read(KinesisClient kinesis, String stream, String shardId, ShardIteratorType type, String sequence) {
        String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shardId).shardIteratorType(type).startingSequenceNumber(sequence))
                .shardIterator();
        return kinesis.getRecords(r -> r.shardIterator(iterator)).records();
    }

    @Test
    void streamsHaveShardsThatSplitTheHashKeySpace(KinesisClient kinesis) {
        kinesis.createStream(r -> r.streamName("orders").shardCount(3));
        kinesis.waiter().waitUntilStreamExists(r -> r.streamName("orders"));

        StreamDescription description = kinesis.describeStream(r -> r.streamName("orders")).streamDescription();
        assertThat(description.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
        assertThat(description.streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
        assertThat(description.streamModeDetails().streamMode()).isEqualTo(StreamMode.PROVISIONED);
        assertThat(description.retentionPeriodHours()).isEqualTo(24);
        assertThat(description.hasMoreShards()).isFalse();
        List<Shard> shards = description.shards();
        assertThat(shards).extracting(Shard::shardId).containsExactly("shardId-000000000000", "shardId-000000000001", "shardId-000000000002");
        assertThat(shards.getFirst().hashKeyRange().startingHashKey()).isEqualTo("0");
        assertThat(shards.getLast().hashKeyRange().endingHashKey()).isEqualTo(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).toString());
        for (int i = 1; i < shards.size(); i++) {
            assertThat(new BigInteger(shards.get(i).hashKeyRange().startingHashKey()))
                    .isEqualTo(new BigInteger(shards.get(i - 1).hashKeyRange().endingHashKey()).add(BigInteger.ONE));
        }

        assertThat(kinesis.describeStreamSummary(r -> r.streamARN(description.streamARN())).streamDescriptionSummary().openShardCount()).isEqualTo(3);
        var firstPage = kinesis.listShards(r -> r.streamName("orders").maxResults(2));
        assertThat(firstPage.shards()).hasSize(2);
        assertThat(kinesis.listShards(r -> r.nextToken(firstPage.nextToken())).shards()).extracting(Shard::shardId)
                .containsExactly("shardId-000000000002");
        assertThat(kinesis.listShards(r -> r.streamName("orders").shardFilter(f -> f.type(ShardFilterType.AFTER_SHARD_ID)
                .shardId("shardId-000000000000"))).shards()).extracting(Shard::shardId).containsExactly("shardId-000000000001", "shardId-000000000002");
        assertThat(kinesis.listShards(r -> r.streamName("orders").shardFilter(f -> f.type(ShardFilterType.AT_LATEST))).shards()).hasSize(3);
        assertThat(kinesis.listStreams(r -> r.limit(100)).streamNames()).contains("orders");

        kinesis.createStream(r -> r.streamName("on-demand").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName("on-demand")).streamDescriptionSummary().openShardCount()).isEqualTo(4);
        var limits = kinesis.describeLimits(r -> { });
        assertThat(limits.shardLimit()).isEqualTo(500);
        assertThat(limits.onDemandStreamCountLimit()).isEqualTo(50);
        assertThat(limits.onDemandStreamCount()).isGreaterThanOrEqualTo(1);
        assertThat(limits.openShardCount()).isGreaterThanOrEqualTo(7);

        kinesis.updateStreamMode(r -> r.streamARN(description.streamARN()).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
        var switched = kinesis.describeStreamSummary(r -> r.streamName("orders")).streamDescriptionSummary();
        assertThat(switched.streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND);
        assertThat(switched.openShardCount()).isEqualTo(3);
    }

    @Test
    void recordsComeBackInOrderFromEveryKindOfIterator(KinesisClient kinesis, Stratus stratus) {
        kinesis.createStream(r -> r.streamName("events").shardCount(1));
        Instant beforeSecond;
        PutRecordResponse first = kinesis.putRecord(r -> r.streamName("events").partitionKey("a").data(SdkBytes.fromUtf8String("one")));
        beforeSecond = Instant.now();
        PutRecordsResponse more = kinesis.putRecords(r -> r.streamName("events").records(
                PutRecordsRequestEntry.builder().partitionKey("b").data(SdkBytes.fromUtf8String("two")).build(),
                PutRecordsRequestEntry.builder().partitionKey("c").data(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255})).build()));
        assertThat(first.shardId()).isEqualTo("shardId-000000000000");
        assertThat(more.failedRecordCount()).isZero();
        assertThat(more.records()).allSatisfy(entry -> assertThat(entry.shardId()).isEqualTo("shardId-000000000000"));
        assertThat(new BigInteger(more.records().get(0).sequenceNumber())).isGreaterThan(new BigInteger(first.sequenceNumber()));

        List<Record> all = read(kinesis, "events", "shardId-000000000000", ShardIteratorType.TRIM_HORIZON, null);
        assertThat(all).extracting(Record::partitionKey).containsExactly("a", "b", "c");
        assertThat(all.getFirst().data().asUtf8String()).isEqualTo("one");
        assertThat(all.getLast().data().asByteArray()).containsExactly(0, 1, 2, 255);
        assertThat(all.getFirst().sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(all.getFirst().approximateArrivalTimestamp()).isBetween(beforeSecond.minusSeconds(60), Instant.now());

        assertThat(read(kinesis, "events", "shardId-000000000000", ShardIteratorType.AFTER_SEQUENCE_NUMBER, first.sequenceNumber()))
                .extracting(Record::partitionKey).containsExactly("b", "c");
        assertThat(read(kinesis, "events", "shardId-000000000000", ShardIteratorType.AT_SEQUENCE_NUMBER, more.records().get(1).sequenceNumber()))
                .extracting(Record::partitionKey).containsExactly("c");

        // LATEST sees only what comes after it; the next iterator goes on from there.
        String latest = kinesis.getShardIterator(r -> r.streamName("events").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        var nothing = kinesis.getRecords(r -> r.shardIterator(latest));
        assertThat(nothing.records()).isEmpty();
        assertThat(nothing.millisBehindLatest()).isZero();
        kinesis.putRecord(r -> r.streamName("events").partitionKey("d").data(SdkBytes.fromUtf8String("four")));
        assertThat(kinesis.getRecords(r -> r.shardIterator(nothing.nextShardIterator())).records()).extracting(Record::partitionKey)
                .containsExactly("d");

        String atTimestamp = kinesis.getShardIterator(r -> r.streamName("events").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.now().plusSeconds(60))).shardIterator();
        assertThat(kinesis.getRecords(r -> r.shardIterator(atTimestamp)).records()).isEmpty();

        // Limit pages through the shard.
        String paged = kinesis.getShardIterator(r -> r.streamName("events").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        var page = kinesis.getRecords(r -> r.shardIterator(paged).limit(3));
        assertThat(page.records()).hasSize(3);
        assertThat(page.millisBehindLatest()).isGreaterThanOrEqualTo(0);
        assertThat(kinesis.getRecords(r -> r.shardIterator(page.nextShardIterator())).records()).extracting(Record::partitionKey)
                .containsExactly("d");

        // Acknowledged records survive a restart.
        stratus.restart();
        assertThat(read(kinesis, "events", "shardId-000000000000", ShardIteratorType.TRIM_HORIZON, null)).extracting(Record::partitionKey)
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void partitionKeysAndExplicitHashKeysPickTheShard(KinesisClient kinesis) {
        kinesis.createStream(r -> r.streamName("spread").shardCount(4));
        String top = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).toString();
        assertThat(kinesis.putRecord(r -> r.streamName("spread").partitionKey("x").explicitHashKey(top).data(SdkBytes.fromUtf8String("1")))
                .shardId()).isEqualTo("shardId-000000000003");
        assertThat(kinesis.putRecord(r -> r.streamName("spread").partitionKey("x").explicitHashKey("0").data(SdkBytes.fromUtf8String("1")))
                .shardId()).isEqualTo("shardId-000000000000");
        // MD5("a") = 0cc175b9…, in the first quarter; MD5("b") = 92eb5ffe…, in the third.
        assertThat(kinesis.putRecord(r -> r.streamName("spread").partitionKey("a").data(SdkBytes.fromUtf8String("1"))).shardId())
                .isEqualTo("shardId-000000000000");
        assertThat(kinesis.putRecord(r -> r.streamName("spread").partitionKey("b").data(SdkBytes.fromUtf8String("1"))).shardId())
                .isEqualTo("shardId-000000000002");
    }

    @Test
    void tagsRetentionAndDeletion(KinesisClient kinesis) {
        kinesis.createStream(r -> r.streamName("tagged").shardCount(1).tags(java.util.Map.of("team", "blue")));
        kinesis.addTagsToStream(r -> r.streamName("tagged").tags(java.util.Map.of("env", "test")));
        assertThat(kinesis.listTagsForStream(r -> r.streamName("tagged")).tags()).extracting(t -> t.key() + "=" + t.value())
                .containsExactly("env=test", "team=blue");
        kinesis.removeTagsFromStream(r -> r.streamName("tagged").tagKeys("team"));
        assertThat(kinesis.listTagsForStream(r -> r.streamName("tagged")).tags()).extracting(t -> t.key()).containsExactly("env");
        // The newer operations on the stream's ARN see the same tags.
        String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/tagged";
        kinesis.tagResource(r -> r.resourceARN(arn).tags(java.util.Map.of("owner", "me")));
        assertThat(kinesis.listTagsForResource(r -> r.resourceARN(arn)).tags()).extracting(t -> t.key() + "=" + t.value())
                .containsExactly("env=test", "owner=me");
        kinesis.untagResource(r -> r.resourceARN(arn).tagKeys("env"));
        assertThat(kinesis.listTagsForStream(r -> r.streamName("tagged")).tags()).extracting(t -> t.key()).containsExactly("owner");

        kinesis.increaseStreamRetentionPeriod(r -> r.streamName("tagged").retentionPeriodHours(48));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName("tagged")).streamDescriptionSummary().retentionPeriodHours()).isEqualTo(48);
        kinesis.decreaseStreamRetentionPeriod(r -> r.streamName("tagged").retentionPeriodHours(24));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName("tagged")).streamDescriptionSummary().retentionPeriodHours()).isEqualTo(24);

        kinesis.putRecord(r -> r.streamName("tagged").partitionKey("k").data(SdkBytes.fromUtf8String("old")));
        kinesis.deleteStream(r -> r.streamName("tagged"));
        assertThat(kinesis.listStreams().streamNames()).doesNotContain("tagged");
        // A stream created again under the name starts empty.
        kinesis.createStream(r -> r.streamName("tagged").shardCount(1));
        assertThat(read(kinesis, "tagged", "shardId-000000000000", ShardIteratorType.TRIM_HORIZON, null)).isEmpty();
        assertThat(kinesis.listTagsForStream(r -> r.streamName("tagged")).tags()).isEmpty();
    }
}
