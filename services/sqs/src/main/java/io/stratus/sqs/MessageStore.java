package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Messages in the store, one key per message: {@code (account, region, queue, sequence)} holds the
 * message, and a visibility index {@code (account, region, queue, visibleAt, sequence)} makes
 * "the next visible messages" of a standard queue a range scan. FIFO deduplication ids and each
 * queue's last sequence number have keys of their own. Every change is one transaction that writes
 * only the keys it changes.
 *
 * <p>Thread-safe. All state is in the store but the sequence counters of standard queues, which
 * are atomic and only need to be unique: a standard queue promises no order, and taking its numbers
 * in the store would make every pair of concurrent sends to it conflict.
 */
final class MessageStore {

    static final String MESSAGES = "sqs.messages";
    static final String VISIBILITY = "sqs.visibility";
    static final String DEDUPLICATION = "sqs.dedup";
    static final String SEQUENCES = "sqs.sequences";

    private static final byte[] EMPTY = new byte[0];
    private static final int REMOVAL_BATCH = 1_000;

    private final Store store;
    private final ConcurrentHashMap<QueueAddress, AtomicLong> standardSequences = new ConcurrentHashMap<>();

    MessageStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /**
     * Takes the next sequence number of a queue inside {@code txn}: above the last one taken (kept
     * under the queue's key in {@link #SEQUENCES}) and above every message the queue holds, and at
     * least the clock in microseconds, so numbers keep growing across restarts and recreations.
     * The transaction reads and writes the counter key, so two transactions that take numbers from
     * one queue conflict and the retry takes a fresh one: numbers are committed in increasing order.
     */
    static long nextSequence(Transaction txn, QueueAddress queue, long nowMillis) {
        byte[] key = queuePrefix(queue);
        byte[] value = txn.get(SEQUENCES, key);
        long last = value == null ? highestSequence(txn, queue) : ByteBuffer.wrap(value).getLong();
        long next = Math.max(last + 1, nowMillis * 1000);
        txn.put(SEQUENCES, key, ByteBuffer.allocate(Long.BYTES).putLong(next).array());
        return next;
    }

    /**
     * The next sequence number of a standard queue, taken outside any transaction: above every
     * message it held when this node first sent to it, and at least the clock in microseconds.
     */
    long nextStandardSequence(QueueAddress queue, long nowMillis) {
        AtomicLong counter = standardSequences.computeIfAbsent(queue, q -> new AtomicLong(highestSequence(store, q)));
        return counter.updateAndGet(previous -> Math.max(previous + 1, nowMillis * 1000));
    }

    private static long highestSequence(StoreReader reader, QueueAddress queue) {
        try (Scan scan = reader.scan(MESSAGES, KeyRange.prefix(queuePrefix(queue)), true)) {
            return scan.hasNext() ? sequenceOf(scan.next().key()) : 0;
        }
    }

    static void put(Transaction txn, QueueAddress queue, QueuedMessage message) {
        txn.put(MESSAGES, messageKey(queue, message.sequence()), QueueStore.encode(message));
        txn.put(VISIBILITY, visibilityKey(queue, message.visibleAt(), message.sequence()), EMPTY);
        if (queue.fifo()) {
            FifoGroups.added(txn, queue, message);
        }
    }

    /** Stores a changed message, moving its visibility index entry when its visibility changed. */
    static void update(Transaction txn, QueueAddress queue, QueuedMessage before, QueuedMessage after) {
        txn.put(MESSAGES, messageKey(queue, after.sequence()), QueueStore.encode(after));
        if (before.visibleAt() != after.visibleAt()) {
            txn.delete(VISIBILITY, visibilityKey(queue, before.visibleAt(), before.sequence()));
            txn.put(VISIBILITY, visibilityKey(queue, after.visibleAt(), after.sequence()), EMPTY);
            if (queue.fifo()) {
                FifoGroups.changed(txn, queue, before, after);
            }
        }
    }

    static void removeIndexEntry(Transaction txn, QueueAddress queue, IndexEntry entry) {
        txn.delete(VISIBILITY, visibilityKey(queue, entry.visibleAt(), entry.sequence()));
    }

