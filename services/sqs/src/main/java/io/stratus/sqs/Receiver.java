package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.sqs.SqsModel.Message;
import io.stratus.sqs.SqsModel.MessageAttributeValue;
import io.stratus.sqs.SqsModel.ReceiveMessageRequest;
import io.stratus.sqs.SqsModel.ReceiveMessageResponse;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * ReceiveMessage: takes the next visible messages in one transaction (hiding them for the
 * visibility timeout, counting the receive, moving messages past their {@code maxReceiveCount} to
 * the dead-letter queue), and long-polls by parking until the queue changes (a send, delete or
 * visibility change commits), a message becomes visible, or the wait ends. Standard queues take
 * from the visibility index, reading on past expired and redriven entries within a budget; FIFO
 * queues take from the groups whose head is visible ({@link FifoGroups}), each in send order.
 * Thread-safe.
 */
final class Receiver {

    private static final int MAX_WAIT_SECONDS = 20;

    /**
     * How many visibility index entries one standard receive reads at most, looking past expired
     * and redriven messages for visible ones; the next receive carries on where the removals left
     * off.
     */
    private static final int STANDARD_SCAN_BUDGET = 1_000;
    private static final int STANDARD_PAGE = 32;

    private static final int MAX_VISIBILITY_TIMEOUT = 43_200;
    private static final List<String> SYSTEM_ATTRIBUTES = List.of("SenderId", "SentTimestamp", "ApproximateReceiveCount",
            "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader",
            "DeadLetterQueueSourceArn");

    private final QueueOperations queues;
    private final MessageStore messages;
    private final QueueWaiters waiters;
    private final Clock clock;

