package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQS queue operations other services need: send, for whatever delivers to a queue (SNS
 * subscriptions, EventBridge rules, S3 notifications, Lambda destinations and dead-letter queues);
 * receive, delete and change visibility, for Lambda's event source mapping poller. Implemented by
 * the SQS service with the same semantics, limits and errors as its API; the server hands it to the
 * services that need it.
 *
 * <p>Thread safety: callable from any number of threads at once. {@link #receive} may block up to
 * its wait time, so callers call it from a virtual thread or a worker of their own.
 */
public interface Queues {

    /**
     * A message attribute, as SQS types them: {@code String}, {@code Number} or {@code Binary},
     * optionally with a custom suffix ({@code Number.int}).
     *
     * @param dataType the type
     * @param stringValue the value of a String or Number attribute, else null
     * @param binaryValue the value of a Binary attribute, else null
     */
    record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

        public MessageAttribute {
            requireNonNull(dataType, "dataType is null");
            binaryValue = binaryValue == null ? null : binaryValue.clone();
        }

        public static MessageAttribute string(String value) {
            return new MessageAttribute("String", value, null);
        }

        /** String attributes of the given values, in their order. */
        public static Map<String, MessageAttribute> strings(Map<String, String> values) {
            Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
            values.forEach((name, value) -> attributes.put(name, string(value)));
            return attributes;
        }

        @Override
        public byte[] binaryValue() {
            return binaryValue == null ? null : binaryValue.clone();
        }
    }

    /**
     * A message to send.
     *
     * @param body the body
     * @param attributes its message attributes, possibly empty
     * @param groupId the message group of a FIFO queue, else null
     * @param deduplicationId the FIFO deduplication id, or null for content-based deduplication
     * @param traceHeader the X-Ray trace header the message keeps as {@code AWSTraceHeader}, or null
     */
    record OutgoingMessage(String body, Map<String, MessageAttribute> attributes, String groupId, String deduplicationId, String traceHeader) {

        public OutgoingMessage {
            requireNonNull(body, "body is null");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        /** A message without a trace header. */
        public OutgoingMessage(String body, Map<String, MessageAttribute> attributes, String groupId, String deduplicationId) {
            this(body, attributes, groupId, deduplicationId, null);
        }

        public static OutgoingMessage of(String body) {
            return new OutgoingMessage(body, Map.of(), null, null);
        }
    }

    /**
     * What a send stored.
     *
     * @param messageId the new message's id (or, for a FIFO duplicate, the original's)
     * @param sequenceNumber the FIFO sequence number, else null
     */
    record SentMessage(String messageId, String sequenceNumber) {}

    /**
     * A received message, with everything an SQS event record carries.
     *
     * @param messageId the message id
     * @param receiptHandle the handle to delete it or change its visibility with
     * @param body the body
     * @param md5OfBody the body's MD5, hex
     * @param attributes every system attribute ({@code ApproximateReceiveCount}, {@code SentTimestamp},
     *     {@code SenderId}, {@code ApproximateFirstReceiveTimestamp}, and for FIFO {@code SequenceNumber},
     *     {@code MessageGroupId}, {@code MessageDeduplicationId})
     * @param messageAttributes every message attribute
     * @param md5OfMessageAttributes their MD5, or null when there are none
     */
    record ReceivedMessage(String messageId, String receiptHandle, String body, String md5OfBody, Map<String, String> attributes,
            Map<String, MessageAttribute> messageAttributes, String md5OfMessageAttributes) {

        public ReceivedMessage {
            attributes = Map.copyOf(attributes);
            messageAttributes = Map.copyOf(messageAttributes);
        }
    }

    /**
     * What a consumer needs to know of a queue.
     *
     * @param fifo whether it is a FIFO queue
     * @param visibilityTimeout how long a received message stays hidden by default
     */
    record QueueInfo(boolean fifo, Duration visibilityTimeout) {}

    /**
     * Describes a queue.
     *
     * @throws io.stratus.core.AwsException {@code QueueDoesNotExist} when there is no such queue
     */
    QueueInfo describe(Arn queue);

    /**
     * Sends a message to a queue.
     *
     * @throws io.stratus.core.AwsException as SendMessage would answer, e.g. {@code QueueDoesNotExist}
     */
    SentMessage send(Arn queue, OutgoingMessage message);

    /**
     * Sends a message to a queue on behalf of {@code caller}, which the queue's policy must allow
     * {@code sqs:SendMessage}.
     *
     * @throws io.stratus.core.AwsException as SendMessage would answer, {@code AccessDenied} when the policy does not allow the caller
     */
    SentMessage send(Arn queue, OutgoingMessage message, ServiceCaller caller);

    /** Whether the queue exists and its policy allows {@code caller} to send to it. */
    boolean allows(Arn queue, ServiceCaller caller);

    /**
     * Receives up to {@code max} messages, waiting up to {@code wait} for the first, and hides them
     * for the queue's visibility timeout or {@code visibilityTimeout} when not null.
     */
    List<ReceivedMessage> receive(Arn queue, int max, Duration wait, Duration visibilityTimeout);

    /** Deletes a received message. */
    void delete(Arn queue, String receiptHandle);

    /** Changes how long a received message stays hidden, from now. */
    void changeVisibility(Arn queue, String receiptHandle, Duration visibilityTimeout);
}
