package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.StreamsModel.DescribeStreamRequest;
import io.stratus.dynamodb.StreamsModel.DescribeStreamResponse;
import io.stratus.dynamodb.StreamsModel.GetRecordsRequest;
import io.stratus.dynamodb.StreamsModel.GetRecordsResponse;
import io.stratus.dynamodb.StreamsModel.GetShardIteratorRequest;
import io.stratus.dynamodb.StreamsModel.GetShardIteratorResponse;
import io.stratus.dynamodb.StreamsModel.ListStreamsRequest;
import io.stratus.dynamodb.StreamsModel.ListStreamsResponse;
import io.stratus.dynamodb.StreamsModel.StreamSummary;
import io.stratus.storage.Snapshot;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * ListStreams, DescribeStream, GetShardIterator and GetRecords. Each stream has one shard, open
 * while the stream is enabled; reads see one snapshot of the store. Thread-safe.
 */
final class StreamsOperations {

    private static final int MAX_LIST_LIMIT = 100;
    private static final int MAX_RECORDS = 1000;
    private static final long MAX_PAGE_BYTES = 1024 * 1024;
    private static final List<String> ITERATOR_TYPES = List.of("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER");

    private final Store store;
    private final Clock clock;

    StreamsOperations(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    ListStreamsResponse listStreams(RequestContext context, ListStreamsRequest request) {
        int limit = limit(request.limit(), MAX_LIST_LIMIT, MAX_LIST_LIMIT);
        String tableName = request.tableName() == null ? null : TableRules.tableName(context, request.tableName());
        Stream.Address after = null;
        if (request.exclusiveStartStreamArn() != null) {
            checkArn(request.exclusiveStartStreamArn(), "exclusiveStartStreamArn");
            after = Stream.Address.parse(request.exclusiveStartStreamArn());
            if (after == null) {
                throw validation("Invalid ExclusiveStartStreamArn: %s", request.exclusiveStartStreamArn());
            }
        }
        List<Stream> streams = StreamStore.list(store, context.accountId(), context.region(), tableName, after, limit + 1);
        List<StreamSummary> page = streams.stream().limit(limit).map(s -> new StreamSummary(s.arn(), s.tableName(), s.label())).toList();
        return new ListStreamsResponse(page, streams.size() > limit ? page.getLast().streamArn() : null);
    }

    DescribeStreamResponse describeStream(RequestContext context, DescribeStreamRequest request) {
        checkArn(request.streamArn(), "streamArn");
        int limit = limit(request.limit(), MAX_LIST_LIMIT, MAX_LIST_LIMIT);
        if (request.exclusiveStartShardId() != null) {
            checkShardId(request.exclusiveStartShardId(), "exclusiveStartShardId");
        }
        try (Snapshot snapshot = store.snapshot()) {
            Stream stream = ownStream(snapshot, context, request.streamArn());
            long last = StreamStore.lastSequence(snapshot, stream);
            var range = new StreamsModel.SequenceNumberRange(StreamStore.sequenceNumber(1),
                    stream.enabled() ? null : StreamStore.sequenceNumber(Math.max(last, 1)));
            List<StreamsModel.Shard> shards = stream.shardId().equals(request.exclusiveStartShardId())
                    ? List.of()
                    : List.of(new StreamsModel.Shard(stream.shardId(), range, null));
            return new DescribeStreamResponse(new StreamsModel.StreamDescription(stream.arn(), stream.label(), stream.enabled() ? "ENABLED" : "DISABLED",
                    stream.viewType(), Instant.ofEpochMilli(stream.createdMillis()), stream.tableName(), stream.keySchema(), shards, null));
        }
    }

    GetShardIteratorResponse getShardIterator(RequestContext context, GetShardIteratorRequest request) {
        checkArn(request.streamArn(), "streamArn");
        checkShardId(request.shardId(), "shardId");
        String type = request.shardIteratorType();
        if (type == null) {
            throw validation("1 validation error detected: Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null");
        }
        if (!ITERATOR_TYPES.contains(type)) {
            throw validation("1 validation error detected: Value '%s' at 'shardIteratorType' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, LATEST, TRIM_HORIZON]", type);
        }
        boolean bySequence = type.endsWith("_SEQUENCE_NUMBER");
        if (bySequence && request.sequenceNumber() == null) {
            throw validation("Must specify a SequenceNumber for ShardIteratorType %s", type);
        }
        if (!bySequence && request.sequenceNumber() != null) {
            throw validation("Must not specify a SequenceNumber for ShardIteratorType %s", type);
        }
        long sequence = bySequence ? StreamStore.parseSequenceNumber(request.sequenceNumber()) : 0;
        try (Snapshot snapshot = store.snapshot()) {
            Stream stream = ownStream(snapshot, context, request.streamArn());
            ShardReads.requireShard(stream, request.shardId());
            long next = switch (type) {
                case "TRIM_HORIZON" -> ShardReads.trimHorizon(snapshot, stream);
                case "LATEST" -> ShardReads.latest(snapshot, stream);
                case "AT_SEQUENCE_NUMBER" -> ShardReads.at(snapshot, stream, sequence);
                default -> ShardReads.at(snapshot, stream, sequence) + 1;
            };
            return new GetShardIteratorResponse(ShardIterators.encode(stream, next, clock.millis()));
        }
    }

    GetRecordsResponse getRecords(RequestContext context, GetRecordsRequest request) {
        long now = clock.millis();
        ShardIterators.Iterator iterator = ShardIterators.decode(request.shardIterator(), now);
        int limit = limit(request.limit(), MAX_RECORDS, MAX_RECORDS);
        try (Snapshot snapshot = store.snapshot()) {
            Stream stream = ownStream(snapshot, context, iterator.streamArn());
            ShardReads.requireShard(stream, iterator.shardId());
            ShardReads.Page page = ShardReads.read(snapshot, stream, iterator.next(), limit, MAX_PAGE_BYTES);
            List<StreamsModel.Record> records = page.records().stream()
                    .map(r -> StreamRecords.toApi(stream, r.sequence(), r.record()))
                    .toList();
            return new GetRecordsResponse(records, page.ended() ? null : ShardIterators.encode(stream, page.next(), now));
        }
    }

    /** The stream an ARN names in the caller's account and region, or ResourceNotFound. */
    private static Stream ownStream(Snapshot snapshot, RequestContext context, String streamArn) {
        Stream.Address address = Stream.Address.parse(streamArn);
        if (address == null) {
            throw validation("Invalid StreamArn: %s", streamArn);
        }
        if (!address.account().equals(context.accountId()) || !address.region().equals(context.region())) {
            throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Stream: %s not found", streamArn);
        }
        return ShardReads.requireStream(snapshot, streamArn);
    }

    private static int limit(Integer requested, int max, int fallback) {
        int limit = requested == null ? fallback : requested;
        if (limit < 1 || limit > max) {
            throw validation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value %s",
                    limit, limit < 1 ? "greater than or equal to 1" : "less than or equal to " + max);
        }
        return limit;
    }

    private static void checkArn(String arn, String member) {
        if (arn == null) {
            throw validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        if (arn.length() < 37 || arn.length() > 1024) {
            throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length %s",
                    arn, member, arn.length() < 37 ? "greater than or equal to 37" : "less than or equal to 1024");
        }
    }

    private static void checkShardId(String shardId, String member) {
        if (shardId == null) {
            throw validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        if (shardId.length() < 28 || shardId.length() > 65) {
            throw validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length %s",
                    shardId, member, shardId.length() < 28 ? "greater than or equal to 28" : "less than or equal to 65");
        }
    }
}