    Receiver(QueueOperations queues, MessageStore messages, QueueWaiters waiters, Clock clock) {
        this.queues = requireNonNull(queues, "queues is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.waiters = requireNonNull(waiters, "waiters is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    ReceiveMessageResponse receiveMessage(RequestContext context, ReceiveMessageRequest request) {
        int max = request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages();
        if (max < 1 || max > Batches.MAX_ENTRIES) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", max);
        }
        if (request.waitTimeSeconds() != null && (request.waitTimeSeconds() < 0 || request.waitTimeSeconds() > MAX_WAIT_SECONDS)) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", request.waitTimeSeconds());
        }
        if (request.visibilityTimeout() != null && (request.visibilityTimeout() < 0 || request.visibilityTimeout() > MAX_VISIBILITY_TIMEOUT)) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.", request.visibilityTimeout());
        }
        if (request.receiveRequestAttemptId() != null && request.receiveRequestAttemptId().length() > 128) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %s for parameter ReceiveRequestAttemptId is invalid. Reason: 1 to 128 in length.", request.receiveRequestAttemptId());
        }
        // Checked before anything is taken: a receive that fails after its commit would hide messages.
        checkNames(request.attributeNames(), "AttributeNames");
        checkNames(request.messageSystemAttributeNames(), "MessageSystemAttributeNames");
        checkNames(request.messageAttributeNames(), "MessageAttributeNames");
        Queue queue = queues.require(context, request.queueUrl(), "ReceiveMessage");
        int waitSeconds = request.waitTimeSeconds() == null ? queue.receiveMessageWaitTimeSeconds() : request.waitTimeSeconds();
        int visibility = request.visibilityTimeout() == null ? queue.visibilityTimeout() : request.visibilityTimeout();
        long deadline = clock.millis() + waitSeconds * 1000L;
        Set<String> attributeNames = attributeNames(request);
        while (true) {
            long version = waiters.version(queue.address());
            long now = clock.millis();
            Taken taken = receiveOnce(queue, max, visibility, now, request.receiveRequestAttemptId());
            List<QueuedMessage> received = taken.messages();
            if (!received.isEmpty() || now >= deadline) {
                List<Message> result = new ArrayList<>();
                for (QueuedMessage message : received) {
                    result.add(toMessage(queue, message, attributeNames, request.messageAttributeNames()));
                }
                return new ReceiveMessageResponse(result);
            }
            if (taken.budgetSpent()) {
                // Expired or redriven messages filled the budget; visible ones may lie further on.
                continue;
            }
            long wakeAt = Math.min(deadline, messages.nextVisibleAt(queue.address(), now));
            try {
                waiters.await(queue.address(), version, QueueWaiters.toNanos(Math.max(1, wakeAt - now)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ReceiveMessageResponse(List.of());
            }
            // The queue may have been deleted or changed while this receive waited.
            queue = queues.require(context, request.queueUrl(), "ReceiveMessage");
        }
    }

    private Taken receiveOnce(Queue queue, int max, int visibility, long now, String attemptId) {
        RedrivePolicy redrive = queue.redrivePolicy();
        QueueAddress deadLetter = redrive == null ? null : deadLetterAddress(redrive);
        Taken received = messages.store().transaction(txn -> {
            Take take = new Take(txn, queue, redrive, deadLetter, max, visibility, now);
            if (queue.fifo()) {
                List<QueuedMessage> replayed = attemptId == null ? null : ReceiveAttempts.replay(txn, queue.address(), attemptId, now, visibility);
                if (replayed != null) {
                    return new Taken(replayed, false);
                }
                boolean budgetSpent = takeFifo(take);
                if (attemptId != null && !take.taken.isEmpty()) {
                    ReceiveAttempts.record(txn, queue.address(), attemptId, take.taken, now);
                }
                return new Taken(take.taken, budgetSpent);
            }
            MessageStore.IndexEntry after = null;
            int budget = STANDARD_SCAN_BUDGET;
            while (!take.full() && budget > 0) {
                List<MessageStore.IndexEntry> page = MessageStore.visibleEntries(txn, queue.address(), now, after, Math.min(STANDARD_PAGE, budget));
                for (MessageStore.IndexEntry entry : page) {
                    if (take.full()) {
                        break;
                    }
                    QueuedMessage message = MessageStore.get(txn, queue.address(), entry.sequence());
                    if (message == null || message.visibleAt() != entry.visibleAt()) {
                        // An index entry without its message: drop it, so every look makes progress.
                        MessageStore.removeIndexEntry(txn, queue.address(), entry);
                    } else if (take.offered.add(entry.sequence())) {
                        // (A message received with visibility 0 is indexed again ahead of the cursor: take it once.)
                        take.offer(message);
                    }
                }
                budget -= page.size();
                if (page.size() < STANDARD_PAGE) {
                    return new Taken(take.taken, false);
                }
                after = page.getLast();
            }
            return new Taken(take.taken, budget <= 0);
        });
        if (deadLetter != null) {
            waiters.notify(deadLetter);
        }
        return received;
    }

    /**
     * What one receive took, and whether it stopped at its scan budget with index entries left
     * unread (after removing expired or redriven ones), so another look may find more at once.
     */
    private record Taken(List<QueuedMessage> messages, boolean budgetSpent) {}

    /**
     * What one receive transaction takes: visible messages, hidden for the visibility timeout;
     * expired ones removed; ones past {@code maxReceiveCount} moved to the dead-letter queue. Used
     * by one transaction body, on one thread.
     */
    private final class Take {
        final Transaction txn;
        final Queue queue;
        final RedrivePolicy redrive;
        final QueueAddress deadLetter;
        final int max;
        final int visibility;
        final long now;
        final List<QueuedMessage> taken = new ArrayList<>();
        final Set<String> skippedGroups = new HashSet<>();
        final Set<Long> offered = new HashSet<>();
        Queue deadLetterQueue;
        boolean deadLetterRead;

        Take(Transaction txn, Queue queue, RedrivePolicy redrive, QueueAddress deadLetter, int max, int visibility, long now) {
            this.txn = txn;
            this.queue = queue;
            this.redrive = redrive;
            this.deadLetter = deadLetter;
            this.max = max;
            this.visibility = visibility;
            this.now = now;
        }

        boolean full() {
            return taken.size() == max;
        }

        void offer(QueuedMessage message) {
            if (queue.fifo() && message.groupId() != null && skippedGroups.contains(message.groupId())) {
                return;
            }
            if (!queue.holds(message, now)) {
                MessageStore.remove(txn, queue.address(), message);
                return;
            }
            if (redrive != null && message.receiveCount() >= redrive.maxReceiveCount() && deadLetterQueue() != null) {
                Queue target = deadLetterQueue();
                MessageStore.remove(txn, queue.address(), message);
                long sequence = target.fifo()
                        ? MessageStore.nextSequence(txn, target.address(), now)
                        : messages.nextStandardSequence(target.address(), now);
                MessageStore.put(txn, target.address(), message.movedTo(sequence, now, queue.address().arn().toString()));
                if (queue.fifo()) {
                    // Later messages of the group must wait behind the moved one, as AWS keeps group order.
                    skippedGroups.add(message.groupId());
                }
                return;
            }
            QueuedMessage receivedMessage = message.received(now, now + visibility * 1000L, Ids.requestId());
            MessageStore.update(txn, queue.address(), message, receivedMessage);
            taken.add(receivedMessage);
        }

        /**
         * The dead-letter queue, read inside the transaction so that a redrive conflicts with a
         * DeleteQueue of it; null when it no longer exists, and then the message stays here.
         */
        private Queue deadLetterQueue() {
            if (!deadLetterRead) {
                deadLetterQueue = QueueStore.read(txn, deadLetter);
                deadLetterRead = true;
            }
            return deadLetterQueue;
        }
    }

    /**
     * Takes from a FIFO queue: from each group whose head is visible, its messages in send order up
     * to the first one not visible. Reads the visible heads and the messages it looks at, never the
     * whole queue; returns whether it stopped at its budget with heads left unread.
     */
    private static boolean takeFifo(Take take) {
        Set<String> visited = new HashSet<>();
        FifoGroups.Head after = null;
        int budget = STANDARD_SCAN_BUDGET;
        while (!take.full() && budget > 0) {
            List<FifoGroups.Head> page = FifoGroups.visibleHeads(take.txn, take.queue.address(), take.now, after, STANDARD_PAGE);
            for (FifoGroups.Head head : page) {
                if (take.full() || budget <= 0) {
                    break;
                }
                budget -= 1 + (visited.add(head.group()) ? takeGroup(take, head) : 0);
            }
            if (page.size() < STANDARD_PAGE) {
                return false;
            }
            after = page.getLast();
        }
        return budget <= 0 && !take.full();
    }

    /** Takes a group's messages from its head on, until one is not visible; returns how many it looked at. */
    private static int takeGroup(Take take, FifoGroups.Head head) {
        QueueAddress address = take.queue.address();
        long from = head.sequence();
        int looked = 0;
        while (!take.full()) {
            List<Long> sequences = FifoGroups.members(take.txn, address, head.group(), from, Batches.MAX_ENTRIES);
            for (long sequence : sequences) {
                if (take.full()) {
                    return looked;
                }
                looked++;
                QueuedMessage message = MessageStore.get(take.txn, address, sequence);
                if (message == null) {
                    continue;
                }
                if (message.visibleAt() > take.now && take.queue.holds(message, take.now)) {
                    return looked;
                }
                take.offer(message);
                if (take.skippedGroups.contains(head.group())) {
                    // Moved to the dead-letter queue: the rest of the group waits behind it.
                    return looked;
                }
            }
            if (sequences.size() < Batches.MAX_ENTRIES) {
                return looked;
            }
            from = sequences.getLast() + 1;
        }
        return looked;
    }

    private static QueueAddress deadLetterAddress(RedrivePolicy redrive) {
        Arn target = redrive.target();
        return new QueueAddress(target.accountId(), target.region(), target.resource());
    }

    private static void checkNames(List<String> names, String parameter) {
        if (names != null && names.stream().anyMatch(Objects::isNull)) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value null for parameter %s is invalid. Reason: null is not a name.", parameter);
        }
    }

    private static Set<String> attributeNames(ReceiveMessageRequest request) {
        Set<String> names = new HashSet<>();
        if (request.attributeNames() != null) {
            names.addAll(request.attributeNames());
        }
        if (request.messageSystemAttributeNames() != null) {
            names.addAll(request.messageSystemAttributeNames());
        }
        if (names.contains("All")) {
            names.addAll(SYSTEM_ATTRIBUTES);
        }
        return names;
    }

    private static Message toMessage(Queue queue, QueuedMessage message, Set<String> names, List<String> attributeFilter) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : SYSTEM_ATTRIBUTES) {
            if (!names.contains(name)) {
                continue;
            }
            String value = switch (name) {
                case "SenderId" -> message.senderId();
                case "SentTimestamp" -> Long.toString(message.sentAt());
                case "ApproximateReceiveCount" -> Integer.toString(message.receiveCount());
                case "ApproximateFirstReceiveTimestamp" -> Long.toString(message.firstReceivedAt());
                case "SequenceNumber" -> queue.fifo() ? MessageOperations.sequenceNumber(message.sequence()) : null;
                case "MessageDeduplicationId" -> queue.fifo() ? message.deduplicationId() : null;
                case "MessageGroupId" -> message.groupId();
                case "AWSTraceHeader" -> message.systemAttributes().containsKey("AWSTraceHeader")
                        ? message.systemAttributes().get("AWSTraceHeader").stringValue() : null;
                case "DeadLetterQueueSourceArn" -> message.deadLetterSourceArn();
                default -> null;
            };
            if (value != null) {
                attributes.put(name, value);
            }
        }
        Map<String, MessageAttributeValue> selected = selectAttributes(message.attributes(), attributeFilter);
        ReceiptHandle handle = new ReceiptHandle(queue.address(), message.sequence(), message.receipt());
        return new Message(message.messageId(), handle.encode(), message.md5OfBody(), message.body(),
                attributes.isEmpty() ? null : attributes, MessageContents.md5OfAttributes(selected), selected.isEmpty() ? null : selected);
    }

    /**
     * The message attributes a receive asked for: {@code All} or {@code .*} for every one, a name,
     * or a prefix ending in {@code .*}. The MD5 the receiver gets covers exactly these.
     */
    static Map<String, MessageAttributeValue> selectAttributes(Map<String, MessageAttributeValue> attributes, List<String> filter) {
        Map<String, MessageAttributeValue> selected = new TreeMap<>();
        if (filter == null || filter.isEmpty() || attributes.isEmpty()) {
            return selected;
        }
        for (Map.Entry<String, MessageAttributeValue> entry : attributes.entrySet()) {
            String name = entry.getKey();
            for (String wanted : filter) {
                boolean match = wanted.equals("All") || wanted.equals(".*") || wanted.equals(name)
                        || (wanted.endsWith(".*") && name.startsWith(wanted.substring(0, wanted.length() - 1)));
                if (match) {
                    selected.put(name, entry.getValue());
                    break;
                }
            }
        }
        return selected;
    }
}
