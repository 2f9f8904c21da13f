package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.Streams;
import io.stratus.kinesis.KinesisModel.AddTagsToStreamRequest;
import io.stratus.kinesis.KinesisModel.CreateStreamRequest;
import io.stratus.kinesis.KinesisModel.DeleteStreamRequest;
import io.stratus.kinesis.KinesisModel.DescribeStreamRequest;
import io.stratus.kinesis.KinesisModel.DescribeStreamSummaryRequest;
import io.stratus.kinesis.KinesisModel.GetRecordsRequest;
import io.stratus.kinesis.KinesisModel.GetShardIteratorRequest;
import io.stratus.kinesis.KinesisModel.ListShardsRequest;
import io.stratus.kinesis.KinesisModel.ListStreamsRequest;
import io.stratus.kinesis.KinesisModel.ListTagsForStreamRequest;
import io.stratus.kinesis.KinesisModel.PutRecordRequest;
import io.stratus.kinesis.KinesisModel.PutRecordsRequest;
import io.stratus.kinesis.KinesisModel.RemoveTagsFromStreamRequest;
import io.stratus.kinesis.KinesisModel.RetentionRequest;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.storage.Store;
import java.time.Clock;

/**
 * Amazon Kinesis Data Streams over awsJson1_1 ({@code X-Amz-Target: Kinesis_20131202.<Operation>}),
 * in JSON or, as the AWS SDKs send it by default, CBOR: streams with a fixed number of shards,
 * records put and read in order, tags and retention. Operations not listed here answer
 * {@code UnknownOperationException}. Thread-safe.
 */
public final class KinesisService implements StratusService {

    private final ServiceDefinition definition;
    private final RecordTrimmer trimmer;
    private final ChangeFeed changeFeed;
    private final Streams streams;

    public KinesisService(Store store, Clock clock) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        StreamOperations streams = new StreamOperations(store, clock);
        RecordOperations records = new RecordOperations(store, clock);
        this.trimmer = new RecordTrimmer(store, clock);
        this.changeFeed = new KinesisChangeFeed(store, clock);
        this.streams = new KinesisStreams(store, records);
        this.definition = ServiceDefinition.builder("kinesis")
                .protocol(Protocol.AWS_JSON_1_1)
                .protocol(Protocol.AWS_CBOR_1_1)
                .targetPrefix("Kinesis_20131202")
                .operation("CreateStream", CreateStreamRequest.class, streams::createStream)
                .operation("DeleteStream", DeleteStreamRequest.class, streams::deleteStream)
                .operation("DescribeStream", DescribeStreamRequest.class, streams::describeStream)
                .operation("DescribeStreamSummary", DescribeStreamSummaryRequest.class, streams::describeStreamSummary)
                .operation("ListStreams", ListStreamsRequest.class, streams::listStreams)
                .operation("ListShards", ListShardsRequest.class, streams::listShards)
                .operation("UpdateStreamMode", KinesisModel.UpdateStreamModeRequest.class, streams::updateStreamMode)
                .operation("DescribeLimits", KinesisModel.DescribeLimitsRequest.class, streams::describeLimits)
                .operation("IncreaseStreamRetentionPeriod", RetentionRequest.class, streams::increaseRetention)
                .operation("DecreaseStreamRetentionPeriod", RetentionRequest.class, streams::decreaseRetention)
                .operation("AddTagsToStream", AddTagsToStreamRequest.class, streams::addTags)
                .operation("RemoveTagsFromStream", RemoveTagsFromStreamRequest.class, streams::removeTags)
                .operation("ListTagsForStream", ListTagsForStreamRequest.class, streams::listTags)
                .operation("TagResource", KinesisModel.TagResourceRequest.class, streams::tagResource)
                .operation("UntagResource", KinesisModel.UntagResourceRequest.class, streams::untagResource)
                .operation("ListTagsForResource", KinesisModel.ListTagsForResourceRequest.class, streams::listTagsForResource)
                .operation("PutRecord", PutRecordRequest.class, records::putRecord)
                .operation("PutRecords", PutRecordsRequest.class, records::putRecords)
                .operation("GetShardIterator", GetShardIteratorRequest.class, records::getShardIterator)
                .operation("GetRecords", GetRecordsRequest.class, records::getRecords)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    /** The streams as other services put records into them (through {@code Targets}). */
    public Streams streams() {
        return streams;
    }

    /** The streams as Lambda's event source mappings read them. */
    public ChangeFeed changeFeed() {
        return changeFeed;
    }

    @Override
    public void start() {
        trimmer.start();
    }

    @Override
    public void close() {
        trimmer.close();
    }
}
