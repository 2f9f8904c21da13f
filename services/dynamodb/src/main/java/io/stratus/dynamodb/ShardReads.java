package io.stratus.dynamodb;

import io.stratus.core.AwsException;
import io.stratus.storage.StoreReader;
import java.time.Instant;
import java.util.List;

/**
 * Reading a stream's one shard, shared by the Streams API and the {@code ChangeFeed} Lambda polls:
 * where a reader starts, and a page of records from a sequence on. A position is the sequence of
 * the next record to read. Stateless; thread-safe.
 */
final class ShardReads {

    private ShardReads() {}

    /**
     * A page of records.
     *
     * @param next the sequence the next read starts at
     * @param ended whether the shard is closed and the page reached its last record
     */
    record Page(List<StreamStore.Sequenced> records, long next, boolean ended) {}

    static Stream requireStream(StoreReader reader, String streamArn) {
        Stream.Address address = Stream.Address.parse(streamArn);
        Stream stream = address == null ? null : StreamStore.read(reader, address);
        if (stream == null) {
            throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Stream: %s not found", streamArn);
        }
        return stream;
    }

    static void requireShard(Stream stream, String shardId) {
        if (!stream.shardId().equals(shardId)) {
            throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Shard: %s in Stream: %s not found",
                    shardId, stream.arn());
        }
    }

    /** The oldest retained record, or the next one to be written when none is. */
    static long trimHorizon(StoreReader reader, Stream stream) {
        long first = StreamStore.firstSequence(reader, stream);
        return first == 0 ? StreamStore.lastSequence(reader, stream) + 1 : first;
    }

    static long latest(StoreReader reader, Stream stream) {
        return StreamStore.lastSequence(reader, stream) + 1;
    }

    /** The record at {@code sequence}: ValidationException past the shard's end, TrimmedDataAccess when trimmed. */
    static long at(StoreReader reader, Stream stream, long sequence) {
        if (sequence > StreamStore.lastSequence(reader, stream)) {
            throw DynamoDbErrors.validation("Invalid SequenceNumber: %s is beyond the last record of shard %s",
                    StreamStore.sequenceNumber(sequence), stream.shardId());
        }
        if (!StreamStore.exists(reader, stream, sequence)) {
            throw StreamStore.trimmed();
        }
        return sequence;
    }

    /** The first retained record written at or after {@code time}, or the next to be written. */
    static long atTimestamp(StoreReader reader, Stream stream, Instant time) {
        long from = trimHorizon(reader, stream);
        while (true) {
            List<StreamStore.Sequenced> page = StreamStore.records(reader, stream, from, 1000, Long.MAX_VALUE);
            for (StreamStore.Sequenced record : page) {
                if (record.record().createdMillis() >= time.toEpochMilli()) {
                    return record.sequence();
                }
            }
            if (page.size() < 1000) {
                return latest(reader, stream);
            }
            from = page.getLast().sequence() + 1;
        }
    }

    /** Up to {@code limit} records from {@code from} on, within {@code maxBytes}; TrimmedDataAccess when {@code from} was trimmed. */
    static Page read(StoreReader reader, Stream stream, long from, int limit, long maxBytes) {
        long last = StreamStore.lastSequence(reader, stream);
        List<StreamStore.Sequenced> records = StreamStore.records(reader, stream, from, limit, maxBytes);
        if (from <= last && (records.isEmpty() || records.getFirst().sequence() != from)) {
            throw StreamStore.trimmed();
        }
        long next = records.isEmpty() ? from : records.getLast().sequence() + 1;
        return new Page(records, next, !stream.enabled() && next > last);
    }
}
