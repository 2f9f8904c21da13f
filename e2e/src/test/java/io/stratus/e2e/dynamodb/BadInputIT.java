package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Bad input answers AWS's error code, status and wording, never a 500; raw requests for what the SDK would not send. */
@StratusTest
class BadInputIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> raw(Stratus stratus, String operation, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, String type, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\"");
        if (message != null) {
            assertThat(response.body()).contains("\"message\":\"" + message + "\"");
        }
    }

    @Test
    void malformedJsonIsASerializationException(Stratus stratus) throws Exception {
        assertError(raw(stratus, "ListTables", "{not json"), "SerializationException", null);
        assertError(raw(stratus, "PutItem", "{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":5}}}"), "SerializationException", null);
    }

    @Test
    void operationsStratusDoesNotServeAreUnknown(Stratus stratus) throws Exception {
        HttpResponse<String> response = raw(stratus, "CreateBackup", "{\"TableName\":\"t\",\"BackupName\":\"b\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("UnknownOperationException");
    }

    @Test
    void responsesCarryTheCrc32OfTheirBody(Stratus stratus) throws Exception {
        for (HttpResponse<String> response : new HttpResponse[] {raw(stratus, "ListTables", "{}"), raw(stratus, "DescribeTable", "{\"TableName\":\"none\"}")}) {
            CRC32 crc = new CRC32();
            crc.update(response.body().getBytes(StandardCharsets.UTF_8));
            assertThat(response.headers().firstValue("x-amz-crc32")).hasValue(Long.toString(crc.getValue()));
        }
    }

    @Test
    void attributeValuesWithNoneOrTwoTypesAreRefused(Stratus stratus, DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "bad-values", null);

        assertError(raw(stratus, "PutItem", "{\"TableName\":\"bad-values\",\"Item\":{\"pk\":{\"S\":\"a\",\"N\":\"1\"}}}"), "ValidationException",
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        assertError(raw(stratus, "PutItem", "{\"TableName\":\"bad-values\",\"Item\":{\"pk\":{}}}"), "ValidationException",
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        assertError(raw(stratus, "PutItem", "{\"TableName\":\"bad-values\",\"Item\":{\"pk\":{\"S\":\"a\"},\"s\":{\"SS\":[\"x\",\"x\"]}}}"), "ValidationException",
                "One or more parameter values were invalid: Input collection [x, x] contains duplicates.");
        assertError(raw(stratus, "PutItem", "{\"TableName\":\"bad-values\",\"Item\":{\"pk\":{\"S\":\"a\"},\"s\":{\"SS\":[]}}}"), "ValidationException",
                "One or more parameter values were invalid: An string set  may not be empty");
        assertError(raw(stratus, "PutItem", "{\"TableName\":\"bad-values\",\"Item\":{\"pk\":{\"S\":\"a\"}},\"ConditionExpression\":\"a = :value\","
                + "\"ExpressionAttributeValues\":{\":value\":{\"SS\":[]}}}"), "ValidationException",
                "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :value");
    }

    @Test
    void deepNestingAndLoneSurrogatesInKeysAreValidationErrorsNeverServerErrors(Stratus stratus, DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "bad-nesting", null);
        String nested = "{\"S\":\"x\"}";
        for (int i = 0; i < 33; i++) {
            nested = "{\"L\":[" + nested + "]}";
        }

        assertError(raw(stratus, "PutItem", "{\"TableName\":\"bad-nesting\",\"Item\":{\"pk\":{\"S\":\"a\"},\"deep\":" + nested + "}}"),
                "ValidationException", "Nesting Levels have exceeded supported limits");
        assertError(raw(stratus, "Query", "{\"TableName\":\"bad-nesting\",\"KeyConditionExpression\":\"pk = :p\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"\\ud800\"}}}"), "ValidationException", null);
        assertError(raw(stratus, "GetItem", "{\"TableName\":\"bad-nesting\",\"Key\":{\"pk\":{\"S\":\"\\ud800\"}}}"), "ValidationException", null);
        // Outside keys a lone surrogate is only data: stored and read back, never a server error.
        assertThat(raw(stratus, "PutItem", "{\"TableName\":\"bad-nesting\",\"Item\":{\"pk\":{\"S\":\"a\"},\"x\":{\"S\":\"\\udc00\"}}}").statusCode())
                .isEqualTo(200);
        assertThat(raw(stratus, "GetItem", "{\"TableName\":\"bad-nesting\",\"Key\":{\"pk\":{\"S\":\"a\"}}}").statusCode()).isEqualTo(200);
    }

    @Test
    void numbersOutOfRangeOrPrecisionAreRefused(DynamoDbClient dynamo) {
        Tables.create(dynamo, "bad-numbers", null);

        assertValidation(() -> put(dynamo, "bad-numbers", Map.of("pk", s("a"), "n", n("1E+126"))),
                "Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertValidation(() -> put(dynamo, "bad-numbers", Map.of("pk", s("a"), "n", n("1E-131"))),
                "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        assertValidation(() -> put(dynamo, "bad-numbers", Map.of("pk", s("a"), "n", n("1234567890123456789012345678901234567890"))),
                "Attempting to store more than 38 significant digits in a Number");
        assertValidation(() -> put(dynamo, "bad-numbers", Map.of("pk", s("a"), "n", n("abc"))),
                "The parameter cannot be converted to a numeric value: abc");
        put(dynamo, "bad-numbers", Map.of("pk", s("a"), "n", n("12345678901234567890123456789012345678000000")));
    }

    @Test
    void keysAreCheckedAgainstTheSchema(DynamoDbClient dynamo) {
        Tables.create(dynamo, "bad-keys", null);

        assertValidation(() -> put(dynamo, "bad-keys", Map.of("other", s("a"))), "One or more parameter values were invalid: Missing the key pk in the item");
        assertValidation(() -> put(dynamo, "bad-keys", Map.of("pk", n("1"))), "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
        assertValidation(() -> put(dynamo, "bad-keys", Map.of("pk", s(""))),
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
        assertValidation(() -> dynamo.getItem(r -> r.tableName("bad-keys").key(Map.of("pk", s("a"), "extra", s("b")))),
                "The provided key element does not match the schema");
        assertValidation(() -> put(dynamo, "bad-keys", Map.of("pk", s("big"), "data", s("x".repeat(400 * 1024)))),
                "Item size has exceeded the maximum allowed size");
    }

    @Test
    void expressionMistakesAreValidationErrorsInAwsWords(DynamoDbClient dynamo) {
        Tables.create(dynamo, "bad-expr", null);

        assertValidation(() -> dynamo.putItem(r -> r.tableName("bad-expr").item(key("a")).conditionExpression("attribute_not_exists(pk)")
                        .expressionAttributeValues(Map.of(":unused", s("x")))),
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
        assertValidation(() -> dynamo.putItem(r -> r.tableName("bad-expr").item(key("a")).conditionExpression("#missing = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
                "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing");
        assertValidation(() -> dynamo.putItem(r -> r.tableName("bad-expr").item(key("a")).conditionExpression("status = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
                "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertValidation(() -> dynamo.updateItem(r -> r.tableName("bad-expr").key(key("a")).updateExpression("SET a = :v, a.b = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
        assertValidation(() -> dynamo.updateItem(r -> r.tableName("bad-expr").key(key("a")).updateExpression("SET pk = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
                "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
        assertValidation(() -> dynamo.updateItem(r -> r.tableName("bad-expr").key(key("a")).updateExpression("SET a = :v +")
                        .expressionAttributeValues(Map.of(":v", n("1")))),
                "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"+\"");
        assertValidation(() -> dynamo.updateItem(r -> r.tableName("bad-expr").key(key("a")).updateExpression("SET a = :v + :w")
                        .expressionAttributeValues(Map.of(":v", n("1"), ":w", s("x")))),
                "An operand in the update expression has an incorrect data type");
        assertValidation(() -> dynamo.query(r -> r.tableName("bad-expr").keyConditionExpression("colour = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
                "Query condition missed key schema element: pk");
    }

    private static void put(DynamoDbClient dynamo, String table, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    private static void assertValidation(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }
}