    static void remove(Transaction txn, QueueAddress queue, QueuedMessage message) {
        txn.delete(MESSAGES, messageKey(queue, message.sequence()));
        txn.delete(VISIBILITY, visibilityKey(queue, message.visibleAt(), message.sequence()));
        if (queue.fifo()) {
            FifoGroups.removed(txn, queue, message);
        }
    }

    static QueuedMessage get(StoreReader reader, QueueAddress queue, long sequence) {
        byte[] value = reader.get(MESSAGES, messageKey(queue, sequence));
        return value == null ? null : QueueStore.decode(value, QueuedMessage.class);
    }

    /** One entry of the visibility index: a message's sequence and when it becomes visible. */
    record IndexEntry(long visibleAt, long sequence) {}

    /**
     * The index entries of the messages visible at {@code now}, in visibility then send order,
     * starting after {@code after} (or at the first when null), at most {@code limit}.
     */
    static List<IndexEntry> visibleEntries(StoreReader reader, QueueAddress queue, long now, IndexEntry after, int limit) {
        byte[] start = after == null ? queuePrefix(queue) : visibilityKey(queue, after.visibleAt(), after.sequence() + 1);
        byte[] end = Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(now + 1).build();
        List<IndexEntry> entries = new ArrayList<>();
        if (Key.ORDER.compare(start, end) >= 0) {
            return entries;
        }
        try (Scan scan = reader.scan(VISIBILITY, new KeyRange(start, end))) {
            while (scan.hasNext() && entries.size() < limit) {
                List<Object> parts = Key.decode(scan.next().key());
                entries.add(new IndexEntry((Long) parts.get(3), (Long) parts.get(4)));
            }
        }
        return entries;
    }

    /** When the next message of a standard queue becomes visible after {@code now}, or {@code Long.MAX_VALUE}. */
    long nextVisibleAt(QueueAddress queue, long now) {
        byte[] start = Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(now + 1).build();
        try (Scan scan = store.scan(VISIBILITY, new KeyRange(start, Key.prefixEnd(queuePrefix(queue))))) {
            return scan.hasNext() ? (Long) Key.decode(scan.next().key()).get(3) : Long.MAX_VALUE;
        }
    }

    /** The messages of a queue with sequences in {@code [from, to]}, in send order, at most {@code limit}. */
    static List<QueuedMessage> between(StoreReader reader, QueueAddress queue, long from, long to, int limit) {
        List<QueuedMessage> messages = new ArrayList<>();
        if (from > to) {
            return messages;
        }
        try (Scan scan = reader.scan(MESSAGES, new KeyRange(messageKey(queue, from), messageKey(queue, to + 1)))) {
            while (scan.hasNext() && messages.size() < limit) {
                messages.add(QueueStore.decode(scan.next().value(), QueuedMessage.class));
            }
        }
        return messages;
    }

    /** The newest sequence a queue holds, or 0 when it is empty. */
    static long newestSequence(StoreReader reader, QueueAddress queue) {
        return highestSequence(reader, queue);
    }

    /**
     * Removes everything of a deleted queue but its record: its messages, their indexes, its
     * deduplication records, receive attempts and sequence counter.
     */
    static void removeAll(Transaction txn, QueueAddress queue) {
        txn.delete(SEQUENCES, queuePrefix(queue));
        for (String keyspace : queueKeyspaces()) {
            List<byte[]> keys = new ArrayList<>();
            try (Scan scan = txn.scan(keyspace, KeyRange.prefix(queuePrefix(queue)))) {
                while (scan.hasNext()) {
                    Entry entry = scan.next();
                    keys.add(entry.key());
                }
            }
            keys.forEach(key -> txn.delete(keyspace, key));
        }
    }

    /** The keyspaces that hold a queue's messages and everything else of it but its counter. */
    private static List<String> queueKeyspaces() {
        List<String> keyspaces = new ArrayList<>(List.of(MESSAGES, VISIBILITY, DEDUPLICATION, ReceiveAttempts.ATTEMPTS));
        keyspaces.addAll(FifoGroups.keyspaces());
        return keyspaces;
    }

