package io.stratus.dynamodb.expression;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.item.AttributeValue;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all of its
 * expressions, recording which were used so that {@link #checkAllUsed()} can refuse the unused
 * ones as DynamoDB does. For one request on one thread.
 */
public final class ExpressionAttributes {

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /**
     * @param names the request's ExpressionAttributeNames, or null
     * @param values the request's ExpressionAttributeValues, or null
     * @param anyExpression whether the request has an expression that may use them
     */
    public ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values, boolean anyExpression) {
        if (names != null) {
            if (!anyExpression) {
                throw validation("ExpressionAttributeNames can only be specified when using expressions");
            }
            if (names.isEmpty()) {
                throw validation("ExpressionAttributeNames must not be empty");
            }
            for (Map.Entry<String, String> entry : names.entrySet()) {
                if (!entry.getKey().startsWith("#") || entry.getKey().length() < 2) {
                    throw validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"%s\"", entry.getKey());
                }
                if (entry.getValue() == null || entry.getValue().isEmpty()) {
                    throw validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", entry.getKey());
                }
            }
        }
        if (values != null) {
            if (!anyExpression) {
                throw validation("ExpressionAttributeValues can only be specified when using expressions");
            }
            if (values.isEmpty()) {
                throw validation("ExpressionAttributeValues must not be empty");
            }
            for (Map.Entry<String, AttributeValue> entry : values.entrySet()) {
                if (!entry.getKey().startsWith(":") || entry.getKey().length() < 2) {
                    throw validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"%s\"", entry.getKey());
                }
                if (entry.getValue() == null) {
                    throw validation("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key %s",
                            entry.getKey());
                }
            }
        }
        this.names = names == null ? Map.of() : names;
        this.values = values == null ? Map.of() : values;
    }

    /** No names, no values: for requests without expressions. */
    public static ExpressionAttributes none() {
        return new ExpressionAttributes(null, null, false);
    }

    String name(String placeholder, String expressionKind) {
        String name = names.get(placeholder);
        if (name == null) {
            throw validation("Invalid %s: An expression attribute name used in the document path is not defined; attribute name: %s",
                    expressionKind, placeholder);
        }
        usedNames.add(placeholder);
        return name;
    }

    AttributeValue value(String placeholder, String expressionKind) {
        AttributeValue value = values.get(placeholder);
        if (value == null) {
            throw validation("Invalid %s: An expression attribute value used in expression is not defined; attribute value: %s",
                    expressionKind, placeholder);
        }
        usedValues.add(placeholder);
        return value;
    }

    /** Refuses names and values no expression of the request used; call after parsing them all. */
    public void checkAllUsed() {
        Set<String> unusedNames = new TreeSet<>(names.keySet());
        unusedNames.removeAll(usedNames);
        if (!unusedNames.isEmpty()) {
            throw validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", String.join(", ", unusedNames));
        }
        Set<String> unusedValues = new TreeSet<>(values.keySet());
        unusedValues.removeAll(usedValues);
        if (!unusedValues.isEmpty()) {
            throw validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", String.join(", ", unusedValues));
        }
    }
}
