package io.stratus.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where log groups, streams and events live: one key per group and per stream, and one per chunk
 * of a stream's events (a batch written together, up to {@link #CHUNK_EVENTS} events spanning at
 * most {@link #CHUNK_SPAN_MILLIS}). A chunk's key is (account, region, group, incarnation, stream,
 * timestamp, sequence, count) of its first event, so a stream's chunks are a range scan in the
 * order of their first events; chunks of batches written out of time order may overlap, which
 * {@link EventCursor} merges. Thread-safe.
 */
final class LogStore {

    static final String GROUPS = "logs.groups";
    static final String STREAMS = "logs.streams";
    static final String EVENTS = "logs.events";
    /** Keys deleted per transaction when a group or stream goes away. */
    private static final int DELETE_CHUNK = 1_000;
    /** The most events one key holds. */
    static final int CHUNK_EVENTS = 1_000;
    /** The most message bytes one key holds (unless one message alone is larger). */
    static final int CHUNK_BYTES = 128 * 1024;
    /** The most milliseconds between the first and the last event of one key: how far before a time a read must look. */
    static final long CHUNK_SPAN_MILLIS = 1_000;
    private static final byte LONG_TAG = 0x03;
    private static final int LONG_BYTES = 1 + Long.BYTES;

    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A stored event. */
    record StoredEvent(String stream, long timestamp, long sequence, long ingestionTime, String message) {}

    private final Store store;

    LogStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    // Groups

    static byte[] groupKey(String account, String region, String group) {
        return Key.builder().add(account).add(region).add(group).build();
    }

    static byte[] groupsPrefix(String account, String region) {
        return Key.builder().add(account).add(region).build();
    }

    static Optional<LogGroup> group(StoreReader reader, String account, String region, String name) {
        byte[] value = reader.get(GROUPS, groupKey(account, region, name));
        return value == null ? Optional.empty() : Optional.of(read(value, LogGroup.class));
    }

    static LogGroup requireGroup(StoreReader reader, String account, String region, String name) {
        return group(reader, account, region, name).orElseThrow(LogsErrors::groupNotFound);
    }

    static void putGroup(Transaction txn, String account, String region, LogGroup group) {
        txn.put(GROUPS, groupKey(account, region, group.name()), write(group));
    }

    /** Groups whose name starts with {@code prefix}, from the first name after {@code after}. */
    List<LogGroup> groups(String account, String region, String prefix, String after, int limit) {
        List<LogGroup> groups = new ArrayList<>();
        byte[] start = Key.builder().add(account).add(region).buildPrefix(prefix == null ? "" : prefix);
        KeyRange range = KeyRange.prefix(start);
        if (after != null) {
            byte[] afterKey = Key.builder().add(account).add(region).add(after).build();
            byte[] next = java.util.Arrays.copyOf(afterKey, afterKey.length + 1);
            if (Key.ORDER.compare(next, start) > 0) {
                range = new KeyRange(next, range.end());
            }
        }
        if (range.end() != null && range.start() != null && Key.ORDER.compare(range.start(), range.end()) >= 0) {
            return groups;
        }
        try (Scan scan = store.scan(GROUPS, range)) {
            while (scan.hasNext() && groups.size() < limit) {
                groups.add(read(scan.next().value(), LogGroup.class));
            }
        }
        return groups;
    }

