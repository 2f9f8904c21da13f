package io.stratus.e2e.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Kinesis's answers to bad requests: AWS's error codes (all 400), and nothing written by a refused request. */
@StratusTest
class KinesisBadInputIT {

    private static void assertError(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KinesisException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    @Test
    void streamsThatDoNotExistOrAlreadyDo(KinesisClient kinesis) {
        assertError(() -> kinesis.describeStream(r -> r.streamName("missing")), "ResourceNotFoundException");
        assertError(() -> kinesis.putRecord(r -> r.streamName("missing").partitionKey("k").data(SdkBytes.fromUtf8String("x"))),
                "ResourceNotFoundException");
        assertError(() -> kinesis.deleteStream(r -> r.streamName("missing")), "ResourceNotFoundException");
        kinesis.createStream(r -> r.streamName("once").shardCount(1));
        assertError(() -> kinesis.createStream(r -> r.streamName("once").shardCount(2)), "ResourceInUseException");
        assertThat(kinesis.describeStreamSummary(r -> r.streamName("once")).streamDescriptionSummary().openShardCount()).isEqualTo(1);
        assertError(() -> kinesis.getShardIterator(r -> r.streamName("once").shardId("shardId-000000000007")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)), "ResourceNotFoundException");
    }

    @Test
    void badStreamsAreRefused(KinesisClient kinesis) {
        assertError(() -> kinesis.createStream(r -> r.streamName("has/slash").shardCount(1)), "ValidationException");
        assertError(() -> kinesis.createStream(r -> r.streamName("x".repeat(129)).shardCount(1)), "ValidationException");
        assertError(() -> kinesis.createStream(r -> r.streamName("zero").shardCount(0)), "ValidationException");
        assertError(() -> kinesis.createStream(r -> r.streamName("too-many").shardCount(501)), "LimitExceededException");
        assertThat(kinesis.listStreams().streamNames()).doesNotContain("has/slash", "zero", "too-many");
        kinesis.createStream(r -> r.streamName("kept").shardCount(1));
        assertError(() -> kinesis.increaseStreamRetentionPeriod(r -> r.streamName("kept").retentionPeriodHours(8761)), "InvalidArgumentException");
        assertError(() -> kinesis.decreaseStreamRetentionPeriod(r -> r.streamName("kept").retentionPeriodHours(48)), "InvalidArgumentException");
        assertError(() -> kinesis.describeStream(r -> r.streamARN("arn:aws:sqs:us-east-1:000000000000:queue")), "ValidationException");
        // Another account's stream would need a resource policy; another region's is not seen from this one.
        assertError(() -> kinesis.putRecord(r -> r.streamARN("arn:aws:kinesis:us-east-1:111111111111:stream/kept").partitionKey("k")
                .data(SdkBytes.fromUtf8String("x"))), "AccessDeniedException");
        assertError(() -> kinesis.describeStreamSummary(r -> r.streamARN("arn:aws:kinesis:eu-west-1:000000000000:stream/kept")),
                "ResourceNotFoundException");
        assertError(() -> kinesis.listTagsForResource(r -> r.resourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/kept/consumer/c:1")),
                "ResourceNotFoundException");
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        assertError(() -> kinesis.tagResource(r -> r.resourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/kept").tags(many)),
                "LimitExceededException");
        assertThat(kinesis.listTagsForResource(r -> r.resourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/kept")).tags()).isEmpty();
        assertError(() -> kinesis.listShards(r -> r.streamName("kept").shardFilter(f -> f.type("AFTER_SHARD_ID"))), "InvalidArgumentException");
        assertError(() -> kinesis.listShards(r -> r.streamName("kept").shardFilter(f -> f.type("SOMETIME"))), "ValidationException");
        var page = kinesis.listShards(r -> r.streamName("kept").maxResults(1));
        assertError(() -> kinesis.listShards(r -> r.streamName("kept").nextToken("bm90IG91cnM")), "InvalidArgumentException");
        assertError(() -> kinesis.listShards(r -> r.nextToken("bm90IG91cnM")), "InvalidArgumentException");
        assertThat(page.shards()).hasSize(1);
        assertError(() -> kinesis.increaseStreamRetentionPeriod(r -> r.streamName("kept")), "ValidationException");
        assertError(() -> kinesis.describeStream(r -> r.streamName("kept").limit(0)), "ValidationException");
        // Resharding is not served yet: AWS's error for an operation the service does not know.
        assertError(() -> kinesis.updateShardCount(r -> r.streamName("kept").targetShardCount(2).scalingType("UNIFORM_SCALING")),
                "UnknownOperationException");
    }

    @Test
    void onDemandStreamsAreLimitedToFiftyAndModesChecked(KinesisClient kinesis) {
        for (int i = 0; i < 50; i++) {
            int n = i;
            kinesis.createStream(r -> r.streamName("on-demand-" + n).streamModeDetails(m -> m.streamMode("ON_DEMAND")));
        }
        assertError(() -> kinesis.createStream(r -> r.streamName("on-demand-50").streamModeDetails(m -> m.streamMode("ON_DEMAND"))),
                "LimitExceededException");
        kinesis.createStream(r -> r.streamName("provisioned-one").shardCount(1));
        String arn = kinesis.describeStreamSummary(r -> r.streamName("provisioned-one")).streamDescriptionSummary().streamARN();
        assertError(() -> kinesis.updateStreamMode(r -> r.streamARN(arn).streamModeDetails(m -> m.streamMode("ON_DEMAND"))),
                "LimitExceededException");
        assertError(() -> kinesis.updateStreamMode(r -> r.streamARN(arn).streamModeDetails(m -> m.streamMode("ELASTIC"))), "ValidationException");
        assertThat(kinesis.describeLimits(r -> { }).onDemandStreamCount()).isEqualTo(50);
        assertThat(kinesis.describeStreamSummary(r -> r.streamName("provisioned-one")).streamDescriptionSummary().streamModeDetails()
                .streamModeAsString()).isEqualTo("PROVISIONED");
    }

    @Test
    void badRecordsAreRefusedAndNothingIsWritten(KinesisClient kinesis) {
        kinesis.createStream(r -> r.streamName("records").shardCount(1));
        assertError(() -> kinesis.putRecord(r -> r.streamName("records").partitionKey("").data(SdkBytes.fromUtf8String("x"))), "ValidationException");
        assertError(() -> kinesis.putRecord(r -> r.streamName("records").partitionKey("k".repeat(257)).data(SdkBytes.fromUtf8String("x"))),
                "ValidationException");
        assertError(() -> kinesis.putRecord(r -> r.streamName("records").partitionKey("k").data(SdkBytes.fromByteArray(new byte[1024 * 1024 + 1]))),
                "ValidationException");
        assertError(() -> kinesis.putRecord(r -> r.streamName("records").partitionKey("k").explicitHashKey("-1").data(SdkBytes.fromUtf8String("x"))),
                "InvalidArgumentException");
        PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("x")).build();
        assertError(() -> kinesis.putRecords(r -> r.streamName("records").records(Collections.nCopies(501, entry))), "ValidationException");
        PutRecordsRequestEntry big = PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromByteArray(new byte[1024 * 1024 - 1])).build();
        assertError(() -> kinesis.putRecords(r -> r.streamName("records").records(Collections.nCopies(6, big))), "InvalidArgumentException");

        String iterator = kinesis.getShardIterator(r -> r.streamName("records").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThat(kinesis.getRecords(r -> r.shardIterator(iterator)).records()).isEmpty();
        assertError(() -> kinesis.getRecords(r -> r.shardIterator("not-an-iterator")), "InvalidArgumentException");
        assertError(() -> kinesis.getRecords(r -> r.shardIterator(iterator).limit(10_001)), "ValidationException");
        assertError(() -> kinesis.getShardIterator(r -> r.streamName("records").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber("12x")), "InvalidArgumentException");
        assertError(() -> kinesis.getShardIterator(r -> r.streamName("records").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP)), "InvalidArgumentException");
    }

    /** What the AWS CLI and boto3 send: the same operations in JSON, answered in JSON. */
    @Test
    void jsonClientsAreAnsweredInJson(Stratus stratus) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(json(stratus, "CreateStream", "{\"StreamName\":\"from-json\",\"ShardCount\":1}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        HttpResponse<String> put = http.send(json(stratus, "PutRecord", "{\"StreamName\":\"from-json\",\"PartitionKey\":\"k\",\"Data\":\"aGVsbG8=\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(put.body()).contains("\"ShardId\":\"shardId-000000000000\"").contains("\"SequenceNumber\":\"49");
        HttpResponse<String> missing = http.send(json(stratus, "DescribeStream", "{\"StreamName\":\"nope\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"__type\":\"ResourceNotFoundException\"");

        // A CBOR request is answered in CBOR.
        HttpResponse<byte[]> cbor = http.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("X-Amz-Target", "Kinesis_20131202.ListStreams").header("Content-Type", "application/x-amz-cbor-1.1")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(cbor.statusCode()).isEqualTo(200);
        assertThat(cbor.headers().firstValue("Content-Type")).hasValue("application/x-amz-cbor-1.1");
        assertThat(cbor.body()[0] & 0xE0).isEqualTo(0xA0);
    }

    private static HttpRequest json(Stratus stratus, String operation, String body) {
        return HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("X-Amz-Target", "Kinesis_20131202." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
