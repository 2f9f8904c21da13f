package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.dynamodb.StreamsModel.DescribeStreamRequest;
import io.stratus.dynamodb.StreamsModel.GetRecordsRequest;
import io.stratus.dynamodb.StreamsModel.GetShardIteratorRequest;
import io.stratus.dynamodb.StreamsModel.ListStreamsRequest;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.storage.Store;
import java.time.Clock;

/**
 * Amazon DynamoDB Streams over awsJson1_0 ({@code X-Amz-Target: DynamoDBStreams_20120810.<Operation>},
 * signed as {@code dynamodb}): ListStreams, DescribeStream, GetShardIterator, GetRecords over the
 * records {@link DynamoDbService} writes. Its workers (trimming past retention) run with
 * {@link DynamoDbService}; this service has none of its own. Thread-safe.
 */
public final class DynamoDbStreamsService implements StratusService {

    private final ServiceDefinition definition;

    DynamoDbStreamsService(Store store, Clock clock) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        StreamsOperations operations = new StreamsOperations(store, clock);
        this.definition = ServiceDefinition.builder("dynamodbstreams")
                .signingName("dynamodb")
                .protocol(Protocol.AWS_JSON_1_0)
                .targetPrefix("DynamoDBStreams_20120810")
                .errorNamespace("com.amazonaws.dynamodb.v20120810")
                .crc32Header()
                .operation("ListStreams", ListStreamsRequest.class, operations::listStreams)
                .operation("DescribeStream", DescribeStreamRequest.class, operations::describeStream)
                .operation("GetShardIterator", GetShardIteratorRequest.class, operations::getShardIterator)
                .operation("GetRecords", GetRecordsRequest.class, operations::getRecords)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }
}
