package io.stratus.dynamodb;

import io.stratus.dynamodb.ItemModel.ConsumedCapacity;
import io.stratus.dynamodb.ItemModel.ItemResponse;
import io.stratus.dynamodb.item.AttributeValue;
import java.util.List;
import java.util.Map;

/** The request and response records of DynamoDB's PartiQL operations, named as AWS names them. */
final class PartiqlModel {

    private PartiqlModel() {}

    record ExecuteStatementRequest(
            String statement,
            List<AttributeValue> parameters,
            Boolean consistentRead,
            String nextToken,
            String returnConsumedCapacity,
            Integer limit,
            String returnValuesOnConditionCheckFailure) {}

    record ExecuteStatementResponse(
            List<Map<String, AttributeValue>> items,
            String nextToken,
            ConsumedCapacity consumedCapacity,
            Map<String, AttributeValue> lastEvaluatedKey) {}

    record BatchStatementRequest(
            String statement, List<AttributeValue> parameters, Boolean consistentRead, String returnValuesOnConditionCheckFailure) {}

    record BatchExecuteStatementRequest(List<BatchStatementRequest> statements, String returnConsumedCapacity) {}

    record BatchStatementError(String code, String message, Map<String, AttributeValue> item) {}

    record BatchStatementResponse(BatchStatementError error, String tableName, Map<String, AttributeValue> item) {}

    record BatchExecuteStatementResponse(List<BatchStatementResponse> responses, List<ConsumedCapacity> consumedCapacity) {}

    record ParameterizedStatement(String statement, List<AttributeValue> parameters, String returnValuesOnConditionCheckFailure) {}

    record ExecuteTransactionRequest(List<ParameterizedStatement> transactStatements, String clientRequestToken, String returnConsumedCapacity) {}

    record ExecuteTransactionResponse(List<ItemResponse> responses, List<ConsumedCapacity> consumedCapacity) {}
}
