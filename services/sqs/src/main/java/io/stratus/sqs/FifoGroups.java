package io.stratus.sqs;

import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The message groups of FIFO queues, kept so that a receive reads only the groups that can
 * deliver, never the whole queue. A group delivers exactly when its head (its oldest message) is
 * visible, so three keyspaces suffice:
 * <ul>
 *   <li>{@link #MEMBERS} {@code (account, region, queue, group, sequence)}: a group's messages in
 *       send order;
 *   <li>{@link #GROUPS} {@code (account, region, queue, group)}: the group's head and size; every
 *       change to a group reads and writes this key, so two transactions that change one group
 *       conflict (a scan alone would not detect the other's insert);
 *   <li>{@link #HEADS} {@code (account, region, queue, headVisibleAt, headSequence)}: the group
 *       name; the heads visible at {@code now} are a range scan.
 * </ul>
 * Kept by {@link MessageStore}'s put, update and remove, in the same transaction as the message.
 */
final class FifoGroups {

    static final String MEMBERS = "sqs.fifo.members";
    static final String GROUPS = "sqs.fifo.groups";
    static final String HEADS = "sqs.fifo.heads";

    private static final byte[] EMPTY = new byte[0];
    private static final int BACKFILL_BATCH = 1_000;

    /** A group's head and how many messages it holds. */
    record Group(long headSequence, long headVisibleAt, long size) {}

    /** A group whose head is visible: its name and its head's sequence. */
    record Head(long visibleAt, long sequence, String group) {}

    private FifoGroups() {}

    static void added(Transaction txn, QueueAddress queue, QueuedMessage message) {
        String group = groupOf(message);
        txn.put(MEMBERS, memberKey(queue, group, message.sequence()), EMPTY);
        Group state = read(txn, queue, group);
        if (state == null) {
            writeHead(txn, queue, group, new Group(message.sequence(), message.visibleAt(), 1));
        } else if (message.sequence() < state.headSequence()) {
            txn.delete(HEADS, headKey(queue, state.headVisibleAt(), state.headSequence()));
            writeHead(txn, queue, group, new Group(message.sequence(), message.visibleAt(), state.size() + 1));
        } else {
            write(txn, queue, group, new Group(state.headSequence(), state.headVisibleAt(), state.size() + 1));
        }
    }

    static void changed(Transaction txn, QueueAddress queue, QueuedMessage before, QueuedMessage after) {
        String group = groupOf(after);
        Group state = read(txn, queue, group);
        if (state != null && state.headSequence() == after.sequence() && before.visibleAt() != after.visibleAt()) {
            txn.delete(HEADS, headKey(queue, state.headVisibleAt(), state.headSequence()));
            writeHead(txn, queue, group, new Group(state.headSequence(), after.visibleAt(), state.size()));
        }
    }

    static void removed(Transaction txn, QueueAddress queue, QueuedMessage message) {
        String group = groupOf(message);
        txn.delete(MEMBERS, memberKey(queue, group, message.sequence()));
        Group state = read(txn, queue, group);
        if (state == null) {
            return;
        }
        if (state.size() <= 1) {
            txn.delete(HEADS, headKey(queue, state.headVisibleAt(), state.headSequence()));
            txn.delete(GROUPS, groupKey(queue, group));
            return;
        }
        if (state.headSequence() != message.sequence()) {
            write(txn, queue, group, new Group(state.headSequence(), state.headVisibleAt(), state.size() - 1));
            return;
        }
        txn.delete(HEADS, headKey(queue, state.headVisibleAt(), state.headSequence()));
        List<Long> next = members(txn, queue, group, message.sequence() + 1, 1);
        QueuedMessage head = next.isEmpty() ? null : MessageStore.get(txn, queue, next.getFirst());
        if (head == null) {
            // The size said there was more; the keys say there is not. Trust the keys.
            txn.delete(GROUPS, groupKey(queue, group));
            return;
        }
        writeHead(txn, queue, group, new Group(head.sequence(), head.visibleAt(), state.size() - 1));
    }

    /** The heads visible at {@code now}, in visibility order, after {@code after} (or from the first), at most {@code limit}. */
    static List<Head> visibleHeads(StoreReader reader, QueueAddress queue, long now, Head after, int limit) {
        byte[] start = after == null ? queuePrefix(queue) : headKey(queue, after.visibleAt(), after.sequence() + 1);
        byte[] end = Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(now + 1).build();
        List<Head> heads = new ArrayList<>();
        if (Key.ORDER.compare(start, end) >= 0) {
            return heads;
        }
        try (Scan scan = reader.scan(HEADS, new KeyRange(start, end))) {
            while (scan.hasNext() && heads.size() < limit) {
                var entry = scan.next();
                List<Object> parts = Key.decode(entry.key());
                heads.add(new Head((Long) parts.get(3), (Long) parts.get(4), new String(entry.value(), StandardCharsets.UTF_8)));
            }
        }
        return heads;
    }

    /** The sequences of a group's messages from {@code fromSequence} on, in send order, at most {@code limit}. */
    static List<Long> members(StoreReader reader, QueueAddress queue, String group, long fromSequence, int limit) {
        byte[] start = memberKey(queue, group, fromSequence);
        byte[] end = Key.prefixEnd(Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(group).build());
        List<Long> sequences = new ArrayList<>();
        try (Scan scan = reader.scan(MEMBERS, new KeyRange(start, end))) {
            while (scan.hasNext() && sequences.size() < limit) {
                sequences.add((Long) Key.decode(scan.next().key()).get(4));
            }
        }
        return sequences;
    }

    private static boolean missing(StoreReader reader, QueueAddress queue, QueuedMessage oldest) {
        return reader.get(MEMBERS, memberKey(queue, groupOf(oldest), oldest.sequence())) == null;
    }

    /**
     * Builds the group keys of a FIFO queue stored before they were kept, in send order and in
     * batches; does nothing when the queue has them.
     */
    static void backfill(Store store, QueueAddress queue) {
        List<QueuedMessage> oldest = MessageStore.between(store, queue, 0, Long.MAX_VALUE - 1, 1);
        if (oldest.isEmpty() || !missing(store, queue, oldest.getFirst())) {
            return;
        }
        long from = 0;
        while (from >= 0) {
            long start = from;
            from = store.transaction(txn -> {
                List<QueuedMessage> batch = MessageStore.between(txn, queue, start, Long.MAX_VALUE - 1, BACKFILL_BATCH);
                batch.forEach(message -> added(txn, queue, message));
                return batch.size() < BACKFILL_BATCH ? -1 : batch.getLast().sequence() + 1;
            });
        }
    }

    static String groupOf(QueuedMessage message) {
        return message.groupId() == null ? "" : message.groupId();
    }

    static List<String> keyspaces() {
        return List.of(MEMBERS, GROUPS, HEADS);
    }

    private static Group read(StoreReader reader, QueueAddress queue, String group) {
        byte[] value = reader.get(GROUPS, groupKey(queue, group));
        return value == null ? null : QueueStore.decode(value, Group.class);
    }

    private static void write(Transaction txn, QueueAddress queue, String group, Group state) {
        txn.put(GROUPS, groupKey(queue, group), QueueStore.encode(state));
    }

    private static void writeHead(Transaction txn, QueueAddress queue, String group, Group state) {
        write(txn, queue, group, state);
        txn.put(HEADS, headKey(queue, state.headVisibleAt(), state.headSequence()), group.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] queuePrefix(QueueAddress queue) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).build();
    }

    private static byte[] memberKey(QueueAddress queue, String group, long sequence) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(group).add(sequence).build();
    }

    private static byte[] groupKey(QueueAddress queue, String group) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(group).build();
    }

    private static byte[] headKey(QueueAddress queue, long visibleAt, long sequence) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(visibleAt).add(sequence).build();
    }
}