    /**
     * Removes what {@link #removeAll(Transaction, QueueAddress)} does, in transactions of at most
     * {@link #REMOVAL_BATCH} keys, so that a queue of any length never needs one transaction of
     * its size.
     */
    static void removeAll(Store store, QueueAddress queue) {
        store.transaction(txn -> {
            txn.delete(SEQUENCES, queuePrefix(queue));
            return null;
        });
        for (String keyspace : queueKeyspaces()) {
            int removed;
            do {
                removed = store.transaction(txn -> {
                    List<byte[]> keys = new ArrayList<>();
                    try (Scan scan = txn.scan(keyspace, KeyRange.prefix(queuePrefix(queue)))) {
                        while (scan.hasNext() && keys.size() < REMOVAL_BATCH) {
                            keys.add(scan.next().key());
                        }
                    }
                    keys.forEach(key -> txn.delete(keyspace, key));
                    return keys.size();
                });
            } while (removed == REMOVAL_BATCH);
        }
    }

    /**
     * Removes the messages of a queue with a sequence below {@code end} (exclusive) in batches;
     * returns how many.
     */
    static long removeBelow(Store store, QueueAddress queue, long end) {
        byte[] start = queuePrefix(queue);
        byte[] stop = messageKey(queue, end);
        long total = 0;
        int removed;
        do {
            removed = store.transaction(txn -> {
                List<QueuedMessage> batch = new ArrayList<>();
                try (Scan scan = txn.scan(MESSAGES, new KeyRange(start, stop))) {
                    while (scan.hasNext() && batch.size() < REMOVAL_BATCH) {
                        batch.add(QueueStore.decode(scan.next().value(), QueuedMessage.class));
                    }
                }
                batch.forEach(message -> remove(txn, queue, message));
                return batch.size();
            });
            total += removed;
        } while (removed == REMOVAL_BATCH);
        return total;
    }

    /** Calls {@code action} with every visibility index entry of a queue, in index order. */
    static void forEachIndexEntry(StoreReader reader, QueueAddress queue, Consumer<IndexEntry> action) {
        try (Scan scan = reader.scan(VISIBILITY, KeyRange.prefix(queuePrefix(queue)))) {
            while (scan.hasNext()) {
                List<Object> parts = Key.decode(scan.next().key());
                action.accept(new IndexEntry((Long) parts.get(3), (Long) parts.get(4)));
            }
        }
    }

    /** The last sequence number a FIFO queue gave out, read (and so locked) inside {@code txn}. */
    static long lastSequence(Transaction txn, QueueAddress queue) {
        byte[] value = txn.get(SEQUENCES, queuePrefix(queue));
        return value == null ? highestSequence(txn, queue) : ByteBuffer.wrap(value).getLong();
    }

    /** A deduplication record: the message a deduplication id stood for, and until when. */
    record Deduplication(String messageId, long sequence, long expiresAt) {}

    static Deduplication deduplication(StoreReader reader, QueueAddress queue, String scope, String id) {
        byte[] value = reader.get(DEDUPLICATION, deduplicationKey(queue, scope, id));
        return value == null ? null : QueueStore.decode(value, Deduplication.class);
    }

    static void putDeduplication(Transaction txn, QueueAddress queue, String scope, String id, Deduplication record) {
        txn.put(DEDUPLICATION, deduplicationKey(queue, scope, id), QueueStore.encode(record));
    }

    private static byte[] deduplicationKey(QueueAddress queue, String scope, String id) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(scope).add(id).build();
    }

    private static byte[] queuePrefix(QueueAddress queue) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).build();
    }

    private static byte[] messageKey(QueueAddress queue, long sequence) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(sequence).build();
    }

    private static byte[] visibilityKey(QueueAddress queue, long visibleAt, long sequence) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(visibleAt).add(sequence).build();
    }

    private static long sequenceOf(byte[] messageKey) {
        return (Long) Key.decode(messageKey).get(3);
    }

    Store store() {
        return store;
    }
}
