package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.sns.Envelopes.Notification;
import io.stratus.sns.SnsModel.BatchResultErrorEntry;
import io.stratus.sns.SnsModel.PublishBatchRequest;
import io.stratus.sns.SnsModel.PublishBatchRequestEntry;
import io.stratus.sns.SnsModel.PublishBatchResponse;
import io.stratus.sns.SnsModel.PublishBatchResultEntry;
import io.stratus.sns.SnsModel.PublishRequest;
import io.stratus.sns.SnsModel.PublishResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Publish and PublishBatch: checks a message as SNS does, then, in one store transaction, picks
 * the subscriptions whose filter policies it passes and writes one {@link Delivery} per
 * subscription to the outbox (and, for a FIFO topic, the deduplication record), so that what
 * Publish acknowledged reaches every matching subscription even across a crash. The
 * {@link DeliveryWorker} takes it from there. Thread-safe.
 */
final class Publisher {

    /** SNS's maximum message size, attributes included. */
    static final int MAX_MESSAGE_BYTES = 262_144;
    static final int MAX_BATCH_ENTRIES = 10;
    static final Duration DEDUPLICATION_INTERVAL = Duration.ofMinutes(5);

    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern FIFO_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final SnsStore store;
    private final TopicOperations topics;
    private final FilterPolicy filters = new FilterPolicy();
    private final Envelopes envelopes;
    private final Clock clock;
    private final DeliveryWorker deliveries;
    /** Numbers FIFO messages: increasing, and past anything an earlier run wrote. */
    private final AtomicLong sequence;

