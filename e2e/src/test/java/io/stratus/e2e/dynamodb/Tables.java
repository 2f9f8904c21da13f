package io.stratus.e2e.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Tables and values the DynamoDB tests share. */
final class Tables {

    private Tables() {}

    /** A pay-per-request table keyed by {@code pk} (S) and, when {@code sortType} is given, {@code sk}. */
    static void create(DynamoDbClient dynamo, String name, ScalarAttributeType sortType) {
        dynamo.createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            if (sortType == null) {
                r.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH));
            } else {
                r.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("sk").attributeType(sortType))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE));
            }
        });
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }
}
