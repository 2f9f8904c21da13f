package io.stratus.e2e.sns;

import static io.stratus.e2e.sns.SnsFixtures.QUEUES;
import static io.stratus.e2e.sns.SnsFixtures.bodies;
import static io.stratus.e2e.sns.SnsFixtures.json;
import static io.stratus.e2e.sns.SnsFixtures.queueFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** S3 event notifications to an SNS topic and on to its queues: the topic's policy must let S3 publish, as on AWS. */
@StratusTest
class SnsFromS3IT {

    private static String s3MayPublish(String topic, String bucket) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"SNS:Publish\",\"Resource\":\"" + topic + "\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:*:*:" + bucket
                + "\"},\"StringEquals\":{\"aws:SourceAccount\":\"000000000000\"}}}]}";
    }

    private static void notifyTopic(S3Client s3, String bucket, String topic) {
        s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(c -> c.topicConfigurations(
                TopicConfiguration.builder().id("to-sns").topicArn(topic).eventsWithStrings("s3:ObjectCreated:*").build())));
    }

    @Test
    void objectEventsReachTheTopicsQueues(S3Client s3, SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("uploads-events")).topicArn();
        String queue = queueFor(sqs, "uploads-events-q", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "uploads-events-q"));
        s3.createBucket(r -> r.bucket("sns-uploads"));

        // The default topic policy lets no service publish: S3 cannot validate the destination.
        assertThatThrownBy(() -> notifyTopic(s3, "sns-uploads", topic)).isInstanceOf(S3Exception.class);

        sns.setTopicAttributes(r -> r.topicArn(topic).attributeName("Policy").attributeValue(s3MayPublish(topic, "sns-uploads")));
        notifyTopic(s3, "sns-uploads", topic);
        s3.putObject(r -> r.bucket("sns-uploads").key("photo.jpg"), RequestBody.fromString("jpeg"));

        List<JsonNode> envelopes = bodies(sqs, queue, 2, Duration.ofSeconds(15));
        assertThat(envelopes).allSatisfy(e -> {
            assertThat(e.get("TopicArn").asText()).isEqualTo(topic);
            assertThat(e.get("Subject").asText()).isEqualTo("Amazon S3 Notification");
        });
        assertThat(envelopes).anySatisfy(e -> assertThat(json(e.get("Message").asText()).path("Event").asText()).isEqualTo("s3:TestEvent"));
        assertThat(envelopes).anySatisfy(e -> {
            JsonNode record = json(e.get("Message").asText()).path("Records").path(0);
            assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(record.path("s3").path("object").path("key").asText()).isEqualTo("photo.jpg");
        });
    }
}
