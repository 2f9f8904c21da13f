package io.stratus.logs;

import static io.stratus.logs.LogsModel.CreateLogGroupRequest;
import static io.stratus.logs.LogsModel.DeleteQueryDefinitionRequest;
import static io.stratus.logs.LogsModel.DeleteSubscriptionFilterRequest;
import static io.stratus.logs.LogsModel.DescribeLogGroupsRequest;
import static io.stratus.logs.LogsModel.DescribeLogStreamsRequest;
import static io.stratus.logs.LogsModel.DescribeQueriesRequest;
import static io.stratus.logs.LogsModel.DescribeQueryDefinitionsRequest;
import static io.stratus.logs.LogsModel.DescribeSubscriptionFiltersRequest;
import static io.stratus.logs.LogsModel.FilterLogEventsRequest;
import static io.stratus.logs.LogsModel.GetLogEventsRequest;
import static io.stratus.logs.LogsModel.GetLogRecordRequest;
import static io.stratus.logs.LogsModel.ListTagsForResourceRequest;
import static io.stratus.logs.LogsModel.LogGroupNameRequest;
import static io.stratus.logs.LogsModel.LogStreamRequest;
import static io.stratus.logs.LogsModel.PutLogEventsRequest;
import static io.stratus.logs.LogsModel.PutQueryDefinitionRequest;
import static io.stratus.logs.LogsModel.PutRetentionPolicyRequest;
import static io.stratus.logs.LogsModel.PutSubscriptionFilterRequest;
import static io.stratus.logs.LogsModel.QueryIdRequest;
import static io.stratus.logs.LogsModel.StartQueryRequest;
import static io.stratus.logs.LogsModel.TagLogGroupRequest;
import static io.stratus.logs.LogsModel.TagResourceRequest;
import static io.stratus.logs.LogsModel.UntagLogGroupRequest;
import static io.stratus.logs.LogsModel.UntagResourceRequest;
import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.Logs;
import io.stratus.core.spi.Targets;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * Amazon CloudWatch Logs over awsJson1_1 ({@code X-Amz-Target: Logs_20140328.<Operation>}): log
 * groups with retention and tags, streams, and events written with PutLogEvents or by other
 * services through {@link #logs()}, read with GetLogEvents and FilterLogEvents (filter patterns),
 * queried with Logs Insights, and sent on to Lambda functions by subscription filters. Operations
 * not declared here (metric filters, exports, live tail) answer the protocol's unknown-operation error.
 * Thread-safe.
 */
public final class LogsService implements StratusService {

    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final ServiceDefinition definition;
    private final LogsWriter writer;
    private final RetentionSweeper sweeper;
    private final SubscriptionDeliveries deliveries;

    /**
     * @param store where groups, streams and events live
     * @param targets where subscription filters send what they match
     * @param clock the time of creation, ingestion and retention
     */
    public LogsService(Store store, Targets targets, Clock clock) {
        requireNonNull(store, "store is null");
        requireNonNull(targets, "targets is null");
        requireNonNull(clock, "clock is null");
        LogStore logs = new LogStore(store);
        GroupOperations groups = new GroupOperations(logs, clock);
        StreamOperations streams = new StreamOperations(logs, clock);
        this.deliveries = new SubscriptionDeliveries(store, targets, clock);
        EventOperations events = new EventOperations(logs, deliveries, clock);
        SubscriptionOperations subscriptions = new SubscriptionOperations(logs, targets, clock);
        this.writer = new LogsWriter(groups, streams, events, clock);
        QueryOperations queries = new QueryOperations(logs, clock);
        QueryDefinitionOperations definitions = new QueryDefinitionOperations(logs, clock);
        this.sweeper = new RetentionSweeper(logs, groups, queries, clock, SWEEP_INTERVAL);
        this.definition = ServiceDefinition.builder("logs")
                .protocol(Protocol.AWS_JSON_1_1)
                .targetPrefix("Logs_20140328")
                .naming(MemberNaming.CAMEL_CASE)
                .operation("CreateLogGroup", CreateLogGroupRequest.class, groups::createLogGroup)
                .operation("DeleteLogGroup", LogGroupNameRequest.class, groups::deleteLogGroup)
                .operation("DescribeLogGroups", DescribeLogGroupsRequest.class, groups::describeLogGroups)
                .operation("PutRetentionPolicy", PutRetentionPolicyRequest.class, groups::putRetentionPolicy)
                .operation("DeleteRetentionPolicy", LogGroupNameRequest.class, groups::deleteRetentionPolicy)
                .operation("TagResource", TagResourceRequest.class, groups::tagResource)
                .operation("UntagResource", UntagResourceRequest.class, groups::untagResource)
                .operation("ListTagsForResource", ListTagsForResourceRequest.class, groups::listTagsForResource)
                .operation("TagLogGroup", TagLogGroupRequest.class, groups::tagLogGroup)
                .operation("UntagLogGroup", UntagLogGroupRequest.class, groups::untagLogGroup)
                .operation("ListTagsLogGroup", LogGroupNameRequest.class, groups::listTagsLogGroup)
                .operation("CreateLogStream", LogStreamRequest.class, streams::createLogStream)
                .operation("DeleteLogStream", LogStreamRequest.class, streams::deleteLogStream)
                .operation("DescribeLogStreams", DescribeLogStreamsRequest.class, streams::describeLogStreams)
                .operation("PutLogEvents", PutLogEventsRequest.class, events::putLogEvents)
                .operation("GetLogEvents", GetLogEventsRequest.class, events::getLogEvents)
                .operation("FilterLogEvents", FilterLogEventsRequest.class, events::filterLogEvents)
                .operation("PutSubscriptionFilter", PutSubscriptionFilterRequest.class, subscriptions::putSubscriptionFilter)
                .operation("DescribeSubscriptionFilters", DescribeSubscriptionFiltersRequest.class, subscriptions::describeSubscriptionFilters)
                .operation("DeleteSubscriptionFilter", DeleteSubscriptionFilterRequest.class, subscriptions::deleteSubscriptionFilter)
                .operation("StartQuery", StartQueryRequest.class, queries::startQuery)
                .operation("GetQueryResults", QueryIdRequest.class, queries::getQueryResults)
                .operation("StopQuery", QueryIdRequest.class, queries::stopQuery)
                .operation("DescribeQueries", DescribeQueriesRequest.class, queries::describeQueries)
                .operation("GetLogRecord", GetLogRecordRequest.class, queries::getLogRecord)
                .operation("PutQueryDefinition", PutQueryDefinitionRequest.class, definitions::putQueryDefinition)
                .operation("DescribeQueryDefinitions", DescribeQueryDefinitionsRequest.class, definitions::describeQueryDefinitions)
                .operation("DeleteQueryDefinition", DeleteQueryDefinitionRequest.class, definitions::deleteQueryDefinition)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    /** How other services write their logs here. */
    public Logs logs() {
        return writer;
    }

    @Override
    public void start() {
        sweeper.start();
        deliveries.start();
    }

    @Override
    public void close() {
        sweeper.close();
        deliveries.close();
    }
}
