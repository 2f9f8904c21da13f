package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.kinesis.KinesisModel.AddTagsToStreamRequest;
import io.stratus.kinesis.KinesisModel.CreateStreamRequest;
import io.stratus.kinesis.KinesisModel.DeleteStreamRequest;
import io.stratus.kinesis.KinesisModel.DescribeStreamRequest;
import io.stratus.kinesis.KinesisModel.DescribeStreamResponse;
import io.stratus.kinesis.KinesisModel.DescribeStreamSummaryRequest;
import io.stratus.kinesis.KinesisModel.DescribeStreamSummaryResponse;
import io.stratus.kinesis.KinesisModel.Empty;
import io.stratus.kinesis.KinesisModel.EnhancedMetrics;
import io.stratus.kinesis.KinesisModel.HashKeyRange;
import io.stratus.kinesis.KinesisModel.ListShardsRequest;
import io.stratus.kinesis.KinesisModel.ListShardsResponse;
import io.stratus.kinesis.KinesisModel.ListStreamsRequest;
import io.stratus.kinesis.KinesisModel.ListStreamsResponse;
import io.stratus.kinesis.KinesisModel.ListTagsForStreamRequest;
import io.stratus.kinesis.KinesisModel.ListTagsForStreamResponse;
import io.stratus.kinesis.KinesisModel.RemoveTagsFromStreamRequest;
import io.stratus.kinesis.KinesisModel.RetentionRequest;
import io.stratus.kinesis.KinesisModel.SequenceNumberRange;
import io.stratus.kinesis.KinesisModel.Shard;
import io.stratus.kinesis.KinesisModel.StreamDescription;
import io.stratus.kinesis.KinesisModel.StreamDescriptionSummary;
import io.stratus.kinesis.KinesisModel.StreamModeDetails;
import io.stratus.kinesis.KinesisModel.StreamSummary;
import io.stratus.kinesis.KinesisModel.Tag;
import io.stratus.storage.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The streams themselves: create, describe, list, delete, shards, retention and tags. A stream is
 * {@code ACTIVE} as soon as CreateStream answers (AWS reports {@code CREATING} for a few seconds
 * first, which clients wait out with DescribeStream) and gone as soon as DeleteStream answers.
 * Thread-safe.
 */
final class StreamOperations {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    /** Kinesis's default shard quota per account and region (us-east-1 and a few others; 200 elsewhere). */
    static final int MAX_SHARDS = 500;
    /** Kinesis's default quota of on-demand streams per account and region. */
    static final int MAX_ON_DEMAND_STREAMS = 50;
    private static final int MAX_TAGS = 50;
    private static final int MAX_TAGS_PER_CALL = 10;
    private static final int MAX_TAGS_PER_RESOURCE_CALL = 200;

    private final Store store;
    private final Clock clock;

