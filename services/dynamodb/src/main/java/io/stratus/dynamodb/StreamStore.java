package io.stratus.dynamodb;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.AwsException;
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
import java.util.function.Consumer;

/**
 * Streams in the store: one key per stream, {@code (account, region, table, label)}; one key per
 * record, {@code (account, region, table, label, sequence)}; and one counter per stream holding the
 * last sequence assigned. A write appends its record in the item's own transaction, reading and
 * bumping the counter there, so records commit in sequence order and a reader never sees a gap a
 * later commit fills — at the price of every writer of one table contending on that counter
 * (which the store's retries resolve). Every sequence from 1 to the counter had a record, so a
 * missing one was trimmed. Stateless; thread-safe.
 */
final class StreamStore {

    static final String STREAMS = "dynamodb.streams";
    static final String RECORDS = "dynamodb.stream-records";
    static final String SEQUENCES = "dynamodb.stream-sequences";

    /** Sequence numbers are 21 digits, {@code 1} and the 20-digit counter, so they sort as strings and as numbers. */
    private static final String SEQUENCE_PREFIX = "1";

    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private StreamStore() {}

    /** A record with its sequence. */
    record Sequenced(long sequence, StreamRecords.Stored record) {}

    static byte[] key(String account, String region, String tableName, String label) {
        return Key.builder().add(account).add(region).add(tableName).add(label).build();
    }

    static byte[] key(Stream stream) {
        return key(stream.account(), stream.region(), stream.tableName(), stream.label());
    }

    static Stream read(StoreReader reader, Stream.Address address) {
        byte[] value = reader.get(STREAMS, key(address.account(), address.region(), address.tableName(), address.label()));
        return value == null ? null : decode(value, Stream.class);
    }

    static Stream read(StoreReader reader, String account, String region, String tableName, String label) {
        return read(reader, new Stream.Address(region, account, tableName, label));
    }

    static void write(Transaction txn, Stream stream) {
        txn.put(STREAMS, key(stream), encode(stream));
    }

    /**
     * Writes a new enabled stream of {@code table}, labelled by {@code nowMillis} or, when a stream
     * of a table of that name already has that label, the next free millisecond.
     */
    static Stream create(Transaction txn, Table table, String viewType, long nowMillis) {
        Stream stream = Stream.create(table, viewType, nowMillis);
        while (txn.get(STREAMS, key(stream)) != null) {
            stream = Stream.create(table, viewType, stream.createdMillis() + 1);
        }
        write(txn, stream);
        return stream;
    }

    /** Disables the table's latest stream, if it is enabled; inside the transaction that disables it or deletes the table. */
    static void disableLatest(Transaction txn, Table table, long nowMillis) {
        if (table.latestStreamLabel() == null) {
            return;
        }
        Stream stream = read(txn, table.account(), table.region(), table.name(), table.latestStreamLabel());
        if (stream != null && stream.enabled()) {
            write(txn, stream.disabled(nowMillis));
        }
    }

    /** Appends a record to the table's latest stream, in the item's transaction, and returns its sequence. */
    static long append(Transaction txn, Table table, StreamRecords.Stored record) {
        byte[] streamKey = key(table.account(), table.region(), table.name(), table.latestStreamLabel());
        byte[] counter = txn.get(SEQUENCES, streamKey);
        long sequence = (counter == null ? 0 : ByteBuffer.wrap(counter).getLong()) + 1;
        txn.put(SEQUENCES, streamKey, ByteBuffer.allocate(Long.BYTES).putLong(sequence).array());
        txn.put(RECORDS, recordKey(table.account(), table.region(), table.name(), table.latestStreamLabel(), sequence), encode(record));
        return sequence;
    }

    /** The last sequence assigned in a stream, 0 when none was. */
    static long lastSequence(StoreReader reader, Stream stream) {
        byte[] counter = reader.get(SEQUENCES, key(stream));
        return counter == null ? 0 : ByteBuffer.wrap(counter).getLong();
    }

    /** Whether the record with this sequence is still there (it was trimmed if not, when sequence ≤ the last one). */
    static boolean exists(StoreReader reader, Stream stream, long sequence) {
        return reader.get(RECORDS, recordKey(stream, sequence)) != null;
    }

