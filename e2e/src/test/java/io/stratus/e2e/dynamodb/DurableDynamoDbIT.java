package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Acknowledged means durable: tables, items, index entries and deletes survive a restart on RocksDB. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableDynamoDbIT {

    @Test
    void tablesItemsAndIndexesSurviveRestart(Stratus stratus, DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName("durable").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("by-g").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamo.putItem(r -> r.tableName("durable").item(Map.of("pk", s("kept"), "g", s("x"), "v", n("1"))));
        dynamo.putItem(r -> r.tableName("durable").item(Map.of("pk", s("deleted"), "g", s("x"))));
        dynamo.updateItem(r -> r.tableName("durable").key(Tables.key("kept")).updateExpression("ADD v :one")
                .expressionAttributeValues(Map.of(":one", n("1"))));
        dynamo.deleteItem(r -> r.tableName("durable").key(Tables.key("deleted")));

        stratus.restart();

        assertThat(dynamo.getItem(r -> r.tableName("durable").key(Tables.key("kept"))).item()).containsEntry("v", n("2"));
        assertThat(dynamo.getItem(r -> r.tableName("durable").key(Tables.key("deleted"))).hasItem()).isFalse();
        assertThat(dynamo.query(r -> r.tableName("durable").indexName("by-g").keyConditionExpression("g = :g")
                .expressionAttributeValues(Map.of(":g", s("x")))).items()).extracting(i -> i.get("pk").s()).containsExactly("kept");
    }
}
