package io.stratus.dynamodb;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stratus.dynamodb.item.AttributeValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The request and response records of the DynamoDB Streams API, named as AWS names them. */
final class StreamsModel {

    private StreamsModel() {}

    record ListStreamsRequest(String tableName, Integer limit, String exclusiveStartStreamArn) {}

    /** AWS's {@code Stream} shape: one entry of ListStreams. */
    record StreamSummary(String streamArn, String tableName, String streamLabel) {}

    record ListStreamsResponse(List<StreamSummary> streams, String lastEvaluatedStreamArn) {}

    record DescribeStreamRequest(String streamArn, Integer limit, String exclusiveStartShardId) {}

    record SequenceNumberRange(String startingSequenceNumber, String endingSequenceNumber) {}

    record Shard(String shardId, SequenceNumberRange sequenceNumberRange, String parentShardId) {}

    record StreamDescription(
            String streamArn,
            String streamLabel,
            String streamStatus,
            String streamViewType,
            Instant creationRequestDateTime,
            String tableName,
            List<TableModel.KeySchemaElement> keySchema,
            List<Shard> shards,
            String lastEvaluatedShardId) {}

    record DescribeStreamResponse(StreamDescription streamDescription) {}

    record GetShardIteratorRequest(String streamArn, String shardId, String shardIteratorType, String sequenceNumber) {}

    record GetShardIteratorResponse(String shardIterator) {}

    record GetRecordsRequest(String shardIterator, Integer limit) {}

    record GetRecordsResponse(List<Record> records, String nextShardIterator) {}

    /** A stream record; unlike most of the API, its top-level members are camel case. */
    record Record(
            @JsonProperty("eventID") String eventId,
            @JsonProperty("eventName") String eventName,
            @JsonProperty("eventVersion") String eventVersion,
            @JsonProperty("eventSource") String eventSource,
            @JsonProperty("awsRegion") String awsRegion,
            @JsonProperty("dynamodb") StreamRecord dynamodb,
            @JsonProperty("userIdentity") Identity userIdentity) {}

    record StreamRecord(
            Instant approximateCreationDateTime,
            Map<String, AttributeValue> keys,
            Map<String, AttributeValue> newImage,
            Map<String, AttributeValue> oldImage,
            String sequenceNumber,
            Long sizeBytes,
            String streamViewType) {}

    record Identity(String principalId, String type) {}
}