    /** Every group of every account and region, by (account, region, name). */
    Map<List<Object>, LogGroup> allGroups() {
        Map<List<Object>, LogGroup> groups = new HashMap<>();
        try (Scan scan = store.scan(GROUPS, KeyRange.all())) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                groups.put(Key.decode(entry.key()), read(entry.value(), LogGroup.class));
            }
        }
        return groups;
    }

    // Streams

    static byte[] streamsPrefix(String account, String region, LogGroup group) {
        return Key.builder().add(account).add(region).add(group.name()).add(group.incarnation()).build();
    }

    static byte[] streamKey(String account, String region, LogGroup group, String stream) {
        return Key.builder().add(account).add(region).add(group.name()).add(group.incarnation()).add(stream).build();
    }

    static Optional<LogStream> stream(StoreReader reader, String account, String region, LogGroup group, String name) {
        byte[] value = reader.get(STREAMS, streamKey(account, region, group, name));
        return value == null ? Optional.empty() : Optional.of(read(value, LogStream.class));
    }

    static void putStream(Transaction txn, String account, String region, LogGroup group, LogStream stream) {
        txn.put(STREAMS, streamKey(account, region, group, stream.name()), write(stream));
    }

    /** All of a group's streams whose name starts with {@code prefix}, in name order. */
    List<LogStream> streams(String account, String region, LogGroup group, String prefix) {
        List<LogStream> streams = new ArrayList<>();
        byte[] start = Key.builder().add(account).add(region).add(group.name()).add(group.incarnation())
                .buildPrefix(prefix == null ? "" : prefix);
        try (Scan scan = store.scan(STREAMS, KeyRange.prefix(start))) {
            while (scan.hasNext()) {
                streams.add(read(scan.next().value(), LogStream.class));
            }
        }
        return streams;
    }

    // Events

    static byte[] eventsPrefix(String account, String region, LogGroup group, String stream) {
        return Key.builder().add(account).add(region).add(group.name()).add(group.incarnation()).add(stream).build();
    }

    /** The position of the event (timestamp, sequence) among a stream's keys: after every chunk that starts before it. */
    static byte[] eventKey(byte[] prefix, long timestamp, long sequence) {
        byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + 2 * LONG_BYTES);
        writeLong(key, prefix.length, timestamp);
        writeLong(key, prefix.length + LONG_BYTES, sequence);
        return key;
    }

    /**
     * Stores a batch of a stream's events (in time order, with the consecutive sequence numbers from
     * {@code firstSequence}) under its {@link #eventsPrefix} (which a batch encodes once): as few
     * chunks as {@link #CHUNK_EVENTS}, {@link #CHUNK_BYTES} and {@link #CHUNK_SPAN_MILLIS} allow, one
     * key each.
     *
     * @return the messages' size in UTF-8 bytes
     */
    static long putEvents(Transaction txn, byte[] streamPrefix, List<LogsModel.InputLogEvent> events, long firstSequence, long ingestionTime) {
        long total = 0;
        int start = 0;
        while (start < events.size()) {
            long firstTimestamp = events.get(start).timestamp();
            List<byte[]> messages = new ArrayList<>();
            int bytes = 0;
            int end = start;
            while (end < events.size() && end - start < CHUNK_EVENTS && events.get(end).timestamp() - firstTimestamp <= CHUNK_SPAN_MILLIS) {
                byte[] message = events.get(end).message().getBytes(StandardCharsets.UTF_8);
                if (end > start && bytes + message.length > CHUNK_BYTES) {
                    break;
                }
                messages.add(message);
                bytes += message.length;
                end++;
            }
            ByteBuffer value = ByteBuffer.allocate(2 * Long.BYTES + messages.size() * (Long.BYTES + Integer.BYTES) + bytes);
            value.putLong(ingestionTime).putLong(events.get(end - 1).timestamp());
            for (int i = 0; i < messages.size(); i++) {
                value.putLong(events.get(start + i).timestamp()).putInt(messages.get(i).length).put(messages.get(i));
            }
            txn.put(EVENTS, chunkKey(streamPrefix, firstTimestamp, firstSequence + start, messages.size()), value.array());
            total += bytes;
            start = end;
        }
        return total;
    }

    /** A chunk's key: its stream's prefix, then its first event's timestamp and sequence number, then how many events it holds. */
    private static byte[] chunkKey(byte[] streamPrefix, long timestamp, long sequence, int count) {
        byte[] key = java.util.Arrays.copyOf(streamPrefix, streamPrefix.length + 3 * LONG_BYTES);
        writeLong(key, streamPrefix.length, timestamp);
        writeLong(key, streamPrefix.length + LONG_BYTES, sequence);
        writeLong(key, streamPrefix.length + 2 * LONG_BYTES, count);
        return key;
    }

    /** A long as {@link Key} encodes it: a tag, then eight bytes big-endian with the sign bit flipped. */
    private static void writeLong(byte[] key, int offset, long value) {
        key[offset] = LONG_TAG;
        long flipped = value ^ Long.MIN_VALUE;
        for (int i = 0; i < Long.BYTES; i++) {
            key[offset + 1 + i] = (byte) (flipped >>> (56 - 8 * i));
        }
    }

    private static long readLong(byte[] key, int offset) {
        long flipped = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            flipped = (flipped << 8) | (key[offset + 1 + i] & 0xFF);
        }
        return flipped ^ Long.MIN_VALUE;
    }

    /**
     * A stored chunk of a stream's events, as its scan entry holds it: under a key of its first
     * event's (timestamp, sequence) and its count. A key of only (timestamp, sequence) is one event
     * as versions before chunks stored it (value: ingestion time, message).
     */
    record Chunk(byte[] key, byte[] value, int prefixLength) {

        long firstTimestamp() {
            return readLong(key, prefixLength);
        }

        long firstSequence() {
            return readLong(key, prefixLength + LONG_BYTES);
        }

        private boolean single() {
            return key.length - prefixLength == 2 * LONG_BYTES;
        }

        /** The newest event's timestamp. */
        long lastTimestamp() {
            return single() ? firstTimestamp() : ByteBuffer.wrap(value).getLong(Long.BYTES);
        }

        /** The UTF-8 size of its messages, as a stream's {@code storedBytes} counts them. */
        long messageBytes() {
            return events("").stream().mapToLong(event -> event.message().getBytes(StandardCharsets.UTF_8).length).sum();
        }

        /** Its events, in (timestamp, sequence) order. */
        List<StoredEvent> events(String stream) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            long ingestionTime = buffer.getLong();
            long sequence = firstSequence();
            if (single()) {
                String message = new String(value, Long.BYTES, value.length - Long.BYTES, StandardCharsets.UTF_8);
                return List.of(new StoredEvent(stream, firstTimestamp(), sequence, ingestionTime, message));
            }
            int count = (int) readLong(key, prefixLength + 2 * LONG_BYTES);
            buffer.getLong(); // the last timestamp
            List<StoredEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long timestamp = buffer.getLong();
                int length = buffer.getInt();
                events.add(new StoredEvent(stream, timestamp, sequence + i, ingestionTime,
                        new String(value, buffer.position(), length, StandardCharsets.UTF_8)));
                buffer.position(buffer.position() + length);
            }
            return events;
        }
    }

    Scan events(KeyRange range, boolean reverse) {
        return store.scan(EVENTS, range, reverse);
    }

    /** Deletes every key of {@code keyspace} in {@code range}, a chunk per transaction. */
    void deleteRange(String keyspace, KeyRange range) {
        deleteRange(keyspace, range, entry -> true);
    }

    /**
     * Deletes the chunks of a stream whose every event is older than {@code cutoff}, and takes
     * their messages' size off the stream's {@code storedBytes} in the same transaction.
     */
    void deleteEventsBefore(String account, String region, LogGroup group, String stream, long cutoff) {
        byte[] prefix = eventsPrefix(account, region, group, stream);
        // A chunk that starts before the cutoff may hold newer events: it stays until they expire too.
        KeyRange range = new KeyRange(prefix, eventBoundAfter(prefix, cutoff));
        while (true) {
            List<byte[]> keys = new ArrayList<>(DELETE_CHUNK);
            long bytes = 0;
            try (Scan scan = store.scan(EVENTS, range)) {
                while (scan.hasNext() && keys.size() < DELETE_CHUNK) {
                    Entry entry = scan.next();
                    Chunk chunk = new Chunk(entry.key(), entry.value(), prefix.length);
                    if (chunk.lastTimestamp() < cutoff) {
                        keys.add(entry.key());
                        bytes += chunk.messageBytes();
                    }
                }
            }
            if (keys.isEmpty()) {
                return;
            }
            long freed = bytes;
            store.transaction(txn -> {
                keys.forEach(key -> txn.delete(EVENTS, key));
                stream(txn, account, region, group, stream).ifPresent(current -> putStream(txn, account, region, group, current.withoutBytes(freed)));
                return null;
            });
        }
    }

    /** The first key of a stream's chunks that start at or after {@code timestamp}. */
    static byte[] eventBoundAfter(byte[] prefix, long timestamp) {
        byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + LONG_BYTES);
        writeLong(key, prefix.length, timestamp);
        return key;
    }

    private void deleteRange(String keyspace, KeyRange range, java.util.function.Predicate<Entry> doomed) {
        while (true) {
            List<byte[]> keys = new ArrayList<>(DELETE_CHUNK);
            try (Scan scan = store.scan(keyspace, range)) {
                while (scan.hasNext() && keys.size() < DELETE_CHUNK) {
                    Entry entry = scan.next();
                    if (doomed.test(entry)) {
                        keys.add(entry.key());
                    }
                }
            }
            if (keys.isEmpty()) {
                return;
            }
            store.transaction(txn -> {
                keys.forEach(key -> txn.delete(keyspace, key));
                return null;
            });
        }
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + value, e);
        }
    }

    static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt " + type.getSimpleName() + " record", e);
        }
    }
}
