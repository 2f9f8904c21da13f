package io.stratus.e2e.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The table lifecycle through the SDK: create, wait, describe, list, update, delete, tags, and their errors. */
@StratusTest
class TableIT {

    @Test
    void createdTableBecomesActiveForTheSdkWaiter(DynamoDbClient dynamo) {
        CreateTableResponse created = dynamo.createTable(r -> r.tableName("orders")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("gpk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("by-g").keySchema(k -> k.attributeName("gpk").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L)))
                .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                .tags(t -> t.key("team").value("checkout")));

        assertThat(created.tableDescription().tableStatus()).isEqualTo(TableStatus.CREATING);
        assertThat(created.tableDescription().tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/orders");

        var waited = dynamo.waiter().waitUntilTableExists(r -> r.tableName("orders"));
        TableDescription table = waited.matched().response().orElseThrow().table();
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "sk");
        assertThat(table.attributeDefinitions()).extracting(a -> a.attributeName()).containsExactly("pk", "sk", "gpk");
        assertThat(table.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(g -> {
            assertThat(g.indexName()).isEqualTo("by-g");
            assertThat(g.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
            assertThat(g.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
        });
        assertThat(dynamo.listTagsOfResource(r -> r.resourceArn(table.tableArn())).tags())
                .singleElement().satisfies(t -> assertThat(t.key()).isEqualTo("team"));
    }

    @Test
    void creatingAnExistingTableIsResourceInUse(DynamoDbClient dynamo) {
        Tables.create(dynamo, "twice", null);

        assertThatThrownBy(() -> Tables.create(dynamo, "twice", null))
                .isInstanceOfSatisfying(ResourceInUseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Table already exists: twice");
                });
    }

    @Test
    void describingAMissingTableIsResourceNotFoundInAwsWords(DynamoDbClient dynamo) {
        assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName("ghost")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Requested resource not found: Table: ghost not found");
                });
        assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName("ghost").key(Tables.key("a"))))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Requested resource not found"));
    }

    @Test
    void listTablesPagesInNameOrder(DynamoDbClient dynamo) {
        for (String name : List.of("list-c", "list-a", "list-b")) {
            Tables.create(dynamo, name, null);
        }

        List<String> names = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            ListTablesResponse page = dynamo.listTables(r -> r.limit(2).exclusiveStartTableName(from));
            assertThat(page.tableNames()).hasSizeLessThanOrEqualTo(2);
            names.addAll(page.tableNames());
            start = page.lastEvaluatedTableName();
        } while (start != null);

        assertThat(names.stream().filter(n -> n.startsWith("list-"))).containsExactly("list-a", "list-b", "list-c");
        assertThat(dynamo.listTablesPaginator(r -> r.limit(1)).tableNames().stream().filter(n -> n.startsWith("list-"))).hasSize(3);
    }

    @Test
    void deletedTableIsGoneAndItsNameReusableWithoutItsItems(DynamoDbClient dynamo) {
        Tables.create(dynamo, "reborn", null);
        dynamo.putItem(r -> r.tableName("reborn").item(Map.of("pk", Tables.s("old"))));

        var deleted = dynamo.deleteTable(r -> r.tableName("reborn")).tableDescription();
        assertThat(deleted.tableStatus()).isEqualTo(TableStatus.DELETING);
        dynamo.waiter().waitUntilTableNotExists(r -> r.tableName("reborn"));
        Tables.create(dynamo, "reborn", null);

        assertThat(dynamo.scan(r -> r.tableName("reborn")).items()).isEmpty();
        assertThatThrownBy(() -> dynamo.deleteTable(r -> r.tableName("never")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updateTableAddsAGlobalIndexFilledFromExistingItemsAndChangesBilling(DynamoDbClient dynamo) {
        Tables.create(dynamo, "grow", null);
        dynamo.putItem(r -> r.tableName("grow").item(Map.of("pk", Tables.s("a"), "color", Tables.s("red"))));
        dynamo.putItem(r -> r.tableName("grow").item(Map.of("pk", Tables.s("b"), "color", Tables.s("blue"))));
        dynamo.putItem(r -> r.tableName("grow").item(Map.of("pk", Tables.s("numbered"), "color", Tables.n("5"))));
        dynamo.putItem(r -> r.tableName("grow").item(Map.of("pk", Tables.s("colorless"))));

        dynamo.updateTable(r -> r.tableName("grow")
                .attributeDefinitions(a -> a.attributeName("color").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("by-color")
                        .keySchema(k -> k.attributeName("color").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))));
        dynamo.putItem(r -> r.tableName("grow").item(Map.of("pk", Tables.s("c"), "color", Tables.s("red"))));

        var reds = dynamo.query(r -> r.tableName("grow").indexName("by-color").keyConditionExpression("color = :c")
                .expressionAttributeValues(Map.of(":c", Tables.s("red")))).items();
        assertThat(reds).extracting(i -> i.get("pk").s()).containsExactlyInAnyOrder("a", "c");
        assertThat(dynamo.scan(r -> r.tableName("grow").indexName("by-color")).count()).as("items without a string color stay out").isEqualTo(3);

        dynamo.updateTable(r -> r.tableName("grow").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("by-color"))));
        assertThat(dynamo.describeTable(r -> r.tableName("grow")).table().hasGlobalSecondaryIndexes()).isFalse();

        var updating = dynamo.updateTable(r -> r.tableName("grow").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(3L).writeCapacityUnits(4L))).tableDescription();
        assertThat(updating.tableStatus()).isEqualTo(TableStatus.UPDATING);
        TableDescription table = dynamo.waiter().waitUntilTableExists(r -> r.tableName("grow")).matched().response().orElseThrow().table();
        assertThat(table.provisionedThroughput().writeCapacityUnits()).isEqualTo(4L);
        assertThat(table.billingModeSummary()).isNull();
    }

    @Test
    void tagsCanBeAddedListedAndRemoved(DynamoDbClient dynamo) {
        Tables.create(dynamo, "tagged", null);
        String arn = dynamo.describeTable(r -> r.tableName("tagged")).table().tableArn();

        dynamo.tagResource(r -> r.resourceArn(arn).tags(t -> t.key("a").value("1"), t -> t.key("b").value("2")));
        dynamo.untagResource(r -> r.resourceArn(arn).tagKeys("a"));

        assertThat(dynamo.listTagsOfResource(r -> r.resourceArn(arn)).tags()).singleElement()
                .satisfies(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("b=2"));
    }

    @Test
    void badDefinitionsAreValidationErrorsInAwsWords(DynamoDbClient dynamo) {
        assertValidation(() -> dynamo.createTable(r -> r.tableName("bad")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)).billingMode(BillingMode.PAY_PER_REQUEST)),
                "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]");
        assertValidation(() -> dynamo.createTable(r -> r.tableName("bad")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("extra").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)).billingMode(BillingMode.PAY_PER_REQUEST)),
                "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        assertValidation(() -> dynamo.createTable(r -> r.tableName("bad")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))),
                "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        assertValidation(() -> dynamo.createTable(r -> r.tableName("x")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)).billingMode(BillingMode.PAY_PER_REQUEST)),
                "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
    }

    @Test
    void deletionProtectionRefusesDeleteUntilTurnedOffAndTableClassIsKept(DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName("guarded").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .deletionProtectionEnabled(true).tableClass(TableClass.STANDARD_INFREQUENT_ACCESS));

        TableDescription described = dynamo.describeTable(r -> r.tableName("guarded")).table();
        assertThat(described.deletionProtectionEnabled()).isTrue();
        assertThat(described.tableClassSummary().tableClass()).isEqualTo(TableClass.STANDARD_INFREQUENT_ACCESS);
        assertThatThrownBy(() -> dynamo.deleteTable(r -> r.tableName("guarded")))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(dynamo.describeTable(r -> r.tableName("guarded")).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);

        dynamo.updateTable(r -> r.tableName("guarded").deletionProtectionEnabled(false).tableClass(TableClass.STANDARD));
        TableDescription updated = dynamo.describeTable(r -> r.tableName("guarded")).table();
        dynamo.deleteTable(r -> r.tableName("guarded"));

        assertThat(updated.deletionProtectionEnabled()).isFalse();
        assertThat(updated.tableClassSummary().tableClass()).isEqualTo(TableClass.STANDARD);
        assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName("guarded"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void describeLimitsAndEndpointsGiveAwsDefaults(DynamoDbClient dynamo) {
        var limits = dynamo.describeLimits(r -> { });
        var endpoints = dynamo.describeEndpoints(r -> { });

        assertThat(limits.accountMaxReadCapacityUnits()).isEqualTo(80_000L);
        assertThat(limits.accountMaxWriteCapacityUnits()).isEqualTo(80_000L);
        assertThat(limits.tableMaxReadCapacityUnits()).isEqualTo(40_000L);
        assertThat(limits.tableMaxWriteCapacityUnits()).isEqualTo(40_000L);
        assertThat(endpoints.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.address()).isEqualTo("dynamodb.us-east-1.amazonaws.com");
            assertThat(e.cachePeriodInMinutes()).isEqualTo(1440L);
        });
    }

    @Test
    void tablesCanBeNamedByTheirArn(DynamoDbClient dynamo) {
        Tables.create(dynamo, "by-arn", null);
        String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/by-arn";

        dynamo.putItem(r -> r.tableName(arn).item(Map.of("pk", Tables.s("a"))));

        assertThat(dynamo.describeTable(r -> r.tableName(arn)).table().tableName()).isEqualTo("by-arn");
        assertThat(dynamo.getItem(r -> r.tableName("by-arn").key(Tables.key("a"))).hasItem()).isTrue();
        assertThat(dynamo.batchGetItem(r -> r.requestItems(Map.of(arn,
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(Tables.key("a")).build()))).responses())
                .containsOnlyKeys(arn);
        assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName("arn:aws:dynamodb:eu-west-1:000000000000:table/by-arn").key(Tables.key("a"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updateTableWithNothingToChangeIsRefused(DynamoDbClient dynamo) {
        Tables.create(dynamo, "unchanged", null);

        assertValidation(() -> dynamo.updateTable(r -> r.tableName("unchanged")),
                "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    }

    static void assertValidation(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }
}
