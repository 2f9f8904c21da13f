package io.stratus.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * Subscription filter policies, matched with AWS's own pattern engine (event-ruler): against the
 * message attributes (scope {@code MessageAttributes}, the default: String attributes as strings,
 * Number attributes as numbers, String.Array attributes as arrays, Binary attributes ignored, as
 * SNS does) or against the message body when it is a JSON object (scope {@code MessageBody}).
 * Compiled policies are cached by their text. Thread-safe.
 */
final class FilterPolicy {

    static final String ATTRIBUTES_SCOPE = "MessageAttributes";
    static final String BODY_SCOPE = "MessageBody";
    /** SNS's limit on the keys of a policy in attribute scope. */
    static final int MAX_KEYS = 5;

    private final Map<String, Machine> compiled = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Machine> eldest) {
            return size() > 1024;
        }
    };

    /** Checks a policy as Subscribe and SetSubscriptionAttributes take it, for {@code scope}. */
    static void validate(String policy, String scope) {
        JsonNode node = TopicAttributes.readJson(policy);
        if (node == null || !node.isObject()) {
            throw invalid("failed to parse JSON.");
        }
        if (ATTRIBUTES_SCOPE.equals(scope)) {
            if (node.size() > MAX_KEYS) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: FilterPolicy: Filter policy can not have more than %d keys",
                        MAX_KEYS);
            }
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().equals("$or")) {
                    continue;
                }
                if (!field.getValue().isArray()) {
                    throw invalid("\"" + field.getKey() + "\" must be an object or an array");
                }
            }
        }
        compile(policy);
    }

    private static Machine compile(String policy) {
        Machine machine = new Machine();
        try {
            machine.addRule("policy", policy);
        } catch (Exception e) {
            throw invalid(e.getMessage() == null ? "invalid policy" : e.getMessage());
        }
        return machine;
    }

    private static AwsException invalid(String reason) {
        return AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: FilterPolicy: %s", reason);
    }

    /** Whether a message passes {@code policy} in {@code scope}; a null policy passes everything. */
    boolean matches(String policy, String scope, String message, Map<String, PublishedAttribute> attributes) {
        if (policy == null || policy.isEmpty()) {
            return true;
        }
        String event;
        if (BODY_SCOPE.equals(scope)) {
            JsonNode body = TopicAttributes.readJson(message);
            if (body == null || !body.isObject()) {
                return false;
            }
            event = body.toString();
        } else {
            event = attributeEvent(attributes).toString();
        }
        Machine machine;
        synchronized (compiled) {
            machine = compiled.computeIfAbsent(policy, FilterPolicy::compile);
        }
        try {
            return !machine.rulesForJSONEvent(event).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static ObjectNode attributeEvent(Map<String, PublishedAttribute> attributes) {
        ObjectNode event = SnsStore.JSON.createObjectNode();
        attributes.forEach((name, attribute) -> {
            String type = attribute.type();
            if (type.startsWith("Number")) {
                try {
                    event.put(name, new java.math.BigDecimal(attribute.value()));
                } catch (NumberFormatException e) {
                    event.put(name, attribute.value());
                }
            } else if (type.startsWith("String.Array")) {
                JsonNode array = TopicAttributes.readJson(attribute.value());
                if (array instanceof ArrayNode) {
                    event.set(name, array);
                }
            } else if (type.startsWith("String")) {
                event.put(name, attribute.value());
            }
        });
        return event;
    }
}
