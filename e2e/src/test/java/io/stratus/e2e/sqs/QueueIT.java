package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDeletedRecentlyException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Queue lifecycle through the AWS SDK v2 over awsJson1_0: create, find, list, attributes, tags, purge, delete. */
@StratusTest
class QueueIT {

    @Test
    void createQueueReturnsUrlOnTheServersHostAndPort(Stratus stratus, SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("orders")).queueUrl();

        assertThat(url).isEqualTo("http://localhost:" + stratus.port() + "/000000000000/orders");
        assertThat(sqs.getQueueUrl(r -> r.queueName("orders")).queueUrl()).isEqualTo(url);
    }

    @Test
    void createQueueIsIdempotentWithEqualAttributesAndRejectsDifferentOnes(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("idem").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();

        assertThat(sqs.createQueue(r -> r.queueName("idem").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl())
                .isEqualTo(url);
        assertThat(sqs.createQueue(r -> r.queueName("idem")).queueUrl()).isEqualTo(url);
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName("idem").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "61"))))
                .isInstanceOfSatisfying(QueueNameExistsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("VisibilityTimeout");
                });
    }

    @Test
    void getQueueAttributesAllReportsDefaultsCountsArnAndTimestamps(SqsClient sqs) {
        long before = Instant.now().getEpochSecond();
        String url = sqs.createQueue(r -> r.queueName("attrs")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("one"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("two").delaySeconds(30));
        sqs.receiveMessage(r -> r.queueUrl(url));

        Map<String, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();

        assertThat(attributes)
                .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:attrs")
                .containsEntry("VisibilityTimeout", "30")
                .containsEntry("MaximumMessageSize", "262144")
                .containsEntry("MessageRetentionPeriod", "345600")
                .containsEntry("DelaySeconds", "0")
                .containsEntry("ReceiveMessageWaitTimeSeconds", "0")
                .containsEntry("SqsManagedSseEnabled", "true")
                .containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "1")
                .doesNotContainKeys("FifoQueue", "RedrivePolicy", "Policy");
        assertThat(Long.parseLong(attributes.get("CreatedTimestamp"))).isBetween(before, before + 5);
        assertThat(attributes.get("LastModifiedTimestamp")).isEqualTo(attributes.get("CreatedTimestamp"));
    }

    @Test
    void getQueueAttributesReturnsOnlyWhatIsAskedFor(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("some-attrs")).queueUrl();

        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributesAsStrings())
                .containsExactly(Map.entry("VisibilityTimeout", "30"));
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url)).attributesAsStrings()).isEmpty();
        assertThatThrownBy(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("Colour")))
                .isInstanceOfSatisfying(InvalidAttributeNameException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Unknown Attribute Colour."));
    }

    private static final String POLICY =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}";

    @Test
    void setQueueAttributesChangesValuesAndChecksRanges(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("settable")).queueUrl();

        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "120",
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, "60",
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048576",
                QueueAttributeName.POLICY, POLICY)));

        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings())
                .containsEntry("VisibilityTimeout", "120")
                .containsEntry("MessageRetentionPeriod", "60")
                .containsEntry("MaximumMessageSize", "1048576")
                .containsEntry("Policy", POLICY);
        for (var bad : List.of(Map.entry(QueueAttributeName.VISIBILITY_TIMEOUT, "43201"), Map.entry(QueueAttributeName.DELAY_SECONDS, "901"),
                Map.entry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "59"), Map.entry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048577"),
                Map.entry(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "21"))) {
            assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(bad.getKey(), bad.getValue()))))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid value for the parameter " + bad.getKey() + ".");
                    });
        }
    }

    @Test
    void invalidQueueNamesAreRejected(SqsClient sqs) {
        for (String name : List.of("has space", "x".repeat(81), "dots.not.allowed", "")) {
            assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(name)))
                    .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName("plain").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("must end with .fifo suffix"));
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName("plain").attributes(Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))))
                .isInstanceOf(InvalidAttributeNameException.class);
    }

    @Test
    void unknownQueueIsQueueDoesNotExist(SqsClient sqs) {
        assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName("nowhere")))
                .isInstanceOfSatisfying(QueueDoesNotExistException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The specified queue does not exist.");
                });
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl("http://localhost:4566/000000000000/nowhere").messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void listQueuesFiltersByPrefixAndPages(SqsClient sqs) {
        for (String name : List.of("list-a", "list-b", "list-c", "other")) {
            sqs.createQueue(r -> r.queueName(name));
        }

        assertThat(sqs.listQueues(r -> r.queueNamePrefix("list-")).queueUrls())
                .extracting(u -> u.substring(u.lastIndexOf('/') + 1)).containsExactly("list-a", "list-b", "list-c");
        ListQueuesResponse first = sqs.listQueues(r -> r.queueNamePrefix("list-").maxResults(2));
        assertThat(first.queueUrls()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();
        ListQueuesResponse second = sqs.listQueues(r -> r.queueNamePrefix("list-").maxResults(2).nextToken(first.nextToken()));
        assertThat(second.queueUrls()).extracting(u -> u.substring(u.lastIndexOf('/') + 1)).containsExactly("list-c");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void deleteQueueRemovesItAndTheNameWaitsSixtySeconds(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("short-lived")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("bye"));

        sqs.deleteQueue(r -> r.queueUrl(url));

        assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName("short-lived"))).isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName("short-lived"))).isInstanceOf(QueueDeletedRecentlyException.class);
    }

    @Test
    void purgeQueueEmptiesItOnceAMinute(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("purgeable")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("a"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("b"));

        sqs.purgeQueue(r -> r.queueUrl(url));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();
        assertThatThrownBy(() -> sqs.purgeQueue(r -> r.queueUrl(url)))
                .isInstanceOfSatisfying(PurgeQueueInProgressException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Only one PurgeQueue operation on purgeable is allowed every 60 seconds.");
                });
    }

    @Test
    void tagsAreAddedListedAndRemoved(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("tagged").tags(Map.of("team", "payments"))).queueUrl();

        sqs.tagQueue(r -> r.queueUrl(url).tags(Map.of("env", "dev", "team", "billing")));
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "dev", "team", "billing"));

        sqs.untagQueue(r -> r.queueUrl(url).tagKeys("team"));
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).containsExactly(Map.entry("env", "dev"));
    }

    @Test
    void queueUrlInTheRegionalLocalhostFormAddressesTheSameQueue(Stratus stratus, SqsClient sqs) {
        sqs.createQueue(r -> r.queueName("regional"));
        String url = "http://sqs.us-east-1.localhost.localstack.cloud:" + stratus.port() + "/000000000000/regional";

        sqs.sendMessage(r -> r.queueUrl(url).messageBody("hello"));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).extracting(m -> m.body()).containsExactly("hello");
    }
}
