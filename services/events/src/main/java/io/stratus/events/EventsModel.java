package io.stratus.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The request and response records of the EventBridge operations, named as AWS names them. */
final class EventsModel {

    private EventsModel() {}

    record Empty() {}

    record Tag(String key, String value) {}

    record DeadLetterConfig(String arn) {}

    // Buses

    record CreateEventBusRequest(String name, String eventSourceName, String description, String kmsKeyIdentifier,
            DeadLetterConfig deadLetterConfig, List<Tag> tags) {}

    record CreateEventBusResponse(String eventBusArn, String description) {}

    record NameRequest(String name) {}

    record DescribeEventBusResponse(String name, String arn, String description, String policy, Instant creationTime,
            Instant lastModifiedTime) {}

    record ListEventBusesRequest(String namePrefix, String nextToken, Integer limit) {}

    record EventBusEntry(String name, String arn, String description, String policy, Instant creationTime, Instant lastModifiedTime) {}

    record ListEventBusesResponse(List<EventBusEntry> eventBuses, String nextToken) {}

    record Condition(String type, String key, String value) {}

    record PutPermissionRequest(String eventBusName, String action, String principal, String statementId, Condition condition,
            String policy) {}

    record RemovePermissionRequest(String statementId, Boolean removeAllPermissions, String eventBusName) {}

    // Rules

    record PutRuleRequest(String name, String scheduleExpression, String eventPattern, String state, String description, String roleArn,
            List<Tag> tags, String eventBusName) {}

    record PutRuleResponse(String ruleArn) {}

    record RuleRequest(String name, String eventBusName) {}

    record DeleteRuleRequest(String name, String eventBusName, Boolean force) {}

    record DescribeRuleResponse(String name, String arn, String eventPattern, String scheduleExpression, String state, String description,
            String roleArn, String managedBy, String eventBusName, String createdBy) {}

    record ListRulesRequest(String namePrefix, String eventBusName, String nextToken, Integer limit) {}

    record RuleEntry(String name, String arn, String eventPattern, String state, String description, String scheduleExpression,
            String roleArn, String managedBy, String eventBusName) {}

    record ListRulesResponse(List<RuleEntry> rules, String nextToken) {}

    // Targets

    record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {}

    record SqsParameters(String messageGroupId) {}

    record KinesisParameters(String partitionKeyPath) {}

    record RetryPolicy(Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds) {}

    /**
     * A rule's target as PutTargets takes it. Parameters for target kinds Stratus does not deliver
     * to (ECS, Batch, HTTP, …) are not members: such targets are refused.
     */
    record Target(String id, String arn, String roleArn, String input, String inputPath, InputTransformer inputTransformer,
            SqsParameters sqsParameters, DeadLetterConfig deadLetterConfig, RetryPolicy retryPolicy, KinesisParameters kinesisParameters) {}

    record PutTargetsRequest(String rule, String eventBusName, List<Target> targets) {}

    record FailedTarget(String targetId, String errorCode, String errorMessage) {}

    record TargetsResponse(Integer failedEntryCount, List<FailedTarget> failedEntries) {}

    record RemoveTargetsRequest(String rule, String eventBusName, List<String> ids, Boolean force) {}

    record ListTargetsByRuleRequest(String rule, String eventBusName, String nextToken, Integer limit) {}

    record ListTargetsByRuleResponse(List<Target> targets, String nextToken) {}

    record ListRuleNamesByTargetRequest(String targetArn, String eventBusName, String nextToken, Integer limit) {}

    record ListRuleNamesByTargetResponse(List<String> ruleNames, String nextToken) {}

    // Events

    record PutEventsRequestEntry(Instant time, String source, List<String> resources, String detailType, String detail, String eventBusName,
            String traceHeader) {}

    record PutEventsRequest(List<PutEventsRequestEntry> entries, String endpointId) {}

    record PutEventsResultEntry(String eventId, String errorCode, String errorMessage) {}

    record PutEventsResponse(Integer failedEntryCount, List<PutEventsResultEntry> entries) {}

    record TestEventPatternRequest(String eventPattern, String event) {}

    record TestEventPatternResponse(Boolean result) {}

    // Tags

    record TagResourceRequest(String resourceARN, List<Tag> tags) {}

    record UntagResourceRequest(String resourceARN, List<String> tagKeys) {}

    record ListTagsForResourceRequest(String resourceARN) {}

    record ListTagsForResourceResponse(List<Tag> tags) {}
}
