package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.kinesis.KinesisModel.GetRecordsRequest;
import io.stratus.kinesis.KinesisModel.GetRecordsResponse;
import io.stratus.kinesis.KinesisModel.GetShardIteratorRequest;
import io.stratus.kinesis.KinesisModel.GetShardIteratorResponse;
import io.stratus.kinesis.KinesisModel.PutRecordRequest;
import io.stratus.kinesis.KinesisModel.PutRecordResponse;
import io.stratus.kinesis.KinesisModel.PutRecordsRequest;
import io.stratus.kinesis.KinesisModel.PutRecordsRequestEntry;
import io.stratus.kinesis.KinesisModel.PutRecordsResponse;
import io.stratus.kinesis.KinesisModel.PutRecordsResultEntry;
import io.stratus.kinesis.StreamStore.Sequenced;
import io.stratus.kinesis.StreamStore.StoredRecord;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Records in and out: PutRecord and PutRecords hash each partition key (MD5, as Kinesis does) or
 * take its explicit hash key to find its shard and append it there, durably, before answering;
 * GetShardIterator and GetRecords read a shard in order. Records past the stream's retention are
 * never returned (and later trimmed). Thread-safe.
 */
final class RecordOperations {

    /** A record's data and partition key together, at most (1 MiB). */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final int MAX_PUT_RECORDS = 500;
    private static final long MAX_PUT_RECORDS_BYTES = 5L * 1024 * 1024;
    private static final long MAX_GET_RECORDS_BYTES = 10L * 1024 * 1024;
    private static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final Pattern HASH_KEY = Pattern.compile("0|([1-9]\\d{0,38})");
    private static final List<String> ITERATOR_TYPES = List.of("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP");

    private final Store store;
    private final Clock clock;

    RecordOperations(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    PutRecordResponse putRecord(RequestContext context, PutRecordRequest request) {
        String[] address = StreamOperations.address(context, request.streamName(), request.streamARN());
        checkRecord(request.data(), request.partitionKey(), request.explicitHashKey(), "");
        return append(address, request.partitionKey(), request.explicitHashKey(), request.data());
    }

    /** A record another service puts (an EventBridge target, a log subscription), checked as PutRecord checks it. */
    void put(String[] address, String partitionKey, byte[] data) {
        checkRecord(data, partitionKey, null, "");
        append(address, partitionKey, null, data);
    }

    private PutRecordResponse append(String[] address, String partitionKey, String explicitHashKey, byte[] data) {
        long now = clock.millis();
        return store.transaction(txn -> {
            DataStream stream = StreamOperations.require(txn, address);
            int shard = stream.shardFor(hashKey(partitionKey, explicitHashKey));
            long sequence = StreamStore.append(txn, stream, shard, new StoredRecord(partitionKey, data, now));
            return new PutRecordResponse(DataStream.shardId(shard), Sequences.format(sequence), "NONE");
        });
    }

    PutRecordsResponse putRecords(RequestContext context, PutRecordsRequest request) {
        String[] address = StreamOperations.address(context, request.streamName(), request.streamARN());
        List<PutRecordsRequestEntry> entries = request.records() == null ? List.of() : request.records();
        if (entries.isEmpty() || entries.size() > MAX_PUT_RECORDS) {
            throw KinesisErrors.validation(entries.size(), "records", "Member must have length " + (entries.isEmpty()
                    ? "greater than or equal to 1" : "less than or equal to " + MAX_PUT_RECORDS));
        }
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            PutRecordsRequestEntry entry = entries.get(i);
            if (entry == null) {
                throw KinesisErrors.validation(null, "records." + (i + 1) + ".member", "Member must not be null");
            }
            checkRecord(entry.data(), entry.partitionKey(), entry.explicitHashKey(), "records." + (i + 1) + ".member.");
            total += entry.data().length + entry.partitionKey().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_PUT_RECORDS_BYTES) {
            throw KinesisErrors.invalidArgument("Records size exceeds 5 MB limit");
        }
        long now = clock.millis();
        return store.transaction(txn -> {
            DataStream stream = StreamOperations.require(txn, address);
            List<PutRecordsResultEntry> results = new ArrayList<>();
            for (PutRecordsRequestEntry entry : entries) {
                int shard = stream.shardFor(hashKey(entry.partitionKey(), entry.explicitHashKey()));
                long sequence = StreamStore.append(txn, stream, shard, new StoredRecord(entry.partitionKey(), entry.data(), now));
                results.add(new PutRecordsResultEntry(Sequences.format(sequence), DataStream.shardId(shard), null, null));
            }
            return new PutRecordsResponse(0, results, "NONE");
        });
    }

