package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.ExpressionAttributes;
import io.stratus.dynamodb.expression.ExpressionParser;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks item requests share: legacy parameters, ReturnValues, attribute maps, and parsing a
 * request's expressions into changes. Stateless.
 */
final class ItemRequests {

    private ItemRequests() {}

    /** Refuses a legacy (pre-expression) parameter rather than ignoring it. */
    static void refuseLegacy(String name, JsonNode value) {
        if (value != null && !value.isNull()) {
            throw validation("Stratus does not support the legacy parameter %s; use the expression parameters instead", name);
        }
    }

    static String returnValues(String value, Set<String> allowed) {
        if (value == null) {
            return "NONE";
        }
        if (!allowed.contains(value)) {
            throw validation("Return values set to invalid value");
        }
        return value;
    }

    static boolean returnOldOnFailure(String value) {
        return returnValues(value, Set.of("NONE", "ALL_OLD")).equals("ALL_OLD");
    }

    static Map<String, AttributeValue> requireItem(Map<String, AttributeValue> item, String member) {
        if (item == null) {
            throw validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            if (attribute.getKey().isEmpty()) {
                throw validation("One or more parameter values are not valid. An attribute name cannot be empty");
            }
            if (attribute.getValue() == null) {
                throw validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
            }
        }
        return item;
    }

    static Condition condition(String expression, String kind, ExpressionAttributes attributes) {
        return expression == null ? null : ExpressionParser.condition(expression, kind, attributes);
    }

    static List<Path> projection(String expression, ExpressionAttributes attributes) {
        return expression == null ? null : ExpressionParser.projection(expression, attributes);
    }

    /** Parses an UpdateExpression, refusing actions on the table's key attributes. */
    static List<UpdateAction> update(String expression, ExpressionAttributes attributes, Table table) {
        if (expression == null) {
            return List.of();
        }
        List<UpdateAction> actions = ExpressionParser.update(expression, attributes);
        for (UpdateAction action : actions) {
            String attribute = action.path().attribute();
            if (table.key().typeOf(attribute) != null) {
                throw validation("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", attribute);
            }
        }
        return actions;
    }
}