    StreamOperations(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Empty createStream(RequestContext context, CreateStreamRequest request) {
        String name = name(request.streamName());
        String mode = request.streamModeDetails() == null || request.streamModeDetails().streamMode() == null
                ? (request.shardCount() == null ? "ON_DEMAND" : "PROVISIONED") : mode(request.streamModeDetails().streamMode());
        int shards;
        if (mode.equals("ON_DEMAND")) {
            if (request.shardCount() != null) {
                throw KinesisErrors.invalidArgument("ShardCount must not be specified for a stream in ON_DEMAND mode.");
            }
            shards = DataStream.ON_DEMAND_SHARDS;
        } else {
            if (request.shardCount() == null) {
                throw KinesisErrors.invalidArgument("ShardCount is required for a stream in PROVISIONED mode.");
            }
            if (request.shardCount() < 1) {
                throw KinesisErrors.validation(request.shardCount(), "shardCount", "Member must have value greater than or equal to 1");
            }
            shards = request.shardCount();
        }
        Map<String, String> tags = request.tags() == null ? Map.of() : request.tags();
        checkTags(tags, MAX_TAGS);
        store.transaction(txn -> {
            if (StreamStore.read(txn, context.accountId(), context.region(), name) != null) {
                throw AwsException.of(KinesisErrors.RESOURCE_IN_USE, "Stream %s under account %s already exists.", name, context.accountId());
            }
            List<DataStream> existing = StreamStore.list(txn, context.accountId(), context.region(), null, Integer.MAX_VALUE);
            if (mode.equals("ON_DEMAND")) {
                requireOnDemandRoom(existing, context);
            }
            int used = existing.stream().mapToInt(DataStream::shardCount).sum();
            if (used + shards > MAX_SHARDS) {
                throw AwsException.of(KinesisErrors.LIMIT_EXCEEDED, "This request would exceed the shard limit for the account %s in %s. "
                        + "Current shard count for the account: %d. Limit: %d. Number of additional shards that would have resulted from this "
                        + "request: %d.", context.accountId(), context.region(), used, MAX_SHARDS, shards);
            }
            StreamStore.write(txn, new DataStream(context.accountId(), context.region(), name, clock.millis(), mode, shards,
                    DataStream.DEFAULT_RETENTION_HOURS, tags));
            return null;
        });
        return new Empty();
    }

    /** UpdateStreamMode: the mode a stream reports; its shards stay as they are (Stratus does not scale them either way). */
    Empty updateStreamMode(RequestContext context, KinesisModel.UpdateStreamModeRequest request) {
        if (request.streamARN() == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'streamARN' failed to satisfy constraint: Member must not be null");
        }
        String mode = mode(request.streamModeDetails() == null ? null : request.streamModeDetails().streamMode());
        String[] address = address(context, null, request.streamARN());
        store.transaction(txn -> {
            DataStream stream = require(txn, address);
            if (mode.equals("ON_DEMAND") && !stream.mode().equals(mode)) {
                requireOnDemandRoom(StreamStore.list(txn, stream.account(), stream.region(), null, Integer.MAX_VALUE), context);
            }
            StreamStore.write(txn, stream.withMode(mode));
            return null;
        });
        return new Empty();
    }

    KinesisModel.DescribeLimitsResponse describeLimits(RequestContext context, KinesisModel.DescribeLimitsRequest request) {
        List<DataStream> streams = StreamStore.list(store, context.accountId(), context.region(), null, Integer.MAX_VALUE);
        return new KinesisModel.DescribeLimitsResponse(MAX_SHARDS, streams.stream().mapToInt(DataStream::shardCount).sum(),
                (int) streams.stream().filter(s -> s.mode().equals("ON_DEMAND")).count(), MAX_ON_DEMAND_STREAMS);
    }

    private static String mode(String mode) {
        if (mode == null || (!mode.equals("PROVISIONED") && !mode.equals("ON_DEMAND"))) {
            throw KinesisErrors.validation(mode, "streamModeDetails.streamMode", "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]");
        }
        return mode;
    }

    private static void requireOnDemandRoom(List<DataStream> streams, RequestContext context) {
        long onDemand = streams.stream().filter(s -> s.mode().equals("ON_DEMAND")).count();
        if (onDemand >= MAX_ON_DEMAND_STREAMS) {
            throw AwsException.of(KinesisErrors.LIMIT_EXCEEDED, "This request would exceed the on-demand stream limit for the account %s in %s. "
                    + "Current on-demand stream count: %d. Limit: %d.", context.accountId(), context.region(), onDemand, MAX_ON_DEMAND_STREAMS);
        }
    }

    Empty deleteStream(RequestContext context, DeleteStreamRequest request) {
        String[] address = address(context, request.streamName(), request.streamARN());
        store.transaction(txn -> {
            StreamStore.delete(txn, require(txn, address));
            return null;
        });
        return new Empty();
    }

    DescribeStreamResponse describeStream(RequestContext context, DescribeStreamRequest request) {
        int limit = bounded(request.limit(), 100, 1, 10_000, "limit");
        DataStream stream = require(store, address(context, request.streamName(), request.streamARN()));
        int from = 0;
        if (request.exclusiveStartShardId() != null) {
            from = startAfter(stream, request.exclusiveStartShardId());
        }
        List<Shard> shards = shards(stream, from, limit);
        return new DescribeStreamResponse(new StreamDescription(stream.name(), stream.arn(), "ACTIVE", new StreamModeDetails(stream.mode()),
                shards, from + shards.size() < stream.shardCount(), stream.retentionHours(), Instant.ofEpochMilli(stream.createdMillis()),
                List.of(new EnhancedMetrics(List.of())), "NONE"));
    }

    DescribeStreamSummaryResponse describeStreamSummary(RequestContext context, DescribeStreamSummaryRequest request) {
        DataStream stream = require(store, address(context, request.streamName(), request.streamARN()));
        return new DescribeStreamSummaryResponse(new StreamDescriptionSummary(stream.name(), stream.arn(), "ACTIVE",
                new StreamModeDetails(stream.mode()), stream.retentionHours(), Instant.ofEpochMilli(stream.createdMillis()),
                List.of(new EnhancedMetrics(List.of())), "NONE", stream.shardCount(), 0));
    }

    ListStreamsResponse listStreams(RequestContext context, ListStreamsRequest request) {
        int limit = bounded(request.limit(), 100, 1, 10_000, "limit");
        String after = request.exclusiveStartStreamName();
        if (request.nextToken() != null) {
            after = decodeToken(request.nextToken(), "stream:");
        }
        List<DataStream> page = StreamStore.list(store, context.accountId(), context.region(), after, limit + 1);
        boolean more = page.size() > limit;
        page = more ? page.subList(0, limit) : page;
        return new ListStreamsResponse(page.stream().map(DataStream::name).toList(), more,
                more ? encodeToken("stream:" + page.getLast().name()) : null,
                page.stream().map(s -> new StreamSummary(s.name(), s.arn(), "ACTIVE", new StreamModeDetails(s.mode()),
                        Instant.ofEpochMilli(s.createdMillis()))).toList());
    }

    ListShardsResponse listShards(RequestContext context, ListShardsRequest request) {
        int limit = bounded(request.maxResults(), 1000, 1, 10_000, "maxResults");
        DataStream stream;
        int from;
        if (request.nextToken() != null) {
            if (request.streamName() != null || request.exclusiveStartShardId() != null || request.streamCreationTimestamp() != null
                    || request.shardFilter() != null) {
                throw KinesisErrors.invalidArgument("NextToken and StreamName cannot be provided together.");
            }
            String[] token = decodeToken(request.nextToken(), "shards:").split("\\|", 2);
            if (token.length != 2) {
                throw KinesisErrors.invalidArgument("Invalid NextToken.");
            }
            stream = require(store, address(context, null, token[1]));
            from = startAfter(stream, token[0]);
        } else {
            stream = require(store, address(context, request.streamName(), request.streamARN()));
            from = request.exclusiveStartShardId() == null ? 0 : startAfter(stream, request.exclusiveStartShardId());
            from = Math.max(from, filtered(stream, request.shardFilter()));
        }
        List<Shard> shards = shards(stream, from, limit);
        boolean more = from + shards.size() < stream.shardCount();
        return new ListShardsResponse(shards, more ? encodeToken("shards:" + shards.getLast().shardId() + "|" + stream.arn()) : null);
    }

    Empty increaseRetention(RequestContext context, RetentionRequest request) {
        return retention(context, request, true);
    }

    Empty decreaseRetention(RequestContext context, RetentionRequest request) {
        return retention(context, request, false);
    }

    private Empty retention(RequestContext context, RetentionRequest request, boolean increase) {
        if (request.retentionPeriodHours() == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'retentionPeriodHours' failed to satisfy constraint: Member must not be null");
        }
        int hours = request.retentionPeriodHours();
        String[] address = address(context, request.streamName(), request.streamARN());
        if (hours < DataStream.DEFAULT_RETENTION_HOURS || hours > DataStream.MAX_RETENTION_HOURS) {
            throw KinesisErrors.invalidArgument("Minimum allowed retention period is %d hours. Maximum allowed retention period is %d hours. "
                    + "Requested retention period (%d hours) is out of range.", DataStream.DEFAULT_RETENTION_HOURS, DataStream.MAX_RETENTION_HOURS, hours);
        }
        store.transaction(txn -> {
            DataStream stream = require(txn, address);
            if (increase && hours < stream.retentionHours()) {
                throw KinesisErrors.invalidArgument("Requested retention period (%d hours) for stream %s can not be shorter than existing retention "
                        + "period (%d hours). Use DecreaseRetentionPeriod API.", hours, stream.name(), stream.retentionHours());
            }
            if (!increase && hours > stream.retentionHours()) {
                throw KinesisErrors.invalidArgument("Requested retention period (%d hours) for stream %s can not be longer than existing retention "
                        + "period (%d hours). Use IncreaseRetentionPeriod API.", hours, stream.name(), stream.retentionHours());
            }
            StreamStore.write(txn, stream.withRetention(hours));
            return null;
        });
        return new Empty();
    }

    Empty addTags(RequestContext context, AddTagsToStreamRequest request) {
        Map<String, String> added = request.tags() == null ? Map.of() : request.tags();
        if (added.isEmpty() || added.size() > MAX_TAGS_PER_CALL) {
            throw KinesisErrors.validation(added, "tags", "Member must have length between 1 and " + MAX_TAGS_PER_CALL);
        }
        checkTags(added, MAX_TAGS_PER_CALL);
        return tag(context, address(context, request.streamName(), request.streamARN()), added);
    }

    /** TagResource: the same as AddTagsToStream, on a stream's ARN, up to 200 tags a call. */
    Empty tagResource(RequestContext context, KinesisModel.TagResourceRequest request) {
        Map<String, String> added = request.tags() == null ? Map.of() : request.tags();
        checkTags(added, MAX_TAGS_PER_RESOURCE_CALL);
        return tag(context, resource(context, request.resourceARN()), added);
    }

    Empty untagResource(RequestContext context, KinesisModel.UntagResourceRequest request) {
        List<String> keys = request.tagKeys() == null ? List.of() : request.tagKeys();
        if (keys.size() > MAX_TAGS_PER_RESOURCE_CALL) {
            throw KinesisErrors.validation(keys, "tagKeys", "Member must have length less than or equal to " + MAX_TAGS_PER_RESOURCE_CALL);
        }
        return untag(resource(context, request.resourceARN()), keys);
    }

    KinesisModel.ListTagsForResourceResponse listTagsForResource(RequestContext context, KinesisModel.ListTagsForResourceRequest request) {
        DataStream stream = require(store, resource(context, request.resourceARN()));
        return new KinesisModel.ListTagsForResourceResponse(stream.tags().entrySet().stream().map(t -> new Tag(t.getKey(), t.getValue())).toList());
    }

    /** The stream a ResourceARN names (Stratus has no consumers, the other kind of Kinesis resource). */
    private static String[] resource(RequestContext context, String resourceArn) {
        if (resourceArn == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: Member must not be null");
        }
        if (resourceArn.contains("/consumer/")) {
            throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Consumer %s not found.", resourceArn);
        }
        return address(context, null, resourceArn);
    }

    private Empty tag(RequestContext context, String[] address, Map<String, String> added) {
        store.transaction(txn -> {
            DataStream stream = require(txn, address);
            Map<String, String> tags = new TreeMap<>(stream.tags());
            tags.putAll(added);
            if (tags.size() > MAX_TAGS) {
                throw AwsException.of(KinesisErrors.LIMIT_EXCEEDED, "Failed to add tags to stream %s under account %s because a given stream "
                        + "cannot have more than %d tags.", stream.name(), stream.account(), MAX_TAGS);
            }
            StreamStore.write(txn, stream.withTags(tags));
            return null;
        });
        return new Empty();
    }

    Empty removeTags(RequestContext context, RemoveTagsFromStreamRequest request) {
        List<String> keys = request.tagKeys() == null ? List.of() : request.tagKeys();
        if (keys.isEmpty() || keys.size() > MAX_TAGS_PER_CALL) {
            throw KinesisErrors.validation(keys, "tagKeys", "Member must have length between 1 and " + MAX_TAGS_PER_CALL);
        }
        return untag(address(context, request.streamName(), request.streamARN()), keys);
    }

    private Empty untag(String[] address, List<String> keys) {
        store.transaction(txn -> {
            DataStream stream = require(txn, address);
            Map<String, String> tags = new TreeMap<>(stream.tags());
            keys.forEach(tags::remove);
            StreamStore.write(txn, stream.withTags(tags));
            return null;
        });
        return new Empty();
    }

    ListTagsForStreamResponse listTags(RequestContext context, ListTagsForStreamRequest request) {
        int limit = bounded(request.limit(), MAX_TAGS, 1, MAX_TAGS, "limit");
        DataStream stream = require(store, address(context, request.streamName(), request.streamARN()));
        List<Tag> tags = new ArrayList<>();
        boolean more = false;
        for (Map.Entry<String, String> tag : stream.tags().entrySet()) {
            if (request.exclusiveStartTagKey() != null && tag.getKey().compareTo(request.exclusiveStartTagKey()) <= 0) {
                continue;
            }
            if (tags.size() == limit) {
                more = true;
                break;
            }
            tags.add(new Tag(tag.getKey(), tag.getValue()));
        }
        return new ListTagsForStreamResponse(tags, more);
    }

    // ---- shared with the record operations

    /** The account, region and name a request's StreamName or StreamARN names. */
    static String[] address(RequestContext context, String streamName, String streamArn) {
        if (streamArn != null) {
            var matcher = DataStream.ARN.matcher(streamArn);
            if (!matcher.matches() || streamArn.length() > 2048) {
                throw KinesisErrors.validation(streamArn, "streamARN",
                        "Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
            }
            if (streamName != null && !streamName.equals(matcher.group(3))) {
                throw KinesisErrors.invalidArgument("StreamARN %s and StreamName %s do not name the same stream.", streamArn, streamName);
            }
            if (!matcher.group(2).equals(context.accountId())) {
                // Another account's stream needs its resource policy, which Stratus does not have for streams yet.
                throw AwsException.of(KinesisErrors.ACCESS_DENIED, "User: %s is not authorized to access %s because no resource-based policy "
                        + "allows it.", context.principal().arn(), streamArn);
            }
            if (!matcher.group(1).equals(context.region())) {
                // A regional endpoint sees its region's streams only.
                throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Stream %s under account %s not found.", matcher.group(3), matcher.group(2));
            }
            return new String[] {matcher.group(2), matcher.group(1), matcher.group(3)};
        }
        if (streamName == null) {
            throw KinesisErrors.invalidArgument("Either StreamName or StreamARN should be provided.");
        }
        return new String[] {context.accountId(), context.region(), name(streamName)};
    }

    static DataStream require(io.stratus.storage.StoreReader reader, String[] address) {
        DataStream stream = StreamStore.read(reader, address[0], address[1], address[2]);
        if (stream == null) {
            throw AwsException.of(KinesisErrors.RESOURCE_NOT_FOUND, "Stream %s under account %s not found.", address[2], address[0]);
        }
        return stream;
    }

    static int bounded(Integer value, int fallback, int min, int max, String member) {
        if (value == null) {
            return fallback;
        }
        if (value < min) {
            throw KinesisErrors.validation(value, member, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            throw KinesisErrors.validation(value, member, "Member must have value less than or equal to " + max);
        }
        return value;
    }

    private static String name(String streamName) {
        if (streamName == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null");
        }
        if (streamName.isEmpty() || streamName.length() > 128) {
            throw KinesisErrors.validation(streamName, "streamName", "Member must have length between 1 and 128");
        }
        if (!NAME.matcher(streamName).matches()) {
            throw KinesisErrors.validation(streamName, "streamName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        return streamName;
    }

    private static void checkTags(Map<String, String> tags, int max) {
        if (tags.size() > max) {
            throw KinesisErrors.validation(tags.size(), "tags", "Member must have length less than or equal to " + max);
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > 128) {
                throw KinesisErrors.invalidArgument("Tag key %s is not valid: it must be 1 to 128 characters.", tag.getKey());
            }
            if (tag.getValue() != null && tag.getValue().length() > 256) {
                throw KinesisErrors.invalidArgument("Tag value for key %s is not valid: it must be at most 256 characters.", tag.getKey());
            }
        }
    }

    /**
     * Where a ShardFilter starts the list. Every shard is open from the stream's creation on (Stratus
     * does not reshard), so the filters by position or time keep them all; AFTER_SHARD_ID starts
     * after the one it names.
     */
    private static int filtered(DataStream stream, KinesisModel.ShardFilter filter) {
        if (filter == null) {
            return 0;
        }
        String type = filter.type();
        if (type == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null");
        }
        return switch (type) {
            case "AFTER_SHARD_ID" -> {
                if (filter.shardId() == null) {
                    throw KinesisErrors.invalidArgument("ShardId must be provided with the ShardFilter type AFTER_SHARD_ID.");
                }
                yield startAfter(stream, filter.shardId());
            }
            case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> {
                if (filter.timestamp() == null) {
                    throw KinesisErrors.invalidArgument("Timestamp must be provided with the ShardFilter type %s.", type);
                }
                yield 0;
            }
            case "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST" -> 0;
            default -> throw KinesisErrors.validation(type, "shardFilter.type", "Member must satisfy enum value set: [AFTER_SHARD_ID, "
                    + "AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]");
        };
    }

    private static int startAfter(DataStream stream, String shardId) {
        int index = stream.shardIndex(shardId);
        if (index < 0) {
            if (shardId.matches("shardId-\\d{12}")) {
                // A later shard than any: nothing after it.
                return stream.shardCount();
            }
            throw KinesisErrors.validation(shardId, "exclusiveStartShardId", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        return index + 1;
    }

    private static List<Shard> shards(DataStream stream, int from, int limit) {
        List<Shard> shards = new ArrayList<>();
        for (int i = from; i < stream.shardCount() && shards.size() < limit; i++) {
            shards.add(new Shard(DataStream.shardId(i), null, null,
                    new HashKeyRange(stream.startingHashKey(i).toString(), stream.endingHashKey(i).toString()),
                    new SequenceNumberRange(Sequences.format(0), null)));
        }
        return shards;
    }

    private static String encodeToken(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token, String kind) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (plain.startsWith(kind)) {
                return plain.substring(kind.length());
            }
        } catch (IllegalArgumentException e) {
            // Not one of ours: as below.
        }
        throw KinesisErrors.invalidArgument("Invalid NextToken.");
    }
}
