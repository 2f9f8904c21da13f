package io.stratus.logs;

import java.util.List;
import java.util.Map;

/** The request and response records of the CloudWatch Logs operations, named as AWS names them. */
final class LogsModel {

    private LogsModel() {}

    record Empty() {}

    record CreateLogGroupRequest(String logGroupName, String kmsKeyId, Map<String, String> tags, String logGroupClass) {}

    record LogGroupNameRequest(String logGroupName) {}

    record DescribeLogGroupsRequest(String logGroupNamePrefix, String logGroupNamePattern, String nextToken, Integer limit,
            String logGroupClass) {}

    record DescribeLogGroupsResponse(List<LogGroupDescription> logGroups, String nextToken) {}

    record LogGroupDescription(String logGroupName, Long creationTime, Integer retentionInDays, Integer metricFilterCount, String arn,
            Long storedBytes, String kmsKeyId, String logGroupClass, String logGroupArn) {}

    record LogStreamRequest(String logGroupName, String logStreamName) {}

    record DescribeLogStreamsRequest(String logGroupName, String logGroupIdentifier, String logStreamNamePrefix, String orderBy,
            Boolean descending, String nextToken, Integer limit) {}

    record DescribeLogStreamsResponse(List<LogStreamDescription> logStreams, String nextToken) {}

    record LogStreamDescription(String logStreamName, Long creationTime, Long firstEventTimestamp, Long lastEventTimestamp,
            Long lastIngestionTime, String uploadSequenceToken, String arn, Long storedBytes) {}

    record InputLogEvent(Long timestamp, String message) {}

    record PutLogEventsRequest(String logGroupName, String logStreamName, List<InputLogEvent> logEvents, String sequenceToken) {}

    record PutLogEventsResponse(String nextSequenceToken, RejectedLogEventsInfo rejectedLogEventsInfo) {}

    record RejectedLogEventsInfo(Integer tooNewLogEventStartIndex, Integer tooOldLogEventEndIndex, Integer expiredLogEventEndIndex) {}

    record GetLogEventsRequest(String logGroupName, String logGroupIdentifier, String logStreamName, Long startTime, Long endTime,
            String nextToken, Integer limit, Boolean startFromHead) {}

    record OutputLogEvent(Long timestamp, String message, Long ingestionTime) {}

    record GetLogEventsResponse(List<OutputLogEvent> events, String nextForwardToken, String nextBackwardToken) {}

    record FilterLogEventsRequest(String logGroupName, String logGroupIdentifier, List<String> logStreamNames, String logStreamNamePrefix,
            Long startTime, Long endTime, String filterPattern, String nextToken, Integer limit, Boolean interleaved) {}

    record FilteredLogEvent(String logStreamName, Long timestamp, String message, Long ingestionTime, String eventId) {}

    record SearchedLogStream(String logStreamName, Boolean searchedCompletely) {}

    record FilterLogEventsResponse(List<FilteredLogEvent> events, List<SearchedLogStream> searchedLogStreams, String nextToken) {}

    record PutRetentionPolicyRequest(String logGroupName, Integer retentionInDays) {}

    record TagResourceRequest(String resourceArn, Map<String, String> tags) {}

    record UntagResourceRequest(String resourceArn, List<String> tagKeys) {}

    record ListTagsForResourceRequest(String resourceArn) {}

    record TagsResponse(Map<String, String> tags) {}

    record TagLogGroupRequest(String logGroupName, Map<String, String> tags) {}

    record UntagLogGroupRequest(String logGroupName, List<String> tags) {}

    record PutSubscriptionFilterRequest(String logGroupName, String filterName, String filterPattern, String destinationArn, String roleArn,
            String distribution, Boolean applyOnTransformedLogs, String fieldSelectionCriteria, List<String> emitSystemFields) {}

    record DescribeSubscriptionFiltersRequest(String logGroupName, String filterNamePrefix, String nextToken, Integer limit) {}

    record SubscriptionFilterDescription(String filterName, String logGroupName, String filterPattern, String destinationArn, String roleArn,
            String distribution, Boolean applyOnTransformedLogs, Long creationTime) {}

    record DescribeSubscriptionFiltersResponse(List<SubscriptionFilterDescription> subscriptionFilters, String nextToken) {}

    record DeleteSubscriptionFilterRequest(String logGroupName, String filterName) {}

    record StartQueryRequest(String queryLanguage, String logGroupName, List<String> logGroupNames, List<String> logGroupIdentifiers,
            Long startTime, Long endTime, String queryString, Integer limit) {}

    record StartQueryResponse(String queryId) {}

    record QueryIdRequest(String queryId) {}

    record ResultField(String field, String value) {}

    record QueryStatistics(Double recordsMatched, Double recordsScanned, Double bytesScanned) {}

    record GetQueryResultsResponse(String queryLanguage, List<List<ResultField>> results, QueryStatistics statistics, String status) {}

    record StopQueryResponse(Boolean success) {}

    record DescribeQueriesRequest(String logGroupName, String status, Integer maxResults, String nextToken, String queryLanguage) {}

    record QueryInfo(String queryLanguage, String queryId, String queryString, String status, Long createTime, String logGroupName) {}

    record DescribeQueriesResponse(List<QueryInfo> queries, String nextToken) {}

    record GetLogRecordRequest(String logRecordPointer, Boolean unmask) {}

    record GetLogRecordResponse(Map<String, String> logRecord) {}

    record PutQueryDefinitionRequest(String queryLanguage, String name, String queryDefinitionId, List<String> logGroupNames,
            String queryString, String clientToken) {}

    record PutQueryDefinitionResponse(String queryDefinitionId) {}

    record DescribeQueryDefinitionsRequest(String queryLanguage, String queryDefinitionNamePrefix, Integer maxResults, String nextToken) {}

    record QueryDefinition(String queryLanguage, String queryDefinitionId, String name, String queryString, Long lastModified,
            List<String> logGroupNames) {}

    record DescribeQueryDefinitionsResponse(List<QueryDefinition> queryDefinitions, String nextToken) {}

    record DeleteQueryDefinitionRequest(String queryDefinitionId) {}

    record DeleteQueryDefinitionResponse(Boolean success) {}
}
