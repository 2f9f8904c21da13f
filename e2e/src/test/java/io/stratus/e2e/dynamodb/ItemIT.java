package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** PutItem, GetItem, UpdateItem and DeleteItem through the SDK: values round-trip, conditions hold, ReturnValues as AWS. */
@StratusTest
class ItemIT {

    @Test
    void everyTypeRoundTripsAndNumbersComeBackCanonical(DynamoDbClient dynamo) {
        Tables.create(dynamo, "types", null);
        Map<String, AttributeValue> item = Map.of(
                "pk", s("a"),
                "n", n("01.50"),
                "big", n("1E+2"),
                "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bin")),
                "ss", AttributeValue.fromSs(List.of("x", "y")),
                "ns", AttributeValue.fromNs(List.of("1", "2.0")),
                "m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(s("e"), AttributeValue.fromNul(true))))),
                "bool", AttributeValue.fromBool(false),
                "empty", s(""));
        dynamo.putItem(r -> r.tableName("types").item(item));

        Map<String, AttributeValue> read = dynamo.getItem(r -> r.tableName("types").key(key("a")).consistentRead(true)).item();

        assertThat(read.get("n").n()).isEqualTo("1.5");
        assertThat(read.get("big").n()).isEqualTo("100");
        assertThat(read.get("b").b().asUtf8String()).isEqualTo("bin");
        assertThat(read.get("ss").ss()).containsExactlyInAnyOrder("x", "y");
        assertThat(read.get("ns").ns()).containsExactlyInAnyOrder("1", "2");
        assertThat(read.get("m").m().get("inner").l()).containsExactly(s("e"), AttributeValue.fromNul(true));
        assertThat(read.get("bool").bool()).isFalse();
        assertThat(read.get("empty").s()).isEmpty();
    }

    @Test
    void consumedCapacityIsReportedWhenAsked(DynamoDbClient dynamo) {
        Tables.create(dynamo, "capacity", null);

        var put = dynamo.putItem(r -> r.tableName("capacity").item(Map.of("pk", s("a"), "data", s("x".repeat(1500))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        var get = dynamo.getItem(r -> r.tableName("capacity").key(key("a")).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        var quiet = dynamo.getItem(r -> r.tableName("capacity").key(key("a")));

        assertThat(put.consumedCapacity().tableName()).isEqualTo("capacity");
        assertThat(put.consumedCapacity().capacityUnits()).isEqualTo(2.0);
        assertThat(get.consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(quiet.consumedCapacity()).isNull();
    }

    @Test
    void getOfAMissingItemHasNoItem(DynamoDbClient dynamo) {
        Tables.create(dynamo, "missing", null);

        assertThat(dynamo.getItem(r -> r.tableName("missing").key(key("nope"))).hasItem()).isFalse();
    }

    @Test
    void conditionalPutRefusesAnExistingItemAndReturnsItWhenAsked(DynamoDbClient dynamo) {
        Tables.create(dynamo, "cond", null);
        dynamo.putItem(r -> r.tableName("cond").item(Map.of("pk", s("a"), "v", n("1"))));

        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("cond").item(Map.of("pk", s("a"), "v", n("2")))
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ConditionalCheckFailedException");
                    assertThat(e.item()).containsEntry("v", n("1"));
                });
        assertThat(dynamo.getItem(r -> r.tableName("cond").key(key("a"))).item()).containsEntry("v", n("1"));
    }

    @Test
    void putReturnsTheOldItem(DynamoDbClient dynamo) {
        Tables.create(dynamo, "put-old", null);
        dynamo.putItem(r -> r.tableName("put-old").item(Map.of("pk", s("a"), "v", n("1"))));

        var old = dynamo.putItem(r -> r.tableName("put-old").item(Map.of("pk", s("a"), "v", n("2"))).returnValues(ReturnValue.ALL_OLD)).attributes();

        assertThat(old).containsEntry("v", n("1"));
    }

    @Test
    void updateAppliesEveryActionAndReturnsWhatWasAsked(DynamoDbClient dynamo) {
        Tables.create(dynamo, "upd", null);
        dynamo.putItem(r -> r.tableName("upd").item(Map.of(
                "pk", s("a"), "count", n("5"), "tags", AttributeValue.fromSs(List.of("x", "y")), "labels", AttributeValue.fromSs(List.of("x", "y")),
                "arr", AttributeValue.fromL(List.of(n("1"), n("2"))), "queue", AttributeValue.fromL(List.of(s("q0"), s("q1"))), "gone", s("bye"),
                "doc", AttributeValue.fromM(Map.of("k", s("v"))))));

        var response = dynamo.updateItem(r -> r.tableName("upd").key(key("a"))
                .updateExpression("SET #c = #c + :one, doc.k2 = :v, arr = list_append(arr, :more), fresh = if_not_exists(fresh, :zero) "
                        + "REMOVE gone, queue[0] ADD tags :z, added :one DELETE labels :x")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":one", n("1"), ":v", s("w"), ":more", AttributeValue.fromL(List.of(n("3"))),
                        ":zero", n("0"), ":z", AttributeValue.fromSs(List.of("z")), ":x", AttributeValue.fromSs(List.of("x"))))
                .returnValues(ReturnValue.ALL_NEW));

        Map<String, AttributeValue> item = response.attributes();
        assertThat(item.get("count")).isEqualTo(n("6"));
        assertThat(item.get("doc").m()).containsEntry("k", s("v")).containsEntry("k2", s("w"));
        assertThat(item.get("arr").l()).containsExactly(n("1"), n("2"), n("3"));
        assertThat(item.get("queue").l()).containsExactly(s("q1"));
        assertThat(item.get("fresh")).isEqualTo(n("0"));
        assertThat(item).doesNotContainKey("gone");
        assertThat(item.get("tags").ss()).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(item.get("labels").ss()).containsExactly("y");
        assertThat(item.get("added")).isEqualTo(n("1"));
    }

    @Test
    void updatedOldAndNewReturnOnlyTheUpdatedAttributes(DynamoDbClient dynamo) {
        Tables.create(dynamo, "upd-ret", null);
        dynamo.putItem(r -> r.tableName("upd-ret").item(Map.of("pk", s("a"), "x", n("1"), "y", n("2"))));

        var old = dynamo.updateItem(r -> r.tableName("upd-ret").key(key("a")).updateExpression("SET x = :v")
                .expressionAttributeValues(Map.of(":v", n("9"))).returnValues(ReturnValue.UPDATED_OLD)).attributes();
        var fresh = dynamo.updateItem(r -> r.tableName("upd-ret").key(key("a")).updateExpression("SET x = :v")
                .expressionAttributeValues(Map.of(":v", n("10"))).returnValues(ReturnValue.UPDATED_NEW)).attributes();

        assertThat(old).containsExactly(Map.entry("x", n("1")));
        assertThat(fresh).containsExactly(Map.entry("x", n("10")));
    }

    @Test
    void updateOfAMissingItemCreatesIt(DynamoDbClient dynamo) {
        Tables.create(dynamo, "upsert", null);

        dynamo.updateItem(r -> r.tableName("upsert").key(key("new")).updateExpression("ADD hits :one")
                .expressionAttributeValues(Map.of(":one", n("1"))));

        assertThat(dynamo.getItem(r -> r.tableName("upsert").key(key("new"))).item()).containsEntry("hits", n("1")).containsEntry("pk", s("new"));
    }

    @Test
    void deleteWithAFailingConditionKeepsTheItem(DynamoDbClient dynamo) {
        Tables.create(dynamo, "del", null);
        dynamo.putItem(r -> r.tableName("del").item(Map.of("pk", s("a"), "state", s("open"))));

        assertThatThrownBy(() -> dynamo.deleteItem(r -> r.tableName("del").key(key("a")).conditionExpression("#s = :closed")
                .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":closed", s("closed")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        var old = dynamo.deleteItem(r -> r.tableName("del").key(key("a")).returnValues(ReturnValue.ALL_OLD)).attributes();

        assertThat(old).containsEntry("state", s("open"));
        assertThat(dynamo.getItem(r -> r.tableName("del").key(key("a"))).hasItem()).isFalse();
    }

    @Test
    void projectionReturnsNestedPathsAndListElements(DynamoDbClient dynamo) {
        Tables.create(dynamo, "proj", null);
        dynamo.putItem(r -> r.tableName("proj").item(Map.of("pk", s("a"), "other", s("x"),
                "doc", AttributeValue.fromM(Map.of("a", s("1"), "b", s("2"))),
                "arr", AttributeValue.fromL(List.of(s("l0"), s("l1"), s("l2"))))));

        var item = dynamo.getItem(r -> r.tableName("proj").key(key("a")).projectionExpression("doc.b, arr[2], arr[0]")).item();

        assertThat(item).containsOnlyKeys("doc", "arr");
        assertThat(item.get("doc").m()).containsExactly(Map.entry("b", s("2")));
        assertThat(item.get("arr").l()).containsExactly(s("l0"), s("l2"));
    }
}