    /** The first retained sequence, or 0 when no record is retained. */
    static long firstSequence(StoreReader reader, Stream stream) {
        try (Scan scan = reader.scan(RECORDS, KeyRange.prefix(key(stream)))) {
            return scan.hasNext() ? sequenceOf(scan.next().key()) : 0;
        }
    }

    /**
     * Up to {@code limit} records from sequence {@code from} on, stopping before {@code maxBytes}
     * of records (but returning at least one).
     */
    static List<Sequenced> records(StoreReader reader, Stream stream, long from, int limit, long maxBytes) {
        byte[] streamKey = key(stream);
        List<Sequenced> records = new ArrayList<>();
        long bytes = 0;
        try (Scan scan = reader.scan(RECORDS, new KeyRange(recordKey(stream, from), Key.prefixEnd(streamKey)))) {
            while (scan.hasNext() && records.size() < limit) {
                Entry entry = scan.next();
                StreamRecords.Stored record = decode(entry.value(), StreamRecords.Stored.class);
                if (!records.isEmpty() && bytes + record.sizeBytes() > maxBytes) {
                    break;
                }
                bytes += record.sizeBytes();
                records.add(new Sequenced(sequenceOf(entry.key()), record));
            }
        }
        return records;
    }

    /** Streams of one account and region in key order (table name, then label), after {@code after} when not null, optionally of one table. */
    static List<Stream> list(StoreReader reader, String account, String region, String tableName, Stream.Address after, int limit) {
        byte[] prefix = tableName == null ? Key.builder().add(account).add(region).build() : Key.builder().add(account).add(region).add(tableName).build();
        KeyRange range = KeyRange.prefix(prefix);
        if (after != null) {
            byte[] start = Key.prefixEnd(key(account, region, after.tableName(), after.label()));
            if (Key.ORDER.compare(start, range.end()) >= 0) {
                return List.of();
            }
            if (Key.ORDER.compare(start, prefix) > 0) {
                range = new KeyRange(start, range.end());
            }
        }
        List<Stream> streams = new ArrayList<>();
        try (Scan scan = reader.scan(STREAMS, range)) {
            while (scan.hasNext() && streams.size() < limit) {
                streams.add(decode(scan.next().value(), Stream.class));
            }
        }
        return streams;
    }

    /** Calls {@code action} with every stream of every account, for background work. */
    static void forEach(Store store, Consumer<Stream> action) {
        try (Scan scan = store.scan(STREAMS, KeyRange.all())) {
            while (scan.hasNext()) {
                action.accept(decode(scan.next().value(), Stream.class));
            }
        }
    }

    static byte[] recordKey(Stream stream, long sequence) {
        return recordKey(stream.account(), stream.region(), stream.tableName(), stream.label(), sequence);
    }

    private static byte[] recordKey(String account, String region, String tableName, String label, long sequence) {
        return Key.builder().add(account).add(region).add(tableName).add(label).add(sequence).build();
    }

    static long sequenceOf(byte[] recordKey) {
        return (Long) Key.decode(recordKey).getLast();
    }

    /** The 21-digit sequence number AWS clients see. */
    static String sequenceNumber(long sequence) {
        return SEQUENCE_PREFIX + "%020d".formatted(sequence);
    }

    /** The sequence a sequence number stands for, or ValidationException when it is not one of ours. */
    static long parseSequenceNumber(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.length() != 21 || !sequenceNumber.startsWith(SEQUENCE_PREFIX)
                || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw DynamoDbErrors.validation("Invalid SequenceNumber: %s", sequenceNumber);
        }
        long sequence = Long.parseLong(sequenceNumber.substring(1));
        if (sequence < 1) {
            throw DynamoDbErrors.validation("Invalid SequenceNumber: %s", sequenceNumber);
        }
        return sequence;
    }

    static AwsException trimmed() {
        return AwsException.of(DynamoDbErrors.TRIMMED_DATA_ACCESS, "The data you are trying to access has been trimmed");
    }

    static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a stream value", e);
        }
    }

    static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored stream value", e);
        }
    }
}
