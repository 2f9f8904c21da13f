package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.sqs.SqsModel.AddPermissionRequest;
import io.stratus.sqs.SqsModel.CreateQueueRequest;
import io.stratus.sqs.SqsModel.CreateQueueResponse;
import io.stratus.sqs.SqsModel.Empty;
import io.stratus.sqs.SqsModel.GetQueueAttributesRequest;
import io.stratus.sqs.SqsModel.GetQueueAttributesResponse;
import io.stratus.sqs.SqsModel.GetQueueUrlRequest;
import io.stratus.sqs.SqsModel.GetQueueUrlResponse;
import io.stratus.sqs.SqsModel.ListDeadLetterSourceQueuesRequest;
import io.stratus.sqs.SqsModel.ListDeadLetterSourceQueuesResponse;
import io.stratus.sqs.SqsModel.ListQueueTagsResponse;
import io.stratus.sqs.SqsModel.ListQueuesRequest;
import io.stratus.sqs.SqsModel.ListQueuesResponse;
import io.stratus.sqs.SqsModel.QueueUrlRequest;
import io.stratus.sqs.SqsModel.RemovePermissionRequest;
import io.stratus.sqs.SqsModel.SetQueueAttributesRequest;
import io.stratus.sqs.SqsModel.TagQueueRequest;
import io.stratus.sqs.SqsModel.UntagQueueRequest;
import io.stratus.storage.Snapshot;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The queue operations: create, find, list, attributes, tags, purge, delete. Each change is one
 * store transaction on the queue's key, but DeleteQueue, which is two (see there). Thread-safe.
 */
final class QueueOperations {

    private static final long PURGE_INTERVAL_MILLIS = 60_000;
    private static final int MAX_TAGS = 50;

    private final QueueStore queues;
    private final MessageStore messages;
    private final QueueWaiters waiters;
    private final Clock clock;
    private final URI baseUri;
    private final QueueAccess access;