    GetShardIteratorResponse getShardIterator(RequestContext context, GetShardIteratorRequest request) {
        String[] address = StreamOperations.address(context, request.streamName(), request.streamARN());
        if (request.shardId() == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'shardId' failed to satisfy constraint: Member must not be null");
        }
        String type = request.shardIteratorType();
        if (type == null || !ITERATOR_TYPES.contains(type)) {
            throw KinesisErrors.validation(type, "shardIteratorType",
                    "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
        }
        DataStream stream = StreamOperations.require(store, address);
        int shard = stream.shardIndex(request.shardId());
        if (shard < 0) {
            throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Shard %s in stream %s under account %s does not exist", request.shardId(),
                    stream.name(), stream.account());
        }
        long next = switch (type) {
            case "TRIM_HORIZON" -> 1;
            case "LATEST" -> StreamStore.lastSequence(store, stream, shard) + 1;
            case "AT_TIMESTAMP" -> firstAtOrAfter(store, stream, shard, timestamp(request.timestamp()));
            default -> {
                long sequence = Sequences.parse(request.startingSequenceNumber());
                if (sequence < 0) {
                    throw KinesisErrors.invalidArgument("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s "
                            + "is invalid.", request.startingSequenceNumber(), request.shardId(), stream.name(), stream.account());
                }
                yield type.equals("AT_SEQUENCE_NUMBER") ? sequence : sequence + 1;
            }
        };
        return new GetShardIteratorResponse(ShardIterators.encode(stream, shard, next, clock.millis()));
    }

    GetRecordsResponse getRecords(RequestContext context, GetRecordsRequest request) {
        int limit = StreamOperations.bounded(request.limit(), 10_000, 1, 10_000, "limit");
        long now = clock.millis();
        ShardIterators.Iterator iterator = ShardIterators.decode(request.shardIterator(), now);
        DataStream stream = StreamStore.read(store, iterator.account(), iterator.region(), iterator.streamName());
        if (stream == null || stream.createdMillis() != iterator.streamCreatedMillis() || iterator.shard() >= stream.shardCount()) {
            throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Shard %s in stream %s under account %s does not exist",
                    DataStream.shardId(iterator.shard()), iterator.streamName(), iterator.account());
        }
        long retainedSince = now - Duration.ofHours(stream.retentionHours()).toMillis();
        long from = iterator.next();
        List<KinesisModel.Record> records = new ArrayList<>();
        List<Sequenced> read = StreamStore.read(store, stream, iterator.shard(), from, limit, MAX_GET_RECORDS_BYTES);
        for (Sequenced sequenced : read) {
            StoredRecord record = sequenced.record();
            from = sequenced.sequence() + 1;
            if (record.arrivalMillis() < retainedSince) {
                // Past the retention period, not trimmed yet: gone for readers.
                continue;
            }
            records.add(new KinesisModel.Record(Sequences.format(sequenced.sequence()), Instant.ofEpochMilli(record.arrivalMillis()), record.data(),
                    record.partitionKey(), null));
        }
        long last = StreamStore.lastSequence(store, stream, iterator.shard());
        long behind = read.isEmpty() || from > last ? 0 : Math.max(0, now - read.getLast().record().arrivalMillis());
        return new GetRecordsResponse(records, ShardIterators.encode(stream, iterator.shard(), from, now), behind, null);
    }

    /** The sequence of the first record of a shard that arrived at or after {@code at}; the next one to come when none did. */
    static long firstAtOrAfter(StoreReader reader, DataStream stream, int shard, long at) {
        long from = 1;
        while (true) {
            List<Sequenced> page = StreamStore.read(reader, stream, shard, from, 1000, Long.MAX_VALUE);
            for (Sequenced sequenced : page) {
                if (sequenced.record().arrivalMillis() >= at) {
                    return sequenced.sequence();
                }
            }
            if (page.size() < 1000) {
                return StreamStore.lastSequence(reader, stream, shard) + 1;
            }
            from = page.getLast().sequence() + 1;
        }
    }

    private static long timestamp(Instant timestamp) {
        if (timestamp == null) {
            throw KinesisErrors.invalidArgument("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
                    + "timestamp parameter.");
        }
        return timestamp.toEpochMilli();
    }

    private static void checkRecord(byte[] data, String partitionKey, String explicitHashKey, String prefix) {
        if (data == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at '%sdata' failed to satisfy constraint: Member must not be null", prefix);
        }
        if (partitionKey == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at '%spartitionKey' failed to satisfy constraint: Member must not be null", prefix);
        }
        if (partitionKey.isEmpty() || partitionKey.length() > 256) {
            throw KinesisErrors.validation(partitionKey, prefix + "partitionKey", "Member must have length between 1 and 256");
        }
        if (data.length > MAX_RECORD_BYTES) {
            throw KinesisErrors.validation("java.nio.HeapByteBuffer[pos=0 lim=" + data.length + " cap=" + data.length + "]", prefix + "data",
                    "Member must have length less than or equal to " + MAX_RECORD_BYTES);
        }
        if (data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length > MAX_RECORD_BYTES) {
            throw KinesisErrors.invalidArgument("Record size exceeds 1 MB limit: the data and the partition key together are %d bytes.",
                    data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length);
        }
        if (explicitHashKey != null && (!HASH_KEY.matcher(explicitHashKey).matches() || new BigInteger(explicitHashKey).compareTo(MAX_HASH_KEY) > 0)) {
            throw KinesisErrors.invalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s",
                    explicitHashKey);
        }
    }

    /** The 128-bit hash key of a record: its explicit one, or the MD5 of its partition key read as an unsigned number. */
    static BigInteger hashKey(String partitionKey, String explicitHashKey) {
        if (explicitHashKey != null) {
            return new BigInteger(explicitHashKey);
        }
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
