package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.sqs.MessageStore.Deduplication;
import io.stratus.sqs.SqsModel.BatchResultEntry;
import io.stratus.sqs.SqsModel.BatchResultErrorEntry;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityBatchRequest;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityBatchRequestEntry;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityBatchResponse;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityRequest;
import io.stratus.sqs.SqsModel.DeleteMessageBatchRequest;
import io.stratus.sqs.SqsModel.DeleteMessageBatchRequestEntry;
import io.stratus.sqs.SqsModel.DeleteMessageBatchResponse;
import io.stratus.sqs.SqsModel.DeleteMessageRequest;
import io.stratus.sqs.SqsModel.Empty;
import io.stratus.sqs.SqsModel.MessageAttributeValue;
import io.stratus.sqs.SqsModel.SendMessageBatchRequest;
import io.stratus.sqs.SqsModel.SendMessageBatchRequestEntry;
import io.stratus.sqs.SqsModel.SendMessageBatchResponse;
import io.stratus.sqs.SqsModel.SendMessageBatchResultEntry;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.sqs.SqsModel.SendMessageResponse;
import io.stratus.storage.Transaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Sending, deleting and changing the visibility of messages, one store transaction per request
 * (a batch included: each entry's outcome is a value of that transaction, never an abort of it).
 * Every committed change wakes the queue's long-polling receivers. Thread-safe.
 */
final class MessageOperations {

    /** FIFO deduplication ids count for five minutes. */
    static final long DEDUPLICATION_MILLIS = 5 * 60_000;

    private static final int MAX_VISIBILITY_TIMEOUT = 43_200;
    private static final Pattern FIFO_ID = Pattern.compile("[\\p{Alnum}\\p{Punct}]{1,128}");
    private static final String TRACE_HEADER = "AWSTraceHeader";

    private final QueueOperations queues;
    private final MessageStore messages;
    private final QueueWaiters waiters;
    private final Clock clock;

    MessageOperations(QueueOperations queues, MessageStore messages, QueueWaiters waiters, Clock clock) {
        this.queues = requireNonNull(queues, "queues is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.waiters = requireNonNull(waiters, "waiters is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A checked message, ready to store, with what the sender is told. */
    private record Outgoing(QueuedMessage message, String deduplicationScope) {}

    SendMessageResponse sendMessage(RequestContext context, SendMessageRequest request) {
        Queue queue = queues.require(context, request.queueUrl(), "SendMessage");
        long now = clock.millis();
        Outgoing outgoing = prepare(queue, context, now, request.messageBody(), request.delaySeconds(), request.messageAttributes(),
                request.messageSystemAttributes(), request.messageDeduplicationId(), request.messageGroupId());
        QueuedMessage stored = messages.store().transaction(txn -> {
            requireUnchangedFifo(txn, queue);
            return store(txn, queue, outgoing, now);
        });
        waiters.notify(queue.address());
        QueuedMessage sent = outgoing.message();
        return new SendMessageResponse(sent.md5OfBody(), sent.md5OfAttributes(), sent.md5OfSystemAttributes(), stored.messageId(),
                queue.fifo() ? sequenceNumber(stored.sequence()) : null);
    }

    SendMessageBatchResponse sendMessageBatch(RequestContext context, SendMessageBatchRequest request) {
        Queue queue = queues.require(context, request.queueUrl(), "SendMessage");
        List<SendMessageBatchRequestEntry> entries = request.entries();
        Batches.check(entries, SendMessageBatchRequestEntry::id, "SendMessageBatchRequestEntry");
        // Entries are checked one by one below; a malformed one counts what it has and then fails alone.
        int total = entries.stream().mapToInt(e -> MessageContents.size(e.messageBody(), e.messageAttributes())).sum();
        if (total > QueueAttributes.MAX_MESSAGE_SIZE) {
            throw AwsException.of(SqsErrors.BATCH_REQUEST_TOO_LONG,
                    "Batch requests cannot be longer than %d bytes. You have sent %d bytes.", QueueAttributes.MAX_MESSAGE_SIZE, total);
        }
        long now = clock.millis();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        List<SendMessageBatchRequestEntry> accepted = new ArrayList<>();
        List<Outgoing> outgoing = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : entries) {
            try {
                outgoing.add(prepare(queue, context, now, entry.messageBody(), entry.delaySeconds(), entry.messageAttributes(),
                        entry.messageSystemAttributes(), entry.messageDeduplicationId(), entry.messageGroupId()));
                accepted.add(entry);
            } catch (AwsException e) {
                failed.add(Batches.failure(entry.id(), e));
            }
        }
        List<QueuedMessage> stored = outgoing.isEmpty() ? List.of() : messages.store().transaction(txn -> {
            requireUnchangedFifo(txn, queue);
            List<QueuedMessage> results = new ArrayList<>();
            for (Outgoing message : outgoing) {
                results.add(store(txn, queue, message, now));
            }
            return results;
        });
        if (!stored.isEmpty()) {
            waiters.notify(queue.address());
        }
        List<SendMessageBatchResultEntry> successful = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            QueuedMessage sent = outgoing.get(i).message();
            successful.add(new SendMessageBatchResultEntry(accepted.get(i).id(), stored.get(i).messageId(), sent.md5OfBody(),
                    sent.md5OfAttributes(), sent.md5OfSystemAttributes(), queue.fifo() ? sequenceNumber(stored.get(i).sequence()) : null));
        }
        return new SendMessageBatchResponse(successful, failed);
    }

    /**
     * Fails a send to a FIFO queue that was deleted (or deleted and created again) since the
     * request looked it up: reading the queue's key makes the send conflict with a DeleteQueue that
     * commits first. FIFO sends serialize on the queue's counter anyway. A standard send does not
     * read the key in its transaction: every send to the queue would then hold that key's lock
     * through its commit (RocksDB validates optimistic transactions so) and none could share a log
     * sync; a standard message that a racing DeleteQueue leaves behind belongs to no queue, is never
     * delivered (a queue of the same name may not exist for 60 s), and the retention sweep removes it.
     */
    private static void requireUnchangedFifo(Transaction txn, Queue queue) {
        if (!queue.fifo()) {
            return;
        }
        Queue current = QueueStore.read(txn, queue.address());
        if (current == null || current.createdAt() != queue.createdAt()) {
            throw QueueOperations.doesNotExist();
        }
    }

    /**
     * Stores one message at the next place in its queue; on a FIFO queue a deduplication id seen
     * in the last five minutes stores nothing and answers with the message it stood for, as AWS
     * does. A FIFO sequence number is taken here, inside the transaction, from the queue's counter
     * key, so sends to one queue commit in sequence order and a receiver never sees a later
     * message of a group before an earlier one.
     */
    private QueuedMessage store(Transaction txn, Queue queue, Outgoing outgoing, long now) {
        QueuedMessage message;
        if (queue.fifo()) {
            QueuedMessage unsequenced = outgoing.message();
            Deduplication previous = MessageStore.deduplication(txn, queue.address(), outgoing.deduplicationScope(), unsequenced.deduplicationId());
            if (previous != null && previous.expiresAt() > now) {
                return new QueuedMessage(previous.messageId(), previous.sequence(), unsequenced.body(), unsequenced.md5OfBody(), null, null,
                        null, null, unsequenced.senderId(), unsequenced.sentAt(), unsequenced.visibleAt(), 0, 0, null, unsequenced.groupId(),
                        unsequenced.deduplicationId(), null, 0);
            }
            message = unsequenced.withSequence(MessageStore.nextSequence(txn, queue.address(), now));
            MessageStore.putDeduplication(txn, queue.address(), outgoing.deduplicationScope(), message.deduplicationId(),
                    new Deduplication(message.messageId(), message.sequence(), now + DEDUPLICATION_MILLIS));
        } else {
            message = outgoing.message().withSequence(messages.nextStandardSequence(queue.address(), now));
        }
        MessageStore.put(txn, queue.address(), message);
        return message;
    }

    private Outgoing prepare(Queue queue, RequestContext context, long now, String body, Integer delaySeconds,
            Map<String, MessageAttributeValue> attributes, Map<String, MessageAttributeValue> systemAttributes,
            String deduplicationId, String groupId) {
        MessageContents.checkBody(body);
        MessageContents.checkAttributes(attributes);
        checkSystemAttributes(systemAttributes);
        int size = MessageContents.size(body, attributes);
        if (size > queue.maximumMessageSize()) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", queue.maximumMessageSize());
        }
        int delay = queue.delaySeconds();
        String scope = "";
        if (queue.fifo()) {
            if (delaySeconds != null) {
                throw notForThisQueueType(delaySeconds.toString(), "DelaySeconds");
            }
            if (groupId == null || groupId.isEmpty()) {
                throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter MessageGroupId.");
            }
            checkFifoId(groupId, "MessageGroupId");
            if (deduplicationId == null) {
                if (!queue.contentBasedDeduplication()) {
                    throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
                }
                deduplicationId = sha256(body);
            }
            checkFifoId(deduplicationId, "MessageDeduplicationId");
            scope = queue.deduplicationPerGroup() ? "group:" + groupId : "queue";
        } else {
            if (deduplicationId != null) {
                throw notForThisQueueType(deduplicationId, "MessageDeduplicationId");
            }
            if (delaySeconds != null) {
                if (delaySeconds < 0 || delaySeconds > 900) {
                    throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                            "Value %d for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.", delaySeconds);
                }
                delay = delaySeconds;
            }
        }
        // The sequence is taken when the message is stored, inside the sending transaction. As SQS does, a trace header the
        // request came with (a Lambda function's SDK sends one) becomes the message's AWSTraceHeader unless the sender set one;
        // the sender's digest covers what it sent.
        String md5OfSystemAttributes = MessageContents.md5OfAttributes(systemAttributes);
        if (context.traceHeader() != null && (systemAttributes == null || !systemAttributes.containsKey(TRACE_HEADER))) {
            Map<String, MessageAttributeValue> withTrace = new java.util.LinkedHashMap<>(systemAttributes == null ? Map.of() : systemAttributes);
            withTrace.put(TRACE_HEADER, new MessageAttributeValue(context.traceHeader(), null, null, null, "String"));
            systemAttributes = withTrace;
        }
        QueuedMessage message = new QueuedMessage(Ids.requestId(), 0, body, MessageContents.md5OfBody(body), attributes,
                MessageContents.md5OfAttributes(attributes), systemAttributes, md5OfSystemAttributes,
                context.principal().userId(), now, now + delay * 1000L, 0, 0, null, groupId, deduplicationId, null, 0);
        return new Outgoing(message, scope);
    }

    private static void checkSystemAttributes(Map<String, MessageAttributeValue> systemAttributes) {
        if (systemAttributes == null) {
            return;
        }
        for (Map.Entry<String, MessageAttributeValue> entry : systemAttributes.entrySet()) {
            MessageAttributeValue value = entry.getValue();
            if (!entry.getKey().equals(TRACE_HEADER) || value == null || !"String".equals(value.dataType())
                    || value.stringValue() == null || value.stringValue().isEmpty()) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Message system attribute name '%s' is invalid.", entry.getKey());
            }
        }
    }

    private static void checkFifoId(String id, String parameter) {
        if (!FIFO_ID.matcher(id).matches()) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %s for parameter %s is invalid. Reason: %s can only include alphanumeric and punctuation characters. 1 to 128 in length.",
                    id, parameter, parameter);
        }
    }

    private static AwsException notForThisQueueType(String value, String parameter) {
        return AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                "Value %s for parameter %s is invalid. Reason: The request include parameter that is not valid for this queue type.", value, parameter);
    }

    Empty deleteMessage(RequestContext context, DeleteMessageRequest request) {
        Queue queue = queues.require(context, request.queueUrl(), "DeleteMessage");
        ReceiptHandle handle = ReceiptHandle.decode(request.receiptHandle(), queue.address());
        long now = clock.millis();
        AwsException failure = messages.store().transaction(txn -> delete(txn, queue, handle, request.receiptHandle(), now));
        if (failure != null) {
            throw failure;
        }
        // A delete can unblock a FIFO group, or free room a waiting receive is looking for.
        waiters.notify(queue.address());
        return new Empty();
    }

    DeleteMessageBatchResponse deleteMessageBatch(RequestContext context, DeleteMessageBatchRequest request) {
        Queue queue = queues.require(context, request.queueUrl(), "DeleteMessage");
        Batches.check(request.entries(), DeleteMessageBatchRequestEntry::id, "DeleteMessageBatchRequestEntry");
        long now = clock.millis();
        Outcomes outcomes = applyToHandles(queue, request.entries(), DeleteMessageBatchRequestEntry::id,
                DeleteMessageBatchRequestEntry::receiptHandle, entry -> {},
                (txn, entry, handle) -> delete(txn, queue, handle, entry.receiptHandle(), now));
        return new DeleteMessageBatchResponse(outcomes.successful(), outcomes.failed());
    }

    /** What a batch of receipt-handle entries came to: the entries that succeeded and those that failed. */
    private record Outcomes(List<BatchResultEntry> successful, List<BatchResultErrorEntry> failed) {}

    /** One entry's change, inside the batch's transaction: why it could not be made, or null. */
    @FunctionalInterface
    private interface HandleChange<E> {
        AwsException apply(Transaction txn, E entry, ReceiptHandle handle);
    }

    /**
     * Runs a batch of receipt-handle entries as one transaction. Each entry's own input ({@code check},
     * then its handle) is read first, so a malformed one is that entry's failure alone; the others
     * commit together, and waiting receivers are woken once.
     */
    private <E> Outcomes applyToHandles(Queue queue, List<E> entries, Function<E, String> id, Function<E, String> rawHandle,
            Consumer<E> check, HandleChange<E> change) {
        List<Object> handles = new ArrayList<>();
        for (E entry : entries) {
            try {
                check.accept(entry);
                handles.add(ReceiptHandle.decode(rawHandle.apply(entry), queue.address()));
            } catch (AwsException e) {
                handles.add(e);
            }
        }
        List<AwsException> results = messages.store().transaction(txn -> {
            List<AwsException> outcomes = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                outcomes.add(handles.get(i) instanceof ReceiptHandle handle
                        ? change.apply(txn, entries.get(i), handle)
                        : (AwsException) handles.get(i));
            }
            return outcomes;
        });
        waiters.notify(queue.address());
        List<BatchResultEntry> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryId = id.apply(entries.get(i));
            if (results.get(i) == null) {
                successful.add(new BatchResultEntry(entryId));
            } else {
                failed.add(Batches.failure(entryId, results.get(i)));
            }
        }
        return new Outcomes(successful, failed);
    }

    /**
     * Deletes the message a handle names, inside {@code txn}, and returns why it could not, or null.
     * A handle of a message already deleted, or of an earlier receive of a message received again
     * since, succeeds without deleting anything, as AWS documents: only the latest receive may
     * delete. On a FIFO queue a handle whose visibility timeout has passed has expired, as on AWS.
     */
    private static AwsException delete(Transaction txn, Queue queue, ReceiptHandle handle, String rawHandle, long now) {
        QueuedMessage message = MessageStore.get(txn, queue.address(), handle.sequence());
        if (message == null || !handle.token().equals(message.receipt())) {
            return null;
        }
        if (queue.fifo() && message.visibleAt() <= now) {
            return AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.", rawHandle);
        }
        MessageStore.remove(txn, queue.address(), message);
        return null;
    }

    Empty changeMessageVisibility(RequestContext context, ChangeMessageVisibilityRequest request) {
        Queue queue = queues.require(context, request.queueUrl(), "ChangeMessageVisibility");
        checkTimeout(request.visibilityTimeout());
        ReceiptHandle handle = ReceiptHandle.decode(request.receiptHandle(), queue.address());
        long now = clock.millis();
        AwsException failure = messages.store().transaction(
                txn -> changeVisibility(txn, queue, handle, request.receiptHandle(), request.visibilityTimeout(), now));
        if (failure != null) {
            throw failure;
        }
        waiters.notify(queue.address());
        return new Empty();
    }

    ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(RequestContext context, ChangeMessageVisibilityBatchRequest request) {
        Queue queue = queues.require(context, request.queueUrl(), "ChangeMessageVisibility");
        Batches.check(request.entries(), ChangeMessageVisibilityBatchRequestEntry::id, "ChangeMessageVisibilityBatchRequestEntry");
        long now = clock.millis();
        Outcomes outcomes = applyToHandles(queue, request.entries(), ChangeMessageVisibilityBatchRequestEntry::id,
                ChangeMessageVisibilityBatchRequestEntry::receiptHandle, entry -> checkTimeout(entry.visibilityTimeout()),
                (txn, entry, handle) -> changeVisibility(txn, queue, handle, entry.receiptHandle(), entry.visibilityTimeout(), now));
        return new ChangeMessageVisibilityBatchResponse(outcomes.successful(), outcomes.failed());
    }

    private static void checkTimeout(Integer timeout) {
        if (timeout == null) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter VisibilityTimeout.");
        }
        if (timeout < 0 || timeout > MAX_VISIBILITY_TIMEOUT) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.", timeout);
        }
    }

    /**
     * Changes the visibility of the message a handle names, inside {@code txn}, and returns why it
     * could not, or null. As on AWS, the time since the receive plus the new timeout may not pass
     * 12 hours.
     */
    private static AwsException changeVisibility(Transaction txn, Queue queue, ReceiptHandle handle, String rawHandle, int timeout, long now) {
        QueuedMessage message = MessageStore.get(txn, queue.address(), handle.sequence());
        if (message == null || !handle.token().equals(message.receipt())) {
            return AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %s for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.",
                    rawHandle);
        }
        if (!message.inFlight(now)) {
            return AwsException.of(SqsErrors.MESSAGE_NOT_INFLIGHT, "Message does not exist or is not available for visibility timeout change.");
        }
        long visibleAt = now + timeout * 1000L;
        // Messages stored before receives were timed have no receive time; they are not limited.
        long receivedAt = message.receivedAt() == 0 ? now : message.receivedAt();
        if (visibleAt - receivedAt > MAX_VISIBILITY_TIMEOUT * 1000L) {
            return AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [%d seconds]",
                    timeout, MAX_VISIBILITY_TIMEOUT);
        }
        MessageStore.update(txn, queue.address(), message, message.visibleAt(visibleAt));
        return null;
    }

    /** FIFO sequence numbers are 20-digit strings, as AWS sends them. */
    static String sequenceNumber(long sequence) {
        return String.format("%020d", sequence);
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