    QueueOperations(QueueStore queues, MessageStore messages, QueueWaiters waiters, Clock clock, URI baseUri) {
        this.queues = requireNonNull(queues, "queues is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.waiters = requireNonNull(waiters, "waiters is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.baseUri = requireNonNull(baseUri, "baseUri is null");
        this.access = new QueueAccess(baseUri);
    }

    /**
     * The queue a request's QueueUrl names, or QueueDoesNotExist, once the caller may perform
     * {@code action} (an SQS action name) on it, else AccessDenied.
     */
    Queue require(RequestContext context, String queueUrl, String action) {
        QueueAddress address = QueueAddress.fromUrl(queueUrl, context.region());
        Queue queue = queues.get(address).orElseThrow(QueueOperations::doesNotExist);
        access.check(context, queue, action);
        return queue;
    }

    /**
     * The queue at {@code address}, or QueueDoesNotExist, once its policy allows {@code caller}
     * (a service acting for one of its resources) to perform {@code action}, else AccessDenied.
     */
    Queue require(QueueAddress address, ServiceCaller caller, String action) {
        Queue queue = queues.get(address).orElseThrow(QueueOperations::doesNotExist);
        if (!access.allows(queue, caller, action)) {
            throw access.denied(queue);
        }
        return queue;
    }

    /** Whether the queue at {@code address} exists and its policy allows {@code caller} to perform {@code action}. */
    boolean allows(QueueAddress address, ServiceCaller caller, String action) {
        return queues.get(address).map(queue -> access.allows(queue, caller, action)).orElse(false);
    }

    Optional<Queue> find(QueueAddress address) {
        return queues.get(address);
    }

    static AwsException doesNotExist() {
        return AwsException.of(SqsErrors.QUEUE_DOES_NOT_EXIST, "The specified queue does not exist.");
    }

    CreateQueueResponse createQueue(RequestContext context, CreateQueueRequest request) {
        String name = request.queueName();
        if (name == null || name.isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter QueueName.");
        }
        Map<String, String> given = request.attributes() == null ? Map.of() : request.attributes();
        String fifoFlag = given.get(QueueAttributes.FIFO_QUEUE);
        boolean fifo = fifoFlag != null && fifoFlag.trim().equalsIgnoreCase("true");
        QueueAddress.validateName(name, fifo);
        QueueAddress address = new QueueAddress(context.accountId(), context.region(), name);
        Map<String, String> attributes = new LinkedHashMap<>(QueueAttributes.validate(given, fifo, true));
        if (!fifo) {
            // FifoQueue=false is accepted on a standard queue but, as on AWS, not reported back.
            attributes.remove(QueueAttributes.FIFO_QUEUE);
        }
        Map<String, String> tags = checkTags(request.tags());
        long now = clock.millis();
        Map<String, String> initial = new TreeMap<>(QueueAttributes.defaults(fifo));
        if (attributes.containsKey(QueueAttributes.KMS_MASTER_KEY_ID) && !attributes.get(QueueAttributes.KMS_MASTER_KEY_ID).isEmpty()) {
            initial.put(QueueAttributes.SQS_MANAGED_SSE_ENABLED, "false");
            initial.put(QueueAttributes.KMS_DATA_KEY_REUSE_PERIOD_SECONDS, "300");
        }
        Queue created = new Queue(address, initial, tags, now / 1000, now / 1000, 0, 0).withAttributes(attributes, now / 1000);
        QueueAttributes.validateCombination(created.attributes());
        checkRedrive(created);
        queues.store().transaction(txn -> {
            Queue existing = QueueStore.read(txn, address);
            if (existing != null) {
                for (Map.Entry<String, String> entry : attributes.entrySet()) {
                    String current = existing.attributes().getOrDefault(entry.getKey(), "");
                    if (!current.equals(entry.getValue())) {
                        throw AwsException.of(SqsErrors.QUEUE_NAME_EXISTS,
                                "A queue already exists with the same name and a different value for attribute %s", entry.getKey());
                    }
                }
                return existing;
            }
            long deletedAt = QueueStore.deletedAt(txn, address);
            if (deletedAt != 0 && now - deletedAt < QueueStore.NAME_REUSE_MILLIS) {
                throw AwsException.of(SqsErrors.QUEUE_DELETED_RECENTLY,
                        "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
            }
            // Whatever a DeleteQueue interrupted between its two steps left of an earlier queue of
            // this name is not the new queue's.
            MessageStore.removeAll(txn, address);
            QueueStore.write(txn, created);
            return created;
        });
        return new CreateQueueResponse(address.url(baseUri));
    }

    GetQueueUrlResponse getQueueUrl(RequestContext context, GetQueueUrlRequest request) {
        if (request.queueName() == null || request.queueName().isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter QueueName.");
        }
        String owner = request.queueOwnerAWSAccountId() == null ? context.accountId() : request.queueOwnerAWSAccountId();
        if (!QueueAddress.validName(request.queueName()) || !QueueAddress.validAccount(owner)) {
            // No queue has such a name or owner.
            throw doesNotExist();
        }
        QueueAddress address = new QueueAddress(owner, context.region(), request.queueName());
        Queue queue = queues.get(address).orElseThrow(QueueOperations::doesNotExist);
        access.check(context, queue, "GetQueueUrl");
        return new GetQueueUrlResponse(queue.address().url(baseUri));
    }

    ListQueuesResponse listQueues(RequestContext context, ListQueuesRequest request) {
        int limit = maxResults(request.maxResults());
        String after = after(request.nextToken());
        if (request.queueNamePrefix() != null && !QueueAddress.validNamePrefix(request.queueNamePrefix())) {
            // No queue name begins with characters names may not hold.
            return new ListQueuesResponse(List.of(), null);
        }
        List<Queue> page = queues.list(context.accountId(), context.region(), request.queueNamePrefix(), after, limit + 1);
        List<String> urls = page.stream().limit(limit).map(q -> q.address().url(baseUri)).toList();
        String next = request.maxResults() != null && page.size() > limit ? token(page.get(limit - 1).address().name()) : null;
        return new ListQueuesResponse(urls, next);
    }

    GetQueueAttributesResponse getQueueAttributes(RequestContext context, GetQueueAttributesRequest request) {
        Queue queue = require(context, request.queueUrl(), "GetQueueAttributes");
        List<String> names = QueueAttributes.requested(request.attributeNames());
        Map<String, String> result = new LinkedHashMap<>();
        Counts counts = names.stream().anyMatch(n -> n.startsWith("Approximate")) ? count(queue) : null;
        for (String name : names) {
            String value = switch (name) {
                case QueueAttributes.QUEUE_ARN -> queue.address().arn().toString();
                case QueueAttributes.APPROXIMATE_NUMBER_OF_MESSAGES -> Long.toString(counts.visible());
                case QueueAttributes.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE -> Long.toString(counts.notVisible());
                case QueueAttributes.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED -> Long.toString(counts.delayed());
                case QueueAttributes.CREATED_TIMESTAMP -> Long.toString(queue.createdAt());
                case QueueAttributes.LAST_MODIFIED_TIMESTAMP -> Long.toString(queue.lastModifiedAt());
                default -> queue.attributes().get(name);
            };
            if (value != null) {
                result.put(name, value);
            }
        }
        return new GetQueueAttributesResponse(result.isEmpty() ? null : result);
    }

    /** How many messages a queue holds, by state; expired messages no longer count. */
    record Counts(long visible, long notVisible, long delayed) {

        long total() {
            return visible + notVisible + delayed;
        }
    }

    /**
     * Counts from the visibility index, which holds one key per message: a visible entry counts by
     * its key alone (its sequence bounds its send time, so most expired ones are told apart too),
     * a hidden one is read to tell in flight from delayed. Approximate, as AWS's counts are: a
     * message a redrive moved keeps its old send time, and counts until a receive or the retention
     * sweep removes it.
     */
    Counts count(Queue queue) {
        long now = clock.millis();
        long retentionMillis = queue.messageRetentionPeriod() * 1000L;
        long[] counts = new long[3];
        // One snapshot for the index and the messages, so a change committing meanwhile counts wholly or not at all.
        try (Snapshot snapshot = queues.store().snapshot()) {
            MessageStore.forEachIndexEntry(snapshot, queue.address(), entry -> {
                if (entry.sequence() <= queue.purgedThrough()) {
                    return;
                }
                if (entry.visibleAt() <= now) {
                    if (entry.sequence() / 1000 + retentionMillis > now) {
                        counts[0]++;
                    }
                    return;
                }
                QueuedMessage message = MessageStore.get(snapshot, queue.address(), entry.sequence());
                if (message != null && queue.holds(message, now)) {
                    counts[message.inFlight(now) ? 1 : 2]++;
                }
            });
        }
        return new Counts(counts[0], counts[1], counts[2]);
    }

    Empty setQueueAttributes(RequestContext context, SetQueueAttributesRequest request) {
        Queue queue = require(context, request.queueUrl(), "SetQueueAttributes");
        if (request.attributes() == null || request.attributes().isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter Attribute.1.Name.");
        }
        for (String name : request.attributes().keySet()) {
            if (QueueAttributes.readOnly(name)) {
                throw QueueAttributes.unknown(name);
            }
        }
        Map<String, String> changed = QueueAttributes.validate(request.attributes(), queue.fifo(), false);
        long now = clock.millis() / 1000;
        Queue preview = queue.withAttributes(changed, now);
        QueueAttributes.validateCombination(preview.attributes());
        checkRedrive(preview);
        update(queue.address(), current -> current.withAttributes(changed, now));
        // A shorter visibility timeout or delay does not move messages already stored, but waiting
        // receivers re-read the queue.
        waiters.notify(queue.address());
        return new Empty();
    }

    Empty deleteQueue(RequestContext context, QueueUrlRequest request) {
        Queue queue = require(context, request.queueUrl(), "DeleteQueue");
        long now = clock.millis();
        // Two steps. First the queue's record goes: every send, receive and redrive reads it in its
        // own transaction, so from this commit on none can add to the queue. Then its messages go:
        // this second transaction begins after every send that got in has committed, so it sees them
        // all (a scan has no phantom protection, so one transaction for both could miss a send that
        // commits while it runs).
        queues.store().transaction(txn -> {
            if (QueueStore.read(txn, queue.address()) == null) {
                throw doesNotExist();
            }
            QueueStore.remove(txn, queue.address(), now);
            return null;
        });
        MessageStore.removeAll(queues.store(), queue.address());
        waiters.remove(queue.address());
        return new Empty();
    }

    /**
     * Purges in two steps: one small transaction records that every message up to the queue's
     * newest is gone (receives and counts pass over them from this commit on, and a crash loses
     * nothing of the purge), then their keys are deleted in batches, by this request and, after a
     * crash, by the retention sweep.
     */
    Empty purgeQueue(RequestContext context, QueueUrlRequest request) {
        Queue queue = require(context, request.queueUrl(), "PurgeQueue");
        long now = clock.millis();
        long through = queues.store().transaction(txn -> {
            Queue current = QueueStore.read(txn, queue.address());
            if (current == null) {
                throw doesNotExist();
            }
            if (current.lastPurgedAt() != 0 && now - current.lastPurgedAt() < PURGE_INTERVAL_MILLIS) {
                throw AwsException.of(SqsErrors.PURGE_QUEUE_IN_PROGRESS,
                        "Only one PurgeQueue operation on %s is allowed every 60 seconds.", queue.address().name());
            }
            long newest = queue.fifo() ? MessageStore.lastSequence(txn, queue.address()) : MessageStore.newestSequence(txn, queue.address());
            QueueStore.write(txn, current.purged(now, newest));
            return newest;
        });
        MessageStore.removeBelow(queues.store(), queue.address(), through + 1);
        return new Empty();
    }

    Empty tagQueue(RequestContext context, TagQueueRequest request) {
        Queue queue = require(context, request.queueUrl(), "TagQueue");
        if (request.tags() == null || request.tags().isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter Tags.");
        }
        Map<String, String> added = checkTags(request.tags());
        update(queue.address(), current -> {
            Map<String, String> tags = new TreeMap<>(current.tags());
            tags.putAll(added);
            if (tags.size() > MAX_TAGS) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Too many tags added for queue %s.", current.address().name());
            }
            return current.withTags(tags);
        });
        return new Empty();
    }

    Empty untagQueue(RequestContext context, UntagQueueRequest request) {
        Queue queue = require(context, request.queueUrl(), "UntagQueue");
        if (request.tagKeys() == null || request.tagKeys().isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter TagKeys.");
        }
        if (request.tagKeys().contains(null)) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value null for parameter TagKeys is invalid. Reason: null is not a tag key.");
        }
        update(queue.address(), current -> {
            Map<String, String> tags = new TreeMap<>(current.tags());
            request.tagKeys().forEach(tags::remove);
            return current.withTags(tags);
        });
        return new Empty();
    }