    Publisher(SnsStore store, TopicOperations topics, Envelopes envelopes, Clock clock, DeliveryWorker deliveries) {
        this.store = requireNonNull(store, "store is null");
        this.topics = requireNonNull(topics, "topics is null");
        this.envelopes = requireNonNull(envelopes, "envelopes is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.sequence = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
    }

    /**
     * A message to publish, checked and with its attributes converted.
     *
     * @param traceHeader the X-Ray trace header the publish came with, which its deliveries carry on; null for none
     */
    record Outgoing(String message, String subject, String structure, Map<String, PublishedAttribute> attributes, String groupId,
            String deduplicationId, String traceHeader) {}

    /** What a publish answered. */
    record Published(String messageId, String sequenceNumber) {}

    PublishResponse publish(RequestContext context, PublishRequest request) {
        Topic topic = topics.require(context, topicArn(request), request.topicArn() != null ? "TopicArn" : "TargetArn", "Publish");
        Outgoing outgoing = new Outgoing(request.message(), request.subject(), request.messageStructure(),
                MessageAttributes.check(request.messageAttributes()), request.messageGroupId(), request.messageDeduplicationId(),
                context.traceHeader());
        Published published = publish(topic, outgoing);
        return new PublishResponse(published.messageId(), published.sequenceNumber());
    }

    private static String topicArn(PublishRequest request) {
        int given = (request.topicArn() != null ? 1 : 0) + (request.targetArn() != null ? 1 : 0) + (request.phoneNumber() != null ? 1 : 0);
        if (given > 1) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                    "Invalid parameter: TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified");
        }
        if (request.phoneNumber() != null) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: PhoneNumber Reason: Stratus does not send SMS messages");
        }
        if (given == 0) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        }
        if (request.targetArn() != null && request.targetArn().contains("/")) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                    "Invalid parameter: TargetArn Reason: Stratus does not serve mobile platform endpoints; publish to a topic");
        }
        return request.topicArn() != null ? request.topicArn() : request.targetArn();
    }

    PublishBatchResponse publishBatch(RequestContext context, PublishBatchRequest request) {
        Topic topic = topics.require(context, request.topicArn(), "TopicArn", "Publish");
        List<PublishBatchRequestEntry> entries = request.publishBatchRequestEntries() == null ? List.of() : request.publishBatchRequestEntries();
        if (entries.isEmpty()) {
            throw AwsException.of(SnsErrors.EMPTY_BATCH_REQUEST, "The batch request doesn't contain any entries.");
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw AwsException.of(SnsErrors.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, "The batch request contains more entries than permissible.");
        }
        Set<String> ids = new HashSet<>();
        long total = 0;
        for (PublishBatchRequestEntry entry : entries) {
            if (entry.id() == null || !BATCH_ID.matcher(entry.id()).matches()) {
                throw AwsException.of(SnsErrors.INVALID_BATCH_ENTRY_ID,
                        "The Id of a batch entry in a batch request doesn't abide by the specification.");
            }
            if (!ids.add(entry.id())) {
                throw AwsException.of(SnsErrors.BATCH_ENTRY_IDS_NOT_DISTINCT, "Two or more batch entries in the request have the same Id.");
            }
            total += entry.message() == null ? 0 : MessageAttributes.utf8(entry.message());
        }
        if (total > MAX_MESSAGE_BYTES) {
            throw AwsException.of(SnsErrors.BATCH_REQUEST_TOO_LONG, "The length of all the messages put together is more than the limit.");
        }
        List<PublishBatchResultEntry> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (PublishBatchRequestEntry entry : entries) {
            try {
                Outgoing outgoing = new Outgoing(entry.message(), entry.subject(), entry.messageStructure(),
                        MessageAttributes.check(entry.messageAttributes()), entry.messageGroupId(), entry.messageDeduplicationId(),
                        context.traceHeader());
                Published published = publish(topic, outgoing);
                successful.add(new PublishBatchResultEntry(entry.id(), published.messageId(), published.sequenceNumber()));
            } catch (AwsException e) {
                failed.add(new BatchResultErrorEntry(entry.id(), e.errorCode().code(), e.getMessage(), e.errorCode().httpStatus() < 500));
            }
        }
        return new PublishBatchResponse(successful, failed);
    }

    /** Publishes a checked message to {@code topic} (whose access the caller passed). */
    Published publish(Topic topic, Outgoing outgoing) {
        Map<String, String> structured = structured(outgoing);
        checkSubject(outgoing.subject());
        if (MessageAttributes.utf8(outgoing.message()) + MessageAttributes.size(outgoing.attributes()) > MAX_MESSAGE_BYTES) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Message too long");
        }
        String deduplicationId = fifoIds(topic, outgoing);
        String messageId = UUID.randomUUID().toString();
        Published published = store.store().transaction(txn -> {
            Topic current = SnsStore.topic(txn, topic.arn());
            if (current == null) {
                throw AwsException.of(SnsErrors.NOT_FOUND, "Topic does not exist");
            }
            long now = clock.millis();
            long seq = sequence.incrementAndGet();
            String sequenceNumber = topic.fifo() ? String.format("%020d", seq) : null;
            if (deduplicationId != null) {
                SnsStore.Deduplication seen = SnsStore.deduplication(txn, topic.arn(), deduplicationId);
                if (seen != null && now - seen.at() < DEDUPLICATION_INTERVAL.toMillis()) {
                    return new Published(seen.messageId(), seen.sequenceNumber());
                }
                SnsStore.remember(txn, topic.arn(), deduplicationId, new SnsStore.Deduplication(messageId, sequenceNumber, now));
            }
            List<Subscription> subscriptions = SnsStore.subscriptions(txn, topic.arn());
            for (int i = 0; i < subscriptions.size(); i++) {
                Subscription subscription = subscriptions.get(i);
                String message = structured == null ? outgoing.message() : structured.getOrDefault(subscription.protocol(), structured.get("default"));
                String policy = subscription.attributes().get(SubscriptionAttributes.FILTER_POLICY);
                String scope = subscription.attributes().getOrDefault(SubscriptionAttributes.FILTER_POLICY_SCOPE, FilterPolicy.ATTRIBUTES_SCOPE);
                if (!filters.matches(policy, scope, message, outgoing.attributes())) {
                    continue;
                }
                Notification notification = new Notification(messageId, topic.arn().toString(), outgoing.subject(), message, Instant.ofEpochMilli(now),
                        sequenceNumber, outgoing.attributes());
                deliveries.enqueue(txn, delivery(subscription, notification, outgoing, deduplicationId, now));
            }
            return new Published(messageId, sequenceNumber);
        });
        deliveries.wake();
        return published;
    }

    private Delivery delivery(Subscription subscription, Notification notification, Outgoing outgoing, String deduplicationId, long now) {
        String envelope = envelopes.envelope(notification, subscription.arn());
        String payload;
        Map<String, PublishedAttribute> attributes = Map.of();
        if (subscription.protocol().equals("lambda")) {
            payload = envelopes.lambdaEvent(notification, subscription.arn());
        } else if (subscription.raw()) {
            payload = notification.message();
            attributes = outgoing.attributes();
        } else {
            payload = envelope;
        }
        String redrive = subscription.attributes().get(SubscriptionAttributes.REDRIVE_POLICY);
        String deadLetterTarget = redrive == null ? null : SubscriptionAttributes.deadLetterTarget(redrive, outgoing.groupId() != null).toString();
        String deadLetterPayload = deadLetterTarget == null ? null : subscription.raw() ? notification.message() : envelope;
        return new Delivery(subscription.arn(), subscription.endpoint(), payload, attributes, outgoing.groupId(), deduplicationId,
                notification.topicArn(), Arn.parse(notification.topicArn()).accountId(), deadLetterTarget, deadLetterPayload, 0, now, now,
                outgoing.traceHeader());
    }

    /** For MessageStructure=json, the message per protocol (with {@code default}); else null. */
    private static Map<String, String> structured(Outgoing outgoing) {
        if (outgoing.message() == null || outgoing.message().isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Empty message");
        }
        if (outgoing.structure() == null) {
            return null;
        }
        if (!outgoing.structure().equals("json")) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: MessageStructure");
        }
        JsonNode node = TopicAttributes.readJson(outgoing.message());
        if (node == null || !node.isObject()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Message Structure - JSON message body failed to parse");
        }
        if (!node.path("default").isTextual()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Message Structure - No default entry in JSON message body");
        }
        Map<String, String> messages = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isTextual()) {
                messages.put(field.getKey(), field.getValue().asText());
            }
        });
        return messages;
    }

    private static void checkSubject(String subject) {
        if (subject == null) {
            return;
        }
        boolean valid = !subject.isEmpty() && subject.length() <= 100 && subject.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        if (!valid) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Subject");
        }
    }

    /** Checks the FIFO parameters; answers the deduplication id (given or content-based) of a FIFO message, null for a standard topic. */
    private static String fifoIds(Topic topic, Outgoing outgoing) {
        if (!topic.fifo()) {
            if (outgoing.deduplicationId() != null) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                        "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
            }
            if (outgoing.groupId() != null) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                        "Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type");
            }
            return null;
        }
        if (outgoing.groupId() == null || outgoing.groupId().isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
        }
        if (!FIFO_ID.matcher(outgoing.groupId()).matches()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: MessageGroupId Reason: must be 1 to 128 printable ASCII characters");
        }
        if (outgoing.deduplicationId() != null) {
            if (!FIFO_ID.matcher(outgoing.deduplicationId()).matches()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                        "Invalid parameter: MessageDeduplicationId Reason: must be 1 to 128 printable ASCII characters");
            }
            return outgoing.deduplicationId();
        }
        if (!topic.contentBasedDeduplication()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                    "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(outgoing.message().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
