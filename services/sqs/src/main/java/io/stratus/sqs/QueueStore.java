package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.storage.DecodedRecords;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queue metadata in the store: one key per queue, {@code (account, region, name)}, so listing a
 * prefix is a range scan; and a tombstone per recently deleted name, for AWS's 60-second rule.
 * Thread-safe: the store is, and so are the decoded queue records kept here ({@link DecodedRecords}).
 */
final class QueueStore {

    static final String QUEUES = "sqs.queues";
    static final String TOMBSTONES = "sqs.deleted";
    /** How long a deleted queue's name may not be used again. */
    static final long NAME_REUSE_MILLIS = 60_000;

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Store store;
    private final DecodedRecords<QueueAddress, Queue> decoded = new DecodedRecords<>(65_536, bytes -> decode(bytes, Queue.class));

    QueueStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    /**
     * The queue at {@code address}, as stored now. Every request reads its queue's record, so the
     * decoded value is kept beside the bytes it came from and reused while the record's bytes are
     * unchanged: a byte comparison instead of a JSON decode.
     */
    Optional<Queue> get(QueueAddress address) {
        return Optional.ofNullable(decoded.decode(address, store.get(QUEUES, key(address))));
    }

    static Queue read(StoreReader reader, QueueAddress address) {
        byte[] value = reader.get(QUEUES, key(address));
        return value == null ? null : decode(value, Queue.class);
    }

    static void write(Transaction txn, Queue queue) {
        txn.put(QUEUES, key(queue.address()), encode(queue));
    }

    static void remove(Transaction txn, QueueAddress address, long now) {
        txn.delete(QUEUES, key(address));
        txn.put(TOMBSTONES, key(address), ByteBuffer.allocate(Long.BYTES).putLong(now).array());
    }

    /** When the queue of this name was last deleted, epoch millis, or 0. */
    static long deletedAt(StoreReader reader, QueueAddress address) {
        byte[] value = reader.get(TOMBSTONES, key(address));
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /** The queues of one account and region whose names start with {@code prefix}, in name order, after {@code after}. */
    List<Queue> list(String account, String region, String prefix, String after, int limit) {
        Key.Builder builder = Key.builder().add(account).add(region);
        KeyRange range = KeyRange.prefix(builder.buildPrefix(prefix == null ? "" : prefix));
        List<Queue> queues = new ArrayList<>();
        if (after != null) {
            // A token names the last queue of the previous page; one outside the prefix's range
            // (a client's own, or one from another prefix) starts at the range's start or ends the list.
            byte[] afterKey = Key.builder().add(account).add(region).add(after).add(0L).build();
            byte[] start = Key.ORDER.compare(afterKey, range.start()) > 0 ? afterKey : range.start();
            if (range.end() != null && Key.ORDER.compare(start, range.end()) >= 0) {
                return queues;
            }
            range = new KeyRange(start, range.end());
        }
        try (Scan scan = store.scan(QUEUES, range)) {
            while (scan.hasNext() && queues.size() < limit) {
                Entry entry = scan.next();
                queues.add(decode(entry.value(), Queue.class));
            }
        }
        return queues;
    }

    /** A deleted queue's name, and when it was deleted. */
    record Tombstone(QueueAddress address, long deletedAt) {}

    /** The tombstones of deleted queues; for the retention sweep. */
    List<Tombstone> tombstones() {
        List<Tombstone> tombstones = new ArrayList<>();
        try (Scan scan = store.scan(TOMBSTONES, KeyRange.all())) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                List<Object> parts = Key.decode(entry.key());
                tombstones.add(new Tombstone(new QueueAddress((String) parts.get(0), (String) parts.get(1), (String) parts.get(2)),
                        ByteBuffer.wrap(entry.value()).getLong()));
            }
        }
        return tombstones;
    }

    /** Deletes a tombstone unless the name was deleted again since. */
    static void forget(Store store, Tombstone tombstone) {
        store.transaction(txn -> {
            if (deletedAt(txn, tombstone.address()) == tombstone.deletedAt()) {
                txn.delete(TOMBSTONES, key(tombstone.address()));
            }
            return null;
        });
    }

    /** Every queue of every account and region; for background workers. */
    List<Queue> all() {
        List<Queue> queues = new ArrayList<>();
        try (Scan scan = store.scan(QUEUES, KeyRange.all())) {
            while (scan.hasNext()) {
                queues.add(decode(scan.next().value(), Queue.class));
            }
        }
        return queues;
    }

    static byte[] key(QueueAddress address) {
        return Key.builder().add(address.account()).add(address.region()).add(address.name()).build();
    }

    static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
