package io.stratus.logs;

import io.stratus.logs.LogStore.Chunk;
import io.stratus.logs.LogStore.StoredEvent;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * One stream's events between two times, in (timestamp, sequence) order or the reverse, read from
 * its chunks. Chunks come in the order of their first events; as a chunk spans at most
 * {@link LogStore#CHUNK_SPAN_MILLIS}, the cursor reads that much before the start, and opens a chunk
 * before it hands out an event the chunk could precede (chunks of batches written out of time order
 * overlap). Not thread-safe; close it when stopping early.
 */
final class EventCursor implements AutoCloseable {

    static final Comparator<StoredEvent> ORDER = Comparator.comparingLong(StoredEvent::timestamp).thenComparingLong(StoredEvent::sequence);

    private final Scan scan;
    private final String stream;
    private final int prefixLength;
    private final boolean forward;
    private final long from;
    private final long to;
    private final StoredEvent position;
    /** Opened chunks' events not handed out yet, the next one first. */
    private final PriorityQueue<StoredEvent> pending;
    /** The scan's next chunk, not opened yet. */
    private Chunk next;

    /**
     * @param from the first timestamp included
     * @param to the first timestamp excluded ({@code Long.MAX_VALUE}: none)
     * @param position an event (only its timestamp and sequence count) this cursor starts after, in
     *        its direction, or null
     */
    EventCursor(LogStore logs, byte[] prefix, String stream, long from, long to, StoredEvent position, boolean forward) {
        this.stream = stream;
        this.prefixLength = prefix.length;
        this.forward = forward;
        this.from = from;
        this.to = to;
        this.position = position;
        this.pending = new PriorityQueue<>(forward ? ORDER : ORDER.reversed());
        long start = from;
        if (position != null && forward) {
            start = Math.max(start, position.timestamp());
        }
        byte[] lower = LogStore.eventBoundAfter(prefix, saturatedMinus(start, LogStore.CHUNK_SPAN_MILLIS));
        byte[] upper = to == Long.MAX_VALUE ? Key.prefixEnd(prefix) : LogStore.eventBoundAfter(prefix, to);
        if (position != null && !forward) {
            // Chunks that start at or after the position hold nothing before it.
            byte[] at = LogStore.eventKey(prefix, position.timestamp(), position.sequence());
            upper = Key.ORDER.compare(at, upper) < 0 ? at : upper;
        }
        this.scan = Key.ORDER.compare(lower, upper) < 0 ? logs.events(new KeyRange(lower, upper), !forward) : null;
    }

    private static long saturatedMinus(long value, long minus) {
        return value < Long.MIN_VALUE + minus ? Long.MIN_VALUE : value - minus;
    }

    /** The next event, or null when there is none. */
    StoredEvent next() {
        while (true) {
            if (next == null) {
                if (scan == null || !scan.hasNext()) {
                    return pending.poll();
                }
                Entry entry = scan.next();
                next = new Chunk(entry.key(), entry.value(), prefixLength);
            }
            StoredEvent head = pending.peek();
            if (head != null && !mayPrecede(next, head)) {
                return pending.poll();
            }
            for (StoredEvent event : next.events(stream)) {
                if (wanted(event)) {
                    pending.add(event);
                }
            }
            next = null;
        }
    }

    /** Whether {@code chunk}, or a chunk after it in scan order, may hold an event that comes before {@code head}. */
    private boolean mayPrecede(Chunk chunk, StoredEvent head) {
        if (forward) {
            // Later chunks start later still, and no event of a chunk comes before its first.
            return chunk.firstTimestamp() < head.timestamp()
                    || chunk.firstTimestamp() == head.timestamp() && chunk.firstSequence() <= head.sequence();
        }
        // Later chunks start earlier, so they end at most a span after this one's start.
        return chunk.firstTimestamp() + LogStore.CHUNK_SPAN_MILLIS >= head.timestamp();
    }

    private boolean wanted(StoredEvent event) {
        if (event.timestamp() < from || event.timestamp() >= to) {
            return false;
        }
        if (position == null) {
            return true;
        }
        int order = ORDER.compare(event, position);
        return forward ? order > 0 : order < 0;
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
        }
    }
}
