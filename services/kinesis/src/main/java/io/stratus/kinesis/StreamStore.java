package io.stratus.kinesis;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Kinesis in the store: one key per stream {@code (account, region, name)}; one key per record
 * {@code (account, region, name, created, shard, sequence)}, so a shard's records are one range
 * in arrival order and an incarnation's records one prefix; one counter per shard holding the last
 * sequence assigned, read and bumped in the transaction that appends, so records commit in
 * sequence order; and one mark per deleted incarnation whose records are still to be purged.
 * Stateless; thread-safe.
 */
final class StreamStore {

    static final String STREAMS = "kinesis.streams";
    static final String RECORDS = "kinesis.records";
    static final String SEQUENCES = "kinesis.sequences";
    static final String DELETED = "kinesis.deleted";

    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private StreamStore() {}

    /** A record as kept: what was put, and when it arrived. */
    record StoredRecord(String partitionKey, byte[] data, long arrivalMillis) {}

    /** A record with its sequence in its shard. */
    record Sequenced(long sequence, StoredRecord record) {}

    static byte[] streamKey(String account, String region, String name) {
        return Key.builder().add(account).add(region).add(name).build();
    }

    static DataStream read(StoreReader reader, String account, String region, String name) {
        byte[] value = reader.get(STREAMS, streamKey(account, region, name));
        return value == null ? null : decode(value, DataStream.class);
    }

    static void write(Transaction txn, DataStream stream) {
        txn.put(STREAMS, streamKey(stream.account(), stream.region(), stream.name()), encode(stream));
    }

    /** Deletes the stream and marks its records for the purge. */
    static void delete(Transaction txn, DataStream stream) {
        txn.delete(STREAMS, streamKey(stream.account(), stream.region(), stream.name()));
        txn.put(DELETED, incarnation(stream), new byte[0]);
    }

    /** Every stream of an account in a region, by name, from {@code after} (exclusive, or null) on. */
    static List<DataStream> list(StoreReader reader, String account, String region, String after, int limit) {
        byte[] prefix = Key.builder().add(account).add(region).build();
        byte[] start = after == null ? prefix : Key.prefixEnd(streamKey(account, region, after));
        List<DataStream> streams = new ArrayList<>();
        try (Scan scan = reader.scan(STREAMS, new KeyRange(start, Key.prefixEnd(prefix)))) {
            while (scan.hasNext() && streams.size() < limit) {
                streams.add(decode(scan.next().value(), DataStream.class));
            }
        }
        return streams;
    }

    /** Every stream of every account (the trimmer's walk). */
    static List<DataStream> all(StoreReader reader) {
        List<DataStream> streams = new ArrayList<>();
        try (Scan scan = reader.scan(STREAMS, KeyRange.all())) {
            while (scan.hasNext()) {
                streams.add(decode(scan.next().value(), DataStream.class));
            }
        }
        return streams;
    }

    static int count(StoreReader reader, String account, String region) {
        int count = 0;
        try (Scan scan = reader.scan(STREAMS, KeyRange.prefix(Key.builder().add(account).add(region).build()))) {
            while (scan.hasNext()) {
                scan.next();
                count++;
            }
        }
        return count;
    }

    /** Appends a record to a shard in the caller's transaction; returns its sequence. */
    static long append(Transaction txn, DataStream stream, int shard, StoredRecord record) {
        byte[] counterKey = shardKey(stream, shard);
        long sequence = lastSequence(txn, stream, shard) + 1;
        txn.put(SEQUENCES, counterKey, ByteBuffer.allocate(Long.BYTES).putLong(sequence).array());
        txn.put(RECORDS, recordKey(stream, shard, sequence), encode(record));
        return sequence;
    }

    /** The last sequence assigned in a shard, 0 when none was. */
    static long lastSequence(StoreReader reader, DataStream stream, int shard) {
        byte[] counter = reader.get(SEQUENCES, shardKey(stream, shard));
        return counter == null ? 0 : ByteBuffer.wrap(counter).getLong();
    }

    /** Up to {@code limit} records of a shard from sequence {@code from} on, stopping before {@code maxBytes} of data. */
    static List<Sequenced> read(StoreReader reader, DataStream stream, int shard, long from, int limit, long maxBytes) {
        List<Sequenced> records = new ArrayList<>();
        long bytes = 0;
        try (Scan scan = reader.scan(RECORDS, new KeyRange(recordKey(stream, shard, from), Key.prefixEnd(shardKey(stream, shard))))) {
            while (scan.hasNext() && records.size() < limit) {
                Entry entry = scan.next();
                StoredRecord record = decode(entry.value(), StoredRecord.class);
                bytes += record.data().length + record.partitionKey().length();
                if (!records.isEmpty() && bytes > maxBytes) {
                    break;
                }
                records.add(new Sequenced(sequenceOf(entry.key()), record));
            }
        }
        return records;
    }

    /** Deletes up to {@code limit} of the oldest records of a shard that arrived before {@code beforeMillis}; how many. */
    static int trim(Transaction txn, DataStream stream, int shard, long beforeMillis, int limit) {
        int deleted = 0;
        try (Scan scan = txn.scan(RECORDS, KeyRange.prefix(shardKey(stream, shard)))) {
            while (scan.hasNext() && deleted < limit) {
                Entry entry = scan.next();
                if (decode(entry.value(), StoredRecord.class).arrivalMillis() >= beforeMillis) {
                    break;
                }
                txn.delete(RECORDS, entry.key());
                deleted++;
            }
        }
        return deleted;
    }

    /** The marks of deleted incarnations whose records are still there. */
    static List<byte[]> deletedIncarnations(StoreReader reader) {
        List<byte[]> marks = new ArrayList<>();
        try (Scan scan = reader.scan(DELETED, KeyRange.all())) {
            while (scan.hasNext()) {
                marks.add(scan.next().key());
            }
        }
        return marks;
    }

    /** Deletes up to {@code limit} records and counters of a deleted incarnation, and its mark once none is left; whether it is done. */
    static boolean purge(Transaction txn, byte[] incarnation, int limit) {
        int deleted = 0;
        for (String keyspace : List.of(RECORDS, SEQUENCES)) {
            try (Scan scan = txn.scan(keyspace, KeyRange.prefix(incarnation))) {
                while (scan.hasNext() && deleted < limit) {
                    txn.delete(keyspace, scan.next().key());
                    deleted++;
                }
            }
        }
        if (deleted < limit) {
            txn.delete(DELETED, incarnation);
            return true;
        }
        return false;
    }

    private static byte[] incarnation(DataStream stream) {
        return Key.builder().add(stream.account()).add(stream.region()).add(stream.name()).add(stream.createdMillis()).build();
    }

    private static byte[] shardKey(DataStream stream, int shard) {
        return Key.builder().add(stream.account()).add(stream.region()).add(stream.name()).add(stream.createdMillis()).add(shard).build();
    }

    private static byte[] recordKey(DataStream stream, int shard, long sequence) {
        return Key.builder().add(stream.account()).add(stream.region()).add(stream.name()).add(stream.createdMillis()).add(shard)
                .add(sequence).build();
    }

    private static long sequenceOf(byte[] recordKey) {
        List<Object> parts = Key.decode(recordKey);
        return ((Number) parts.getLast()).longValue();
    }

    private static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
