package io.stratus.e2e.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What EventBridge tests share: queues EventBridge may send to (as AWS requires), and reading what arrived. */
final class EventsFixture {

    static final String ACCOUNT = "000000000000";
    static final ObjectMapper JSON = new ObjectMapper();

    private EventsFixture() {}

    static String queueArn(String queue) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queue;
    }

    static String ruleArn(String rule) {
        return "arn:aws:events:us-east-1:" + ACCOUNT + ":rule/" + rule;
    }

    /** The queue policy AWS's documentation gives for a rule's SQS target: EventBridge may send messages for the account's rules. */
    static String queuePolicy(String queue) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"events\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\","
                + "\"Resource\":\"" + queueArn(queue) + "\","
                + "\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:events:us-east-1:" + ACCOUNT + ":rule/*\"}}}]}";
    }

    /** Creates a queue EventBridge may send to; returns its URL. */
    static String openQueue(SqsClient sqs, String queue) {
        return openQueue(sqs, queue, Map.of());
    }

    static String openQueue(SqsClient sqs, String queue, Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> all = new java.util.HashMap<>(attributes);
        all.put(QueueAttributeName.POLICY, queuePolicy(queue));
        return sqs.createQueue(r -> r.queueName(queue).attributes(all)).queueUrl();
    }

    /** Receives {@code count} messages from the queue (deleting them), waiting up to {@code timeout}; fails when fewer come. */
    static List<Message> receive(SqsClient sqs, String url, int count, Duration timeout) {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
                    .messageAttributeNames("All").attributeNamesWithStrings("All")).messages();
            for (Message message : messages) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
                received.add(message);
            }
        }
        if (received.size() < count) {
            throw new AssertionError("Only " + received.size() + " of " + count + " messages arrived in " + url + " within " + timeout);
        }
        return received;
    }

    static Message receiveOne(SqsClient sqs, String url, Duration timeout) {
        return receive(sqs, url, 1, timeout).getFirst();
    }

    /** Asserts that nothing arrives in the queue within a couple of seconds. */
    static void assertEmpty(SqsClient sqs, String url) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages();
        if (!messages.isEmpty()) {
            throw new AssertionError("Expected no message in " + url + " but got " + messages.getFirst().body());
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts an EventBridge call fails with an AWS error code, HTTP status and message. */
    static void assertError(ThrowingCallable call, String code, int status, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EventBridgeException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    /** Asserts an EventBridge call fails with an AWS error code and HTTP status, whatever the message. */
    static void assertError(ThrowingCallable call, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EventBridgeException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }
}
