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
 * Where log groups, streams and events live: one key per group, per stream and per event. An
 * event's key is (account, region, group, incarnation, stream, timestamp, sequence), so a stream's
 * events are a range scan in time order. Thread-safe.
 */
final class LogStore {

    static final String GROUPS = "logs.groups";
    static final String STREAMS = "logs.streams";
    static final String EVENTS = "logs.events";
    /** Keys deleted per transaction when a group or stream goes away. */
    private static final int DELETE_CHUNK = 1_000;

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

    static byte[] eventKey(String account, String region, LogGroup group, String stream, long timestamp, long sequence) {
        return Key.builder().add(account).add(region).add(group.name()).add(group.incarnation()).add(stream)
                .add(timestamp).add(sequence).build();
    }

    /** The first key of the events at or after {@code timestamp} (sequence numbers are never negative). */
    static byte[] eventBound(String account, String region, LogGroup group, String stream, long timestamp) {
        return Key.builder().add(account).add(region).add(group.name()).add(group.incarnation()).add(stream).add(timestamp).build();
    }

    /**
     * Stores an event under its stream's {@link #eventsPrefix} (which a batch encodes once).
     *
     * @return the message's size in UTF-8 bytes
     */
    static int putEvent(Transaction txn, byte[] streamPrefix, long timestamp, long sequence, long ingestionTime, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        byte[] value = ByteBuffer.allocate(Long.BYTES + bytes.length).putLong(ingestionTime).put(bytes).array();
        // A key's elements encode one after the other: the prefix's elements, then these two.
        byte[] suffix = Key.builder().add(timestamp).add(sequence).build();
        byte[] key = java.util.Arrays.copyOf(streamPrefix, streamPrefix.length + suffix.length);
        System.arraycopy(suffix, 0, key, streamPrefix.length, suffix.length);
        txn.put(EVENTS, key, value);
        return bytes.length;
    }

    /** Reads an event back from its scan entry. */
    static StoredEvent event(String stream, Entry entry) {
        List<Object> parts = Key.decode(entry.key());
        long timestamp = (Long) parts.get(parts.size() - 2);
        long sequence = (Long) parts.get(parts.size() - 1);
        ByteBuffer value = ByteBuffer.wrap(entry.value());
        long ingestionTime = value.getLong();
        String message = new String(entry.value(), Long.BYTES, entry.value().length - Long.BYTES, StandardCharsets.UTF_8);
        return new StoredEvent(stream, timestamp, sequence, ingestionTime, message);
    }

    Scan events(KeyRange range, boolean reverse) {
        return store.scan(EVENTS, range, reverse);
    }

    /** Deletes every key of {@code keyspace} in {@code range}, a chunk per transaction. */
    void deleteRange(String keyspace, KeyRange range) {
        while (true) {
            List<byte[]> keys = new ArrayList<>(DELETE_CHUNK);
            try (Scan scan = store.scan(keyspace, range)) {
                while (scan.hasNext() && keys.size() < DELETE_CHUNK) {
                    keys.add(scan.next().key());
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

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + value, e);
        }
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt " + type.getSimpleName() + " record", e);
        }
    }
}
