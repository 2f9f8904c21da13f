package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A stream of changes split into shards, read by position: what Lambda's event source mapping
 * poller reads from DynamoDB Streams (and, later, Kinesis data streams). Implemented by the service
 * that owns the stream; the server hands it to the services that need it.
 *
 * <p>Records come back as the JSON objects Lambda puts in an event's {@code Records} array, with
 * {@code eventSourceARN} already filled in, so the poller only wraps them in {@code {"Records":[…]}}.
 *
 * <p>Thread safety: callable from any number of threads at once. No method blocks waiting for
 * records: {@link #read} returns at once, with an empty batch when the shard has nothing new, so a
 * poller waits between reads on its own (a virtual thread sleeping, or a scheduled task). Calls do
 * store I/O, so call them from a virtual thread or a worker, never from an event loop.
 */
public interface ChangeFeed {

    /** Where a reader starts in a shard. */
    enum StartingPosition {
        /** The oldest record still retained. */
        TRIM_HORIZON,
        /** Just after the newest record: only records written from now on. */
        LATEST,
        /** The first record written at or after a timestamp. */
        AT_TIMESTAMP
    }

    /**
     * A shard of a stream.
     *
     * @param shardId the shard's id
     * @param parentShardId the shard it continues, or null
     * @param startingSequenceNumber the sequence number of its first record
     * @param endingSequenceNumber the sequence number of its last record once the shard is closed, else null
     */
    record Shard(String shardId, String parentShardId, String startingSequenceNumber, String endingSequenceNumber) {

        public Shard {
            requireNonNull(shardId, "shardId is null");
        }

        /** Whether the shard takes no more records. */
        public boolean closed() {
            return endingSequenceNumber != null;
        }
    }

    /**
     * A stream and its shards, oldest first.
     *
     * @param streamArn the stream's ARN
     * @param enabled whether the stream still takes records (false once disabled or its source is deleted)
     * @param shards its shards
     */
    record FeedDescription(String streamArn, boolean enabled, List<Shard> shards) {

        public FeedDescription {
            requireNonNull(streamArn, "streamArn is null");
            shards = List.copyOf(shards);
        }
    }

    /**
     * A place in a shard: the next record a read returns. Opaque to callers, who keep it (for
     * example as an event source mapping's checkpoint) and hand it back unchanged.
     *
     * @param shardId the shard
     * @param token what the implementation needs to resume
     */
    record Position(String shardId, String token) {

        public Position {
            requireNonNull(shardId, "shardId is null");
            requireNonNull(token, "token is null");
        }
    }

    /**
     * One record.
     *
     * @param sequenceNumber its sequence number in the shard
     * @param approximateCreation when it was written
     * @param sizeBytes its size as the service counts it (for batch size limits)
     * @param orderingKey what the record is about, within which order must be kept when a consumer
     *     hands a shard's records over concurrently: the item's key for DynamoDB, the partition key
     *     for Kinesis
     * @param json the event record, UTF-8 JSON
     */
    record Record(String sequenceNumber, Instant approximateCreation, long sizeBytes, String orderingKey, byte[] json) {

        public Record {
            requireNonNull(sequenceNumber, "sequenceNumber is null");
            requireNonNull(orderingKey, "orderingKey is null");
            json = json.clone();
        }

        @Override
        public byte[] json() {
            return json.clone();
        }
    }

    /**
     * What a read returned.
     *
     * @param records the records, in shard order; empty when there is nothing new
     * @param next where the next read starts, or null when the shard is closed and every record was read
     */
    record Batch(List<Record> records, Position next) {

        public Batch {
            records = List.copyOf(records);
        }
    }

    /** Describes a stream, or empty when there is no stream with this ARN. */
    Optional<FeedDescription> describe(String streamArn);

    /**
     * The position a reader starting at {@code position} reads from.
     *
     * @param timestamp the time for {@link StartingPosition#AT_TIMESTAMP}, else ignored (may be null)
     * @throws io.stratus.core.AwsException {@code ResourceNotFoundException} for an unknown stream or shard
     */
    Position start(String streamArn, String shardId, StartingPosition position, Instant timestamp);

    /**
     * Reads up to {@code maxRecords} records from {@code position} on, without waiting.
     *
     * @throws io.stratus.core.AwsException {@code ResourceNotFoundException} for an unknown stream
     *     or shard; {@code TrimmedDataAccessException} when records at the position have passed
     *     the stream's retention (start again at {@link StartingPosition#TRIM_HORIZON});
     *     {@code ValidationException} for a position this feed did not hand out
     */
    Batch read(String streamArn, String shardId, Position position, int maxRecords);
}