    ListQueueTagsResponse listQueueTags(RequestContext context, QueueUrlRequest request) {
        Queue queue = require(context, request.queueUrl(), "ListQueueTags");
        return new ListQueueTagsResponse(queue.tags().isEmpty() ? null : new TreeMap<>(queue.tags()));
    }

    Empty addPermission(RequestContext context, AddPermissionRequest request) {
        Queue queue = require(context, request.queueUrl(), "AddPermission");
        long now = clock.millis() / 1000;
        update(queue.address(), current -> {
            String policy = QueuePolicy.addStatement(current.attributes().get(QueueAttributes.POLICY), current.address().arn(),
                    request.label(), request.accountIds(), request.actions());
            return current.withAttributes(Map.of(QueueAttributes.POLICY, policy), now);
        });
        return new Empty();
    }

    Empty removePermission(RequestContext context, RemovePermissionRequest request) {
        Queue queue = require(context, request.queueUrl(), "RemovePermission");
        long now = clock.millis() / 1000;
        update(queue.address(), current -> {
            String policy = QueuePolicy.removeStatement(current.attributes().get(QueueAttributes.POLICY), request.label());
            // An empty value clears the attribute, as SetQueueAttributes with Policy="" does.
            return current.withAttributes(Map.of(QueueAttributes.POLICY, policy == null ? "" : policy), now);
        });
        return new Empty();
    }

