package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.sqs.SqsModel.MessageAttributeValue;
import java.util.Map;

/**
 * A message in a queue, as stored under its sequence number. Immutable; each receive or
 * visibility change stores a new value.
 *
 * @param messageId the id SendMessage returned
 * @param sequence the message's place in its queue: increasing in send order
 * @param body the body
 * @param md5OfBody the body's MD5, hex
 * @param attributes the message attributes, or an empty map
 * @param md5OfAttributes their MD5, or null
 * @param systemAttributes the message system attributes (AWSTraceHeader), or an empty map
 * @param md5OfSystemAttributes their MD5, or null
 * @param senderId who sent it
 * @param sentAt when it was first sent, epoch millis (kept when a redrive moves it)
 * @param visibleAt when it may next be received, epoch millis
 * @param receiveCount how often it was received
 * @param firstReceivedAt the first receive, epoch millis, or 0
 * @param receipt the token of the latest receive, which its receipt handle carries; null before
 * @param groupId the FIFO message group, or null
 * @param deduplicationId the FIFO deduplication id, or null
 * @param deadLetterSourceArn the queue a redrive moved it from, or null
 * @param receivedAt the latest receive, epoch millis, or 0: the start of AWS's 12-hour limit on
 *        its visibility timeout
 */
record QueuedMessage(
        String messageId,
        long sequence,
        String body,
        String md5OfBody,
        Map<String, MessageAttributeValue> attributes,
        String md5OfAttributes,
        Map<String, MessageAttributeValue> systemAttributes,
        String md5OfSystemAttributes,
        String senderId,
        long sentAt,
        long visibleAt,
        int receiveCount,
        long firstReceivedAt,
        String receipt,
        String groupId,
        String deduplicationId,
        String deadLetterSourceArn,
        long receivedAt) {

    QueuedMessage {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(body, "body is null");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        systemAttributes = systemAttributes == null ? Map.of() : Map.copyOf(systemAttributes);
    }

    boolean inFlight(long now) {
        return receiveCount > 0 && visibleAt > now;
    }

    boolean delayed(long now) {
        return receiveCount == 0 && visibleAt > now;
    }

    boolean expired(long now, int retentionSeconds) {
        return sentAt + retentionSeconds * 1000L <= now;
    }

    QueuedMessage received(long now, long visibleUntil, String token) {
        return new QueuedMessage(messageId, sequence, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                md5OfSystemAttributes, senderId, sentAt, visibleUntil, receiveCount + 1, firstReceivedAt == 0 ? now : firstReceivedAt,
                token, groupId, deduplicationId, deadLetterSourceArn, now);
    }

    QueuedMessage visibleAt(long millis) {
        return new QueuedMessage(messageId, sequence, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                md5OfSystemAttributes, senderId, sentAt, millis, receiveCount, firstReceivedAt, receipt, groupId, deduplicationId,
                deadLetterSourceArn, receivedAt);
    }

    /** This message as a redrive puts it into a dead-letter queue: a new place, not yet received there. */
    QueuedMessage movedTo(long newSequence, long now, String sourceArn) {
        return new QueuedMessage(messageId, newSequence, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                md5OfSystemAttributes, senderId, sentAt, now, 0, 0, null, groupId, deduplicationId, sourceArn, 0);
    }

    /**
     * This message as a message move task puts it into {@code newSequence} of another queue: as if
     * sent there now, never received, no longer from a dead-letter queue.
     */
    QueuedMessage redriven(long newSequence, long now) {
        return new QueuedMessage(messageId, newSequence, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                md5OfSystemAttributes, senderId, sentAt, now, 0, 0, null, groupId, deduplicationId, null, 0);
    }

    /** This message at its place in the queue, once the sending transaction has taken one. */
    QueuedMessage withSequence(long newSequence) {
        return new QueuedMessage(messageId, newSequence, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                md5OfSystemAttributes, senderId, sentAt, visibleAt, receiveCount, firstReceivedAt, receipt, groupId, deduplicationId,
                deadLetterSourceArn, receivedAt);
    }
}
