package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.ChangeFeed;
import io.stratus.storage.Snapshot;
import io.stratus.storage.Store;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * DynamoDB Streams as a {@link ChangeFeed}, for Lambda's event source mappings: the same streams,
 * shard and records as the Streams API, with records in Lambda's event shape. A position's token is
 * the sequence number of the next record to read. Reads never wait. Thread-safe.
 */
final class DynamoDbChangeFeed implements ChangeFeed {

    private static final int MAX_RECORDS = 10_000;
    private static final long MAX_BATCH_BYTES = 6L * 1024 * 1024;

    private final Store store;

    DynamoDbChangeFeed(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    @Override
    public Optional<FeedDescription> describe(String streamArn) {
        requireNonNull(streamArn, "streamArn is null");
        Stream.Address address = Stream.Address.parse(streamArn);
        if (address == null) {
            return Optional.empty();
        }
        try (Snapshot snapshot = store.snapshot()) {
            Stream stream = StreamStore.read(snapshot, address);
            if (stream == null) {
                return Optional.empty();
            }
            long last = StreamStore.lastSequence(snapshot, stream);
            Shard shard = new Shard(stream.shardId(), null, StreamStore.sequenceNumber(1),
                    stream.enabled() ? null : StreamStore.sequenceNumber(Math.max(last, 1)));
            return Optional.of(new FeedDescription(stream.arn(), stream.enabled(), List.of(shard)));
        }
    }

    @Override
    public Position start(String streamArn, String shardId, StartingPosition position, Instant timestamp) {
        requireNonNull(position, "position is null");
        try (Snapshot snapshot = store.snapshot()) {
            Stream stream = ShardReads.requireStream(snapshot, streamArn);
            ShardReads.requireShard(stream, shardId);
            long next = switch (position) {
                case TRIM_HORIZON -> ShardReads.trimHorizon(snapshot, stream);
                case LATEST -> ShardReads.latest(snapshot, stream);
                case AT_TIMESTAMP -> ShardReads.atTimestamp(snapshot, stream, requireNonNull(timestamp, "timestamp is null"));
            };
            return new Position(shardId, StreamStore.sequenceNumber(next));
        }
    }

    @Override
    public Batch read(String streamArn, String shardId, Position position, int maxRecords) {
        requireNonNull(position, "position is null");
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("maxRecords must be 1 to " + MAX_RECORDS + ": " + maxRecords);
        }
        if (!position.shardId().equals(shardId)) {
            throw DynamoDbErrors.validation("Position %s is not in shard %s", position.token(), shardId);
        }
        long from = StreamStore.parseSequenceNumber(position.token());
        try (Snapshot snapshot = store.snapshot()) {
            Stream stream = ShardReads.requireStream(snapshot, streamArn);
            ShardReads.requireShard(stream, shardId);
            ShardReads.Page page = ShardReads.read(snapshot, stream, from, maxRecords, MAX_BATCH_BYTES);
            List<Record> records = page.records().stream()
                    .map(r -> new Record(StreamStore.sequenceNumber(r.sequence()), Instant.ofEpochMilli(r.record().createdMillis()), r.record().sizeBytes(),
                            StreamRecords.orderingKey(r.record()), StreamRecords.toLambdaEvent(stream, r.sequence(), r.record())))
                    .toList();
            return new Batch(records, page.ended() ? null : new Position(shardId, StreamStore.sequenceNumber(page.next())));
        }
    }
}
