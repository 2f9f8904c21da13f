package io.stratus.kinesis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Kinesis Data Streams' requests and responses, named as in its API reference (members in PascalCase on the wire). */
final class KinesisModel {

    private KinesisModel() {}

    record StreamModeDetails(String streamMode) {}

    record HashKeyRange(String startingHashKey, String endingHashKey) {}

    record SequenceNumberRange(String startingSequenceNumber, String endingSequenceNumber) {}

    record Shard(String shardId, String parentShardId, String adjacentParentShardId, HashKeyRange hashKeyRange,
            SequenceNumberRange sequenceNumberRange) {}

    record EnhancedMetrics(List<String> shardLevelMetrics) {}

    record Tag(String key, String value) {}

    // ---- streams

    record CreateStreamRequest(String streamName, Integer shardCount, StreamModeDetails streamModeDetails, Map<String, String> tags) {}

    record DeleteStreamRequest(String streamName, String streamARN, Boolean enforceConsumerDeletion) {}

    record DescribeStreamRequest(String streamName, String streamARN, Integer limit, String exclusiveStartShardId) {}

    record StreamDescription(String streamName, String streamARN, String streamStatus, StreamModeDetails streamModeDetails, List<Shard> shards,
            boolean hasMoreShards, int retentionPeriodHours, Instant streamCreationTimestamp, List<EnhancedMetrics> enhancedMonitoring,
            String encryptionType) {}

    record DescribeStreamResponse(StreamDescription streamDescription) {}

    record DescribeStreamSummaryRequest(String streamName, String streamARN) {}

    record StreamDescriptionSummary(String streamName, String streamARN, String streamStatus, StreamModeDetails streamModeDetails,
            int retentionPeriodHours, Instant streamCreationTimestamp, List<EnhancedMetrics> enhancedMonitoring, String encryptionType,
            int openShardCount, int consumerCount) {}

    record DescribeStreamSummaryResponse(StreamDescriptionSummary streamDescriptionSummary) {}

    record ListStreamsRequest(Integer limit, String exclusiveStartStreamName, String nextToken) {}

    record StreamSummary(String streamName, String streamARN, String streamStatus, StreamModeDetails streamModeDetails,
            Instant streamCreationTimestamp) {}

    record ListStreamsResponse(List<String> streamNames, boolean hasMoreStreams, String nextToken, List<StreamSummary> streamSummaries) {}

    record ShardFilter(String type, String shardId, Instant timestamp) {}

    record ListShardsRequest(String streamName, String streamARN, String nextToken, String exclusiveStartShardId, Integer maxResults,
            Instant streamCreationTimestamp, ShardFilter shardFilter) {}

    record ListShardsResponse(List<Shard> shards, String nextToken) {}

    record RetentionRequest(String streamName, String streamARN, Integer retentionPeriodHours) {}

    record AddTagsToStreamRequest(String streamName, String streamARN, Map<String, String> tags) {}

    record RemoveTagsFromStreamRequest(String streamName, String streamARN, List<String> tagKeys) {}

    record ListTagsForStreamRequest(String streamName, String streamARN, String exclusiveStartTagKey, Integer limit) {}

    record ListTagsForStreamResponse(List<Tag> tags, boolean hasMoreTags) {}

    record TagResourceRequest(String resourceARN, Map<String, String> tags) {}

    record UntagResourceRequest(String resourceARN, List<String> tagKeys) {}

    record ListTagsForResourceRequest(String resourceARN) {}

    record ListTagsForResourceResponse(List<Tag> tags) {}

    record Empty() {}

    record UpdateStreamModeRequest(String streamARN, StreamModeDetails streamModeDetails) {}

    record DescribeLimitsRequest() {}

    record DescribeLimitsResponse(int shardLimit, int openShardCount, int onDemandStreamCount, int onDemandStreamCountLimit) {}

    // ---- records

    record PutRecordRequest(String streamName, String streamARN, byte[] data, String partitionKey, String explicitHashKey,
            String sequenceNumberForOrdering) {}

    record PutRecordResponse(String shardId, String sequenceNumber, String encryptionType) {}

    record PutRecordsRequestEntry(byte[] data, String explicitHashKey, String partitionKey) {}

    record PutRecordsRequest(String streamName, String streamARN, List<PutRecordsRequestEntry> records) {}

    record PutRecordsResultEntry(String sequenceNumber, String shardId, String errorCode, String errorMessage) {}

    record PutRecordsResponse(int failedRecordCount, List<PutRecordsResultEntry> records, String encryptionType) {}

    record GetShardIteratorRequest(String streamName, String streamARN, String shardId, String shardIteratorType, String startingSequenceNumber,
            Instant timestamp) {}

    record GetShardIteratorResponse(String shardIterator) {}

    record GetRecordsRequest(String shardIterator, Integer limit, String streamARN) {}

    record Record(String sequenceNumber, Instant approximateArrivalTimestamp, byte[] data, String partitionKey, String encryptionType) {}

    record ChildShard(String shardId, List<String> parentShards, HashKeyRange hashKeyRange) {}

    record GetRecordsResponse(List<Record> records, String nextShardIterator, long millisBehindLatest, List<ChildShard> childShards) {}
}
