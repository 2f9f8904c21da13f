package io.stratus.e2e.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Kinesis streams as other services' destinations: EventBridge rule targets and CloudWatch Logs subscription filters. */
@StratusTest
class KinesisDestinationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::000000000000:role/to-kinesis";

    /** The records of a one-shard stream once there are {@code count}, waiting up to 20 s (deliveries are asynchronous). */
    private static List<Record> await(KinesisClient kinesis, String stream, int count) throws InterruptedException {
        String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            var page = kinesis.getRecords(r -> r.shardIterator(iterator));
            records.clear();
            records.addAll(page.records());
            if (records.size() < count) {
                Thread.sleep(100);
            }
        }
        return records;
    }

    private static JsonNode gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return JSON.readTree(in);
        }
    }

    @Test
    void eventBridgeRulesPutEventsIntoStreams(EventBridgeClient events, KinesisClient kinesis) throws Exception {
        kinesis.createStream(r -> r.streamName("from-rules").shardCount(1));
        String arn = kinesis.describeStreamSummary(r -> r.streamName("from-rules")).streamDescriptionSummary().streamARN();
        events.putRule(r -> r.name("orders-to-kinesis").eventPattern("{\"source\":[\"shop\"]}"));
        events.putTargets(r -> r.rule("orders-to-kinesis").targets(
                t -> t.id("keyed").arn(arn).roleArn(ROLE).kinesisParameters(k -> k.partitionKeyPath("$.detail.orderId"))));

        String eventId = events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source("shop").detailType("Order placed")
                .detail("{\"orderId\":\"o-42\"}").build())).entries().getFirst().eventId();

        List<Record> records = await(kinesis, "from-rules", 1);
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().partitionKey()).isEqualTo("o-42");
        JsonNode event = JSON.readTree(records.getFirst().data().asByteArray());
        assertThat(event.get("id").asText()).isEqualTo(eventId);
        assertThat(event.at("/detail/orderId").asText()).isEqualTo("o-42");

        // Without a RoleArn, AWS refuses a Kinesis target.
        assertThatThrownBy(() -> events.putTargets(r -> r.rule("orders-to-kinesis").targets(t -> t.id("no-role").arn(arn))))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.eventbridge.model.EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThat(events.listTargetsByRule(r -> r.rule("orders-to-kinesis")).targets()).extracting(t -> t.id()).containsExactly("keyed");
    }

    @Test
    void logSubscriptionsSendGzippedMessagesAfterAControlMessage(CloudWatchLogsClient logs, KinesisClient kinesis) throws Exception {
        kinesis.createStream(r -> r.streamName("from-logs").shardCount(1));
        String arn = kinesis.describeStreamSummary(r -> r.streamName("from-logs")).streamDescriptionSummary().streamARN();
        logs.createLogGroup(r -> r.logGroupName("/app/orders"));
        logs.createLogStream(r -> r.logGroupName("/app/orders").logStreamName("web-1"));

        assertThatThrownBy(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/app/orders").filterName("errors").filterPattern("ERROR")
                .destinationArn(arn))).isInstanceOfSatisfying(CloudWatchLogsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException"));
        assertThatThrownBy(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/app/orders").filterName("errors").filterPattern("ERROR")
                .destinationArn(arn.replace("from-logs", "missing")).roleArn(ROLE))).isInstanceOfSatisfying(CloudWatchLogsException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("Could not deliver test message to specified Kinesis stream"));

        logs.putSubscriptionFilter(r -> r.logGroupName("/app/orders").filterName("errors").filterPattern("ERROR").destinationArn(arn).roleArn(ROLE));
        long now = System.currentTimeMillis();
        logs.putLogEvents(r -> r.logGroupName("/app/orders").logStreamName("web-1").logEvents(
                InputLogEvent.builder().timestamp(now).message("ERROR payment failed").build(),
                InputLogEvent.builder().timestamp(now).message("INFO all good").build()));

        List<Record> records = await(kinesis, "from-logs", 2);
        assertThat(records).hasSize(2);
        JsonNode control = gunzip(records.get(0).data().asByteArray());
        assertThat(control.get("messageType").asText()).isEqualTo("CONTROL_MESSAGE");
        assertThat(control.at("/logEvents/0/message").asText()).isEqualTo("CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.");
        JsonNode data = gunzip(records.get(1).data().asByteArray());
        assertThat(records.get(1).partitionKey()).isEqualTo("web-1");
        assertThat(data.get("messageType").asText()).isEqualTo("DATA_MESSAGE");
        assertThat(data.get("logGroup").asText()).isEqualTo("/app/orders");
        assertThat(data.get("logStream").asText()).isEqualTo("web-1");
        assertThat(data.get("subscriptionFilters").get(0).asText()).isEqualTo("errors");
        assertThat(data.get("logEvents")).hasSize(1);
        assertThat(data.at("/logEvents/0/message").asText()).isEqualTo("ERROR payment failed");
    }
}
