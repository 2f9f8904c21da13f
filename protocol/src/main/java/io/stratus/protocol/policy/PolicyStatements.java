package io.stratus.protocol.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Editing a policy document's statements, as the AddPermission / RemovePermission (PutPermission)
 * operations of SQS, SNS and EventBridge do: find a statement by its {@code Sid}, and write
 * principals and actions the way AWS writes them.
 */
public final class PolicyStatements {

    private PolicyStatements() {}

    /** The policy's statements as an array it holds, turning a single statement object into one. */
    public static ArrayNode of(ObjectNode policy) {
        JsonNode statement = policy.get("Statement");
        if (statement instanceof ArrayNode array) {
            return array;
        }
        ArrayNode array = policy.putArray("Statement");
        if (statement != null && statement.isObject()) {
            array.add(statement);
        }
        return array;
    }

    /** The index of the statement whose {@code Sid} is {@code sid}, or -1. */
    public static int indexOf(ArrayNode statements, String sid) {
        for (int i = 0; sid != null && i < statements.size(); i++) {
            if (sid.equals(statements.get(i).path("Sid").asText(null))) {
                return i;
            }
        }
        return -1;
    }

    /** AWS writes a single principal or action as a string and several as an array. */
    public static JsonNode oneOrMany(List<String> values) {
        if (values.size() == 1) {
            return JsonNodeFactory.instance.textNode(values.getFirst());
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