    ListDeadLetterSourceQueuesResponse listDeadLetterSourceQueues(RequestContext context, ListDeadLetterSourceQueuesRequest request) {
        Queue queue = require(context, request.queueUrl(), "ListDeadLetterSourceQueues");
        int limit = maxResults(request.maxResults());
        String arn = queue.address().arn().toString();
        String after = after(request.nextToken());
        List<Queue> sources = queues.list(queue.address().account(), queue.address().region(), "", after, Integer.MAX_VALUE).stream()
                .filter(q -> q.redrivePolicy() != null && q.redrivePolicy().deadLetterTargetArn().equals(arn))
                .limit(limit + 1L)
                .toList();
        List<String> urls = sources.stream().limit(limit).map(q -> q.address().url(baseUri)).toList();
        String next = request.maxResults() != null && sources.size() > limit ? token(sources.get(limit - 1).address().name()) : null;
        return new ListDeadLetterSourceQueuesResponse(urls, next);
    }

    /** Whether some queue of the same account and region names this one as its dead-letter queue. */
    boolean isDeadLetterQueue(Queue queue) {
        String arn = queue.address().arn().toString();
        return queues.list(queue.address().account(), queue.address().region(), "", null, Integer.MAX_VALUE).stream()
                .anyMatch(q -> q.redrivePolicy() != null && q.redrivePolicy().deadLetterTargetArn().equals(arn));
    }

