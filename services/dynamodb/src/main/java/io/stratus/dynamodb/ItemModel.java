package io.stratus.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.dynamodb.item.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of DynamoDB's item operations, named as AWS names them. The
 * legacy parameters (Expected, AttributesToGet, KeyConditions, …) are read as raw JSON only so that
 * a request using them is refused clearly rather than silently ignored.
 */
final class ItemModel {

    private ItemModel() {}

    record ConsumedCapacity(String tableName, Double capacityUnits) {}

    record ItemCollectionMetrics(Map<String, AttributeValue> itemCollectionKey, List<Double> sizeEstimateRangeGB) {}

    record PutItemRequest(
            String tableName,
            Map<String, AttributeValue> item,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValues,
            String returnValuesOnConditionCheckFailure,
            String returnConsumedCapacity,
            String returnItemCollectionMetrics,
            JsonNode expected,
            JsonNode conditionalOperator) {}

    record PutItemResponse(Map<String, AttributeValue> attributes, ConsumedCapacity consumedCapacity, ItemCollectionMetrics itemCollectionMetrics) {}

    record GetItemRequest(
            String tableName,
            Map<String, AttributeValue> key,
            Boolean consistentRead,
            String projectionExpression,
            Map<String, String> expressionAttributeNames,
            String returnConsumedCapacity,
            JsonNode attributesToGet) {}

    record GetItemResponse(Map<String, AttributeValue> item, ConsumedCapacity consumedCapacity) {}

    record UpdateItemRequest(
            String tableName,
            Map<String, AttributeValue> key,
            String updateExpression,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValues,
            String returnValuesOnConditionCheckFailure,
            String returnConsumedCapacity,
            String returnItemCollectionMetrics,
            JsonNode attributeUpdates,
            JsonNode expected,
            JsonNode conditionalOperator) {}

    record UpdateItemResponse(Map<String, AttributeValue> attributes, ConsumedCapacity consumedCapacity, ItemCollectionMetrics itemCollectionMetrics) {}

    record DeleteItemRequest(
            String tableName,
            Map<String, AttributeValue> key,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValues,
            String returnValuesOnConditionCheckFailure,
            String returnConsumedCapacity,
            String returnItemCollectionMetrics,
            JsonNode expected,
            JsonNode conditionalOperator) {}

    record DeleteItemResponse(Map<String, AttributeValue> attributes, ConsumedCapacity consumedCapacity, ItemCollectionMetrics itemCollectionMetrics) {}

    record QueryRequest(
            String tableName,
            String indexName,
            String select,
            Integer limit,
            Boolean consistentRead,
            String keyConditionExpression,
            String filterExpression,
            String projectionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            Boolean scanIndexForward,
            Map<String, AttributeValue> exclusiveStartKey,
            String returnConsumedCapacity,
            JsonNode keyConditions,
            JsonNode queryFilter,
            JsonNode attributesToGet,
            JsonNode conditionalOperator) {}

    record ScanRequest(
            String tableName,
            String indexName,
            String select,
            Integer limit,
            Boolean consistentRead,
            String filterExpression,
            String projectionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            Map<String, AttributeValue> exclusiveStartKey,
            Integer segment,
            Integer totalSegments,
            String returnConsumedCapacity,
            JsonNode scanFilter,
            JsonNode attributesToGet,
            JsonNode conditionalOperator) {}

    /** The answer of Query and Scan. */
    record ReadResponse(
            List<Map<String, AttributeValue>> items,
            Integer count,
            Integer scannedCount,
            Map<String, AttributeValue> lastEvaluatedKey,
            ConsumedCapacity consumedCapacity) {}

    // Batches.

    record KeysAndAttributes(
            List<Map<String, AttributeValue>> keys,
            Boolean consistentRead,
            String projectionExpression,
            Map<String, String> expressionAttributeNames,
            JsonNode attributesToGet) {}

    record BatchGetItemRequest(Map<String, KeysAndAttributes> requestItems, String returnConsumedCapacity) {}

    record BatchGetItemResponse(
            Map<String, List<Map<String, AttributeValue>>> responses,
            Map<String, KeysAndAttributes> unprocessedKeys,
            List<ConsumedCapacity> consumedCapacity) {}

    record PutRequest(Map<String, AttributeValue> item) {}

    record DeleteRequest(Map<String, AttributeValue> key) {}

    record WriteRequest(PutRequest putRequest, DeleteRequest deleteRequest) {}

    record BatchWriteItemRequest(Map<String, List<WriteRequest>> requestItems, String returnConsumedCapacity, String returnItemCollectionMetrics) {}

    record BatchWriteItemResponse(Map<String, List<WriteRequest>> unprocessedItems, List<ConsumedCapacity> consumedCapacity,
            Map<String, List<ItemCollectionMetrics>> itemCollectionMetrics) {}

    // Transactions.

    record ConditionCheck(
            String tableName,
            Map<String, AttributeValue> key,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValuesOnConditionCheckFailure) {}

    record Put(
            String tableName,
            Map<String, AttributeValue> item,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValuesOnConditionCheckFailure) {}

    record Delete(
            String tableName,
            Map<String, AttributeValue> key,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValuesOnConditionCheckFailure) {}

    record Update(
            String tableName,
            Map<String, AttributeValue> key,
            String updateExpression,
            String conditionExpression,
            Map<String, String> expressionAttributeNames,
            Map<String, AttributeValue> expressionAttributeValues,
            String returnValuesOnConditionCheckFailure) {}

    record TransactWriteItem(ConditionCheck conditionCheck, Put put, Delete delete, Update update) {}

    record TransactWriteItemsRequest(
            List<TransactWriteItem> transactItems, String clientRequestToken, String returnConsumedCapacity, String returnItemCollectionMetrics) {}

    record TransactWriteItemsResponse(List<ConsumedCapacity> consumedCapacity, Map<String, List<ItemCollectionMetrics>> itemCollectionMetrics) {}

    record Get(String tableName, Map<String, AttributeValue> key, String projectionExpression, Map<String, String> expressionAttributeNames) {}

    record TransactGetItem(Get get) {}

    record TransactGetItemsRequest(List<TransactGetItem> transactItems, String returnConsumedCapacity) {}

    record ItemResponse(Map<String, AttributeValue> item) {}

    record TransactGetItemsResponse(List<ItemResponse> responses, List<ConsumedCapacity> consumedCapacity) {}

    /** One entry of TransactionCanceledException's CancellationReasons. */
    record CancellationReason(Map<String, AttributeValue> item, String code, String message) {}
}
