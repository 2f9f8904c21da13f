package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.kinesis.StreamStore.Sequenced;
import io.stratus.storage.Snapshot;
import io.stratus.storage.Store;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Kinesis data streams as a {@link ChangeFeed}, for Lambda's event source mappings: the same
 * shards and records as GetRecords, each record in Lambda's Kinesis event shape
 * ({@code kinesis.data} base64, {@code eventID} {@code <shard>:<sequence number>}). A position's
 * token is the sequence number of the next record to read; shards never close (Stratus does not
 * reshard). Records past the stream's retention are skipped, as GetRecords skips them. Reads never
 * wait. Thread-safe.
 */
final class KinesisChangeFeed implements ChangeFeed {

    private static final int MAX_RECORDS = 10_000;
    private static final long MAX_BATCH_BYTES = 6L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;

    KinesisChangeFeed(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<FeedDescription> describe(String streamArn) {
        requireNonNull(streamArn, "streamArn is null");
        Matcher arn = DataStream.ARN.matcher(streamArn);
        if (!arn.matches()) {
            return Optional.empty();
        }
        DataStream stream = StreamStore.read(store, arn.group(2), arn.group(1), arn.group(3));
        if (stream == null) {
            return Optional.empty();
        }
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < stream.shardCount(); i++) {
            shards.add(new Shard(DataStream.shardId(i), null, Sequences.format(0), null));
        }
        return Optional.of(new FeedDescription(stream.arn(), true, shards));
    }

    @Override
    public Position start(String streamArn, String shardId, StartingPosition position, Instant timestamp) {
        requireNonNull(position, "position is null");
        try (Snapshot snapshot = store.snapshot()) {
            DataStream stream = requireStream(snapshot, streamArn);
            int shard = requireShard(stream, shardId);
            long next = switch (position) {
                case TRIM_HORIZON -> 1;
                case LATEST -> StreamStore.lastSequence(snapshot, stream, shard) + 1;
                case AT_TIMESTAMP -> RecordOperations.firstAtOrAfter(snapshot, stream, shard,
                        requireNonNull(timestamp, "timestamp is null").toEpochMilli());
            };
            return new Position(shardId, Sequences.format(next));
        }
    }

    @Override
    public Batch read(String streamArn, String shardId, Position position, int maxRecords) {
        requireNonNull(position, "position is null");
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("maxRecords must be 1 to " + MAX_RECORDS + ": " + maxRecords);
        }
        long from = Sequences.parse(position.token());
        if (!position.shardId().equals(shardId) || from < 0) {
            throw AwsException.of(KinesisErrors.VALIDATION, "Position %s is not in shard %s", position.token(), shardId);
        }
        try (Snapshot snapshot = store.snapshot()) {
            DataStream stream = requireStream(snapshot, streamArn);
            int shard = requireShard(stream, shardId);
            long retainedSince = clock.millis() - Duration.ofHours(stream.retentionHours()).toMillis();
            List<Record> records = new ArrayList<>();
            long next = from;
            for (Sequenced sequenced : StreamStore.read(snapshot, stream, shard, from, maxRecords, MAX_BATCH_BYTES)) {
                next = sequenced.sequence() + 1;
                StreamStore.StoredRecord record = sequenced.record();
                if (record.arrivalMillis() >= retainedSince) {
                    records.add(new Record(Sequences.format(sequenced.sequence()), Instant.ofEpochMilli(record.arrivalMillis()),
                            record.data().length + record.partitionKey().getBytes(StandardCharsets.UTF_8).length, record.partitionKey(),
                            event(stream, shardId, sequenced)));
                }
            }
            return new Batch(records, new Position(shardId, Sequences.format(next)));
        }
    }

    /** A record as Lambda hands it to a function. */
    private static byte[] event(DataStream stream, String shardId, Sequenced sequenced) {
        String sequenceNumber = Sequences.format(sequenced.sequence());
        ObjectNode event = JSON.createObjectNode();
        ObjectNode kinesis = event.putObject("kinesis");
        kinesis.put("kinesisSchemaVersion", "1.0");
        kinesis.put("partitionKey", sequenced.record().partitionKey());
        kinesis.put("sequenceNumber", sequenceNumber);
        kinesis.put("data", Base64.getEncoder().encodeToString(sequenced.record().data()));
        kinesis.put("approximateArrivalTimestamp", BigDecimal.valueOf(sequenced.record().arrivalMillis(), 3));
        event.put("eventSource", "aws:kinesis");
        event.put("eventVersion", "1.0");
        event.put("eventID", shardId + ":" + sequenceNumber);
        event.put("eventName", "aws:kinesis:record");
        event.put("awsRegion", stream.region());
        event.put("eventSourceARN", stream.arn());
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static DataStream requireStream(Snapshot snapshot, String streamArn) {
        Matcher arn = DataStream.ARN.matcher(requireNonNull(streamArn, "streamArn is null"));
        DataStream stream = arn.matches() ? StreamStore.read(snapshot, arn.group(2), arn.group(1), arn.group(3)) : null;
        if (stream == null) {
            throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Stream %s not found.", streamArn);
        }
        return stream;
    }

    private static int requireShard(DataStream stream, String shardId) {
        int shard = stream.shardIndex(shardId);
        if (shard < 0) {
            throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Shard %s in stream %s under account %s does not exist", shardId, stream.name(),
                    stream.account());
        }
        return shard;
    }
}
