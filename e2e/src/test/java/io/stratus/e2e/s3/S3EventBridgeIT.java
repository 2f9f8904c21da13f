package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * S3 events on EventBridge: with {@code EventBridgeConfiguration} on, every object event goes to the
 * account's default bus with S3's EventBridge detail, and a rule sends it on to a queue the test reads.
 */
@StratusTest
class S3EventBridgeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";

    /** A queue whose policy lets {@code service} send it messages on behalf of {@code sourceArn}. */
    private static String queueFor(SqsClient sqs, String name, String service, String sourceArn) {
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"" + service + "\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name + "\","
                + "\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + sourceArn + "\"}}}]}";
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy)));
        return url;
    }

    private static List<JsonNode> messages(SqsClient sqs, String url, int count, Duration wait) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (bodies.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                bodies.add(JSON.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return bodies;
    }

    @Test
    void withEventBridgeOnEveryEventGoesToTheDefaultBus(S3Client s3, EventBridgeClient events, SqsClient sqs) throws Exception {
        s3.createBucket(r -> r.bucket("bridged"));
        s3.putBucketVersioning(r -> r.bucket("bridged").versioningConfiguration(v -> v.status("Enabled")));
        String rule = events.putRule(r -> r.name("bridged-objects")
                .eventPattern("{\"source\":[\"aws.s3\"],\"detail\":{\"bucket\":{\"name\":[\"bridged\"]}}}")).ruleArn();
        String url = queueFor(sqs, "bridged-events", "events.amazonaws.com", rule);
        events.putTargets(r -> r.rule("bridged-objects").targets(t -> t.id("queue").arn("arn:aws:sqs:us-east-1:" + ACCOUNT + ":bridged-events")));
        s3.putBucketNotificationConfiguration(r -> r.bucket("bridged")
                .notificationConfiguration(NotificationConfiguration.builder().eventBridgeConfiguration(b -> { }).build()));

        String version = s3.putObject(r -> r.bucket("bridged").key("photos/cat 1.jpg"), RequestBody.fromString("meow")).versionId();
        JsonNode created = messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst();
        assertThat(created.get("source").asText()).isEqualTo("aws.s3");
        assertThat(created.get("detail-type").asText()).isEqualTo("Object Created");
        assertThat(created.get("account").asText()).isEqualTo(ACCOUNT);
        assertThat(created.get("region").asText()).isEqualTo("us-east-1");
        assertThat(created.get("resources").get(0).asText()).isEqualTo("arn:aws:s3:::bridged");
        JsonNode detail = created.get("detail");
        assertThat(detail.get("bucket").get("name").asText()).isEqualTo("bridged");
        assertThat(detail.get("object").get("key").asText()).as("not URL-encoded, unlike the notification records")
                .isEqualTo("photos/cat 1.jpg");
        assertThat(detail.get("object").get("size").asLong()).isEqualTo(4);
        assertThat(detail.get("object").get("etag").asText()).isEqualTo("4a4be40c96ac6314e91d93f38043a634");
        assertThat(detail.get("object").get("version-id").asText()).isEqualTo(version);
        assertThat(detail.get("reason").asText()).isEqualTo("PutObject");
        assertThat(detail.get("requester").asText()).isEqualTo(ACCOUNT);

        s3.deleteObject(r -> r.bucket("bridged").key("photos/cat 1.jpg"));
        JsonNode deleted = messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst();
        assertThat(deleted.get("detail-type").asText()).isEqualTo("Object Deleted");
        assertThat(deleted.get("detail").get("reason").asText()).isEqualTo("DeleteObject");
        assertThat(deleted.get("detail").get("deletion-type").asText()).isEqualTo("Delete Marker Created");
    }
}
