package io.stratus.lambda;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ChangeFeed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hand-written {@link ChangeFeed} with one stream of one shard held in memory: tests append
 * records and close the shard. A position's token is the index of the next record. Thread-safe
 * (every method synchronized).
 */
final class InMemoryChangeFeed implements ChangeFeed {

    static final String STREAM = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000";
    static final String SHARD = "shardId-00000001";

    /** What DynamoDB Streams answers for a position past its retention. */
    private static final AwsErrorCode TRIMMED = new AwsErrorCode() {
        @Override
        public String code() {
            return "TrimmedDataAccessException";
        }

        @Override
        public int httpStatus() {
            return 400;
        }
    };

    private final List<Record> records = new ArrayList<>();
    private boolean closed;
    /** How many of the first records passed the stream's retention. */
    private int trimmed;

    /** Appends a record whose JSON is {@code {"n":<n>,"eventSourceARN":…}}, written {@code at}, about item {@code n}. */
    synchronized String append(int n, Instant at) {
        return append(n, at, "item-" + n);
    }

    /** Appends a record whose JSON is {@code {"n":<n>,"eventSourceARN":…}}, written {@code at}, about {@code item}. */
    synchronized String append(int n, Instant at, String item) {
        String sequence = "%021d".formatted(records.size() + 1);
        String json = "{\"n\":" + n + ",\"dynamodb\":{\"SequenceNumber\":\"" + sequence + "\"},\"eventSourceARN\":\"" + STREAM + "\"}";
        records.add(new Record(sequence, at, json.length(), item, json.getBytes(StandardCharsets.UTF_8)));
        return sequence;
    }

    synchronized void close() {
        closed = true;
    }

    /** The first {@code count} records pass the stream's retention: reading from before them is refused, the trim horizon moves. */
    synchronized void trim(int count) {
        trimmed = count;
    }

    @Override
    public synchronized Optional<FeedDescription> describe(String streamArn) {
        if (!STREAM.equals(streamArn)) {
            return Optional.empty();
        }
        String end = closed ? "%021d".formatted(Math.max(1, records.size())) : null;
        return Optional.of(new FeedDescription(STREAM, !closed, List.of(new Shard(SHARD, null, "%021d".formatted(1), end))));
    }

    @Override
    public synchronized Position start(String streamArn, String shardId, StartingPosition position, Instant timestamp) {
        check(streamArn, shardId);
        int index = switch (position) {
            case TRIM_HORIZON -> trimmed;
            case LATEST -> records.size();
            case AT_TIMESTAMP -> {
                int i = 0;
                while (i < records.size() && records.get(i).approximateCreation().isBefore(timestamp)) {
                    i++;
                }
                yield i;
            }
        };
        return new Position(shardId, Integer.toString(index));
    }

    @Override
    public synchronized Batch read(String streamArn, String shardId, Position position, int maxRecords) {
        check(streamArn, shardId);
        int from = Integer.parseInt(position.token());
        if (from < trimmed) {
            throw AwsException.of(TRIMMED, "The operation attempted to read past the oldest stream record in a shard.");
        }
        int to = Math.min(records.size(), from + maxRecords);
        List<Record> page = List.copyOf(records.subList(from, to));
        return new Batch(page, closed && to == records.size() ? null : new Position(shardId, Integer.toString(to)));
    }

    private static void check(String streamArn, String shardId) {
        if (!STREAM.equals(streamArn) || !SHARD.equals(shardId)) {
            throw AwsException.of(LambdaErrors.RESOURCE_NOT_FOUND, "Requested resource not found");
        }
    }
}
