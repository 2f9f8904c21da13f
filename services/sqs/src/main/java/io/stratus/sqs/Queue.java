package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * A queue as stored: its address, its settable attributes (every one present, defaults filled in,
 * in AWS's text form), its tags and its timestamps. Immutable; changes make a new value.
 *
 * @param address which queue
 * @param attributes the settable attributes by AWS name
 * @param tags the queue's tags
 * @param createdAt creation time, epoch seconds
 * @param lastModifiedAt last attribute change, epoch seconds
 * @param lastPurgedAt the last PurgeQueue, epoch millis, or 0
 * @param purgedThrough the newest sequence the last PurgeQueue removed: messages up to it are gone
 *        even before their keys are deleted, or 0
 */
record Queue(QueueAddress address, Map<String, String> attributes, Map<String, String> tags, long createdAt, long lastModifiedAt,
        long lastPurgedAt, long purgedThrough) {

    Queue {
        requireNonNull(address, "address is null");
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
    }

    boolean fifo() {
        return address.fifo();
    }

    int visibilityTimeout() {
        return integer(QueueAttributes.VISIBILITY_TIMEOUT);
    }

    int delaySeconds() {
        return integer(QueueAttributes.DELAY_SECONDS);
    }

    int maximumMessageSize() {
        return integer(QueueAttributes.MAXIMUM_MESSAGE_SIZE);
    }

    int messageRetentionPeriod() {
        return integer(QueueAttributes.MESSAGE_RETENTION_PERIOD);
    }

    int receiveMessageWaitTimeSeconds() {
        return integer(QueueAttributes.RECEIVE_MESSAGE_WAIT_TIME_SECONDS);
    }

    boolean contentBasedDeduplication() {
        return "true".equals(attributes.get(QueueAttributes.CONTENT_BASED_DEDUPLICATION));
    }

    /** Whether deduplication ids are scoped to their message group rather than the queue. */
    boolean deduplicationPerGroup() {
        return "messageGroup".equals(attributes.get(QueueAttributes.DEDUPLICATION_SCOPE));
    }

    RedrivePolicy redrivePolicy() {
        String text = attributes.get(QueueAttributes.REDRIVE_POLICY);
        return text == null ? null : RedrivePolicy.parse(text);
    }

    Queue withAttributes(Map<String, String> changed, long now) {
        Map<String, String> merged = new TreeMap<>(attributes);
        changed.forEach((name, value) -> {
            if (value.isEmpty() && QueueAttributes.CLEARABLE.contains(name)) {
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        return new Queue(address, merged, tags, createdAt, now, lastPurgedAt, purgedThrough);
    }

    Queue withTags(Map<String, String> newTags) {
        return new Queue(address, attributes, newTags, createdAt, lastModifiedAt, lastPurgedAt, purgedThrough);
    }

    /** This queue after a PurgeQueue at {@code millis} of every message up to {@code throughSequence}. */
    Queue purged(long millis, long throughSequence) {
        return new Queue(address, attributes, tags, createdAt, lastModifiedAt, millis, Math.max(purgedThrough, throughSequence));
    }

    /** Whether {@code message} is still in this queue at {@code now}: neither purged nor past the retention period. */
    boolean holds(QueuedMessage message, long now) {
        return message.sequence() > purgedThrough && !message.expired(now, messageRetentionPeriod());
    }

    private int integer(String name) {
        return Integer.parseInt(attributes.get(name));
    }
}
