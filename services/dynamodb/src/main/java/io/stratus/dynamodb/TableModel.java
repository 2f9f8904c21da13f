package io.stratus.dynamodb;

import java.time.Instant;
import java.util.List;

/** The request and response records of DynamoDB's table operations, named as AWS names them. */
final class TableModel {

    private TableModel() {}

    record AttributeDefinition(String attributeName, String attributeType) {}

    record KeySchemaElement(String attributeName, String keyType) {}

    record Projection(String projectionType, List<String> nonKeyAttributes) {}

    record ProvisionedThroughput(Long readCapacityUnits, Long writeCapacityUnits) {}

    record ProvisionedThroughputDescription(Long numberOfDecreasesToday, Long readCapacityUnits, Long writeCapacityUnits) {}

    record OnDemandThroughput(Long maxReadRequestUnits, Long maxWriteRequestUnits) {}

    record GlobalSecondaryIndex(String indexName, List<KeySchemaElement> keySchema, Projection projection, ProvisionedThroughput provisionedThroughput) {}

    record LocalSecondaryIndex(String indexName, List<KeySchemaElement> keySchema, Projection projection) {}

    record StreamSpecification(Boolean streamEnabled, String streamViewType) {}

    record Tag(String key, String value) {}

    record BillingModeSummary(String billingMode, Instant lastUpdateToPayPerRequestDateTime) {}

    record GlobalSecondaryIndexDescription(
            String indexName, List<KeySchemaElement> keySchema, Projection projection, String indexStatus, Boolean backfilling,
            ProvisionedThroughputDescription provisionedThroughput, Long indexSizeBytes, Long itemCount, String indexArn) {}

    record LocalSecondaryIndexDescription(
            String indexName, List<KeySchemaElement> keySchema, Projection projection, Long indexSizeBytes, Long itemCount, String indexArn) {}

    record TableClassSummary(String tableClass) {}

    record TableDescription(
            List<AttributeDefinition> attributeDefinitions,
            String tableName,
            List<KeySchemaElement> keySchema,
            String tableStatus,
            Instant creationDateTime,
            ProvisionedThroughputDescription provisionedThroughput,
            Long tableSizeBytes,
            Long itemCount,
            String tableArn,
            String tableId,
            BillingModeSummary billingModeSummary,
            List<LocalSecondaryIndexDescription> localSecondaryIndexes,
            List<GlobalSecondaryIndexDescription> globalSecondaryIndexes,
            StreamSpecification streamSpecification,
            String latestStreamLabel,
            String latestStreamArn,
            TableClassSummary tableClassSummary,
            Boolean deletionProtectionEnabled) {}

    record CreateTableRequest(
            List<AttributeDefinition> attributeDefinitions,
            String tableName,
            List<KeySchemaElement> keySchema,
            List<LocalSecondaryIndex> localSecondaryIndexes,
            List<GlobalSecondaryIndex> globalSecondaryIndexes,
            String billingMode,
            ProvisionedThroughput provisionedThroughput,
            StreamSpecification streamSpecification,
            List<Tag> tags,
            String tableClass,
            Boolean deletionProtectionEnabled) {}

    record TableDescriptionResponse(TableDescription tableDescription) {}

    record TableNameRequest(String tableName) {}

    record DescribeTableResponse(TableDescription table) {}

    record ListTablesRequest(String exclusiveStartTableName, Integer limit) {}

    record ListTablesResponse(List<String> tableNames, String lastEvaluatedTableName) {}

    record CreateGlobalSecondaryIndexAction(String indexName, List<KeySchemaElement> keySchema, Projection projection, ProvisionedThroughput provisionedThroughput) {}

    record UpdateGlobalSecondaryIndexAction(String indexName, ProvisionedThroughput provisionedThroughput) {}

    record DeleteGlobalSecondaryIndexAction(String indexName) {}

    record GlobalSecondaryIndexUpdate(CreateGlobalSecondaryIndexAction create, UpdateGlobalSecondaryIndexAction update, DeleteGlobalSecondaryIndexAction delete) {}

    record UpdateTableRequest(
            String tableName,
            List<AttributeDefinition> attributeDefinitions,
            String billingMode,
            ProvisionedThroughput provisionedThroughput,
            List<GlobalSecondaryIndexUpdate> globalSecondaryIndexUpdates,
            StreamSpecification streamSpecification,
            String tableClass,
            Boolean deletionProtectionEnabled) {}

    record TimeToLiveSpecification(Boolean enabled, String attributeName) {}

    record UpdateTimeToLiveRequest(String tableName, TimeToLiveSpecification timeToLiveSpecification) {}

    record UpdateTimeToLiveResponse(TimeToLiveSpecification timeToLiveSpecification) {}

    record TimeToLiveDescription(String timeToLiveStatus, String attributeName) {}

    record DescribeTimeToLiveResponse(TimeToLiveDescription timeToLiveDescription) {}

    record TagResourceRequest(String resourceArn, List<Tag> tags) {}

    record UntagResourceRequest(String resourceArn, List<String> tagKeys) {}

    record ListTagsOfResourceRequest(String resourceArn, String nextToken) {}

    record ListTagsOfResourceResponse(List<Tag> tags, String nextToken) {}

    record Empty() {}

    record Endpoint(String address, Long cachePeriodInMinutes) {}

    record DescribeEndpointsResponse(List<Endpoint> endpoints) {}

    record DescribeLimitsResponse(
            Long accountMaxReadCapacityUnits, Long accountMaxWriteCapacityUnits, Long tableMaxReadCapacityUnits, Long tableMaxWriteCapacityUnits) {}
}
