package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Acknowledged means durable for event notifications too: an event whose delivery has not
 * succeeded yet waits in the store, survives a restart, and goes out once the destination takes it.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableNotificationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUndeliveredEventSurvivesARestartAndIsDeliveredAfterIt(Stratus stratus, S3Client s3, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("late-events")).queueUrl();
        S3Permissions.allowBucket(sqs, url, "patient");
        s3.createBucket(r -> r.bucket("patient"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("patient").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(QueueConfiguration.builder().id("all").queueArn("arn:aws:sqs:us-east-1:000000000000:late-events")
                        .eventsWithStrings("s3:ObjectCreated:*").build())
                .build()));
        assertThat(bodies(sqs, url, 1)).singleElement().satisfies(test -> assertThat(test.get("Event").asText()).isEqualTo("s3:TestEvent"));
        // The queue refuses S3 for now: the event must wait.
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, "")));

        s3.putObject(r -> r.bucket("patient").key("while-refused.txt"), RequestBody.fromString("x"));
        stratus.restart();
        S3Permissions.allowBucket(sqs, url, "patient");

        List<JsonNode> events = bodies(sqs, url, 1);
        assertThat(events).singleElement().satisfies(event -> {
            JsonNode record = event.get("Records").get(0);
            assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(record.get("s3").get("object").get("key").asText()).isEqualTo("while-refused.txt");
        });
    }

    /** Up to {@code count} bodies from the queue, waiting at most ten seconds. */
    private static List<JsonNode> bodies(SqsClient sqs, String url, int count) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bodies.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                bodies.add(JSON.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return bodies;
    }
}