    private void update(QueueAddress address, java.util.function.UnaryOperator<Queue> change) {
        queues.store().transaction(txn -> {
            Queue current = QueueStore.read(txn, address);
            if (current == null) {
                throw doesNotExist();
            }
            QueueStore.write(txn, change.apply(current));
            return null;
        });
    }

    /** A dead-letter queue must exist, be of the source's type, and allow the source. */
    private void checkRedrive(Queue source) {
        RedrivePolicy policy = source.redrivePolicy();
        if (policy == null) {
            return;
        }
        Arn target = policy.target();
        QueueAddress targetAddress = new QueueAddress(target.accountId(), target.region(), target.resource());
        Queue dlq = queues.get(targetAddress).orElseThrow(() -> RedrivePolicy.invalid(policy.toJson(), "Dead letter target does not exist."));
        if (dlq.fifo() != source.fifo()) {
            throw RedrivePolicy.invalid(policy.toJson(), "Dead-letter queue must be same type of queue as the source.");
        }
        String allow = dlq.attributes().get(QueueAttributes.REDRIVE_ALLOW_POLICY);
        if (allow != null && !RedriveAllowPolicy.parse(allow).allows(source.address().arn().toString())) {
            throw RedrivePolicy.invalid(policy.toJson(), "Dead-letter queue does not allow this queue to use it as its dead-letter queue.");
        }
    }

    private static Map<String, String> checkTags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Too many tags added for queue.");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > 128 || (tag.getValue() != null && tag.getValue().length() > 256)) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Tag %s is invalid: keys are 1 to 128 characters, values up to 256.", tag.getKey());
            }
        }
        Map<String, String> copy = new TreeMap<>();
        tags.forEach((key, value) -> copy.put(key, value == null ? "" : value));
        return copy;
    }

    private static int maxResults(Integer maxResults) {
        if (maxResults == null) {
            return 1000;
        }
        if (maxResults < 1 || maxResults > 1000) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.", maxResults);
        }
        return maxResults;
    }

    private static String token(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static String after(String nextToken) {
        if (nextToken == null || nextToken.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Invalid NextToken value.");
        }
    }
}
