package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import java.io.IOException;
import java.util.List;
import software.amazon.event.ruler.Machine;

/**
 * An event source mapping's FilterCriteria: a record passes when any pattern matches it, with
 * AWS's own pattern engine (event-ruler). An SQS body that is JSON is matched as the object it
 * holds, any other body as a string, as Lambda does. No patterns pass everything. Thread-safe.
 */
final class EventFilter {

    static final int MAX_FILTERS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Machine machine;

    EventFilter(List<String> patterns) {
        this.machine = patterns.isEmpty() ? null : compile(patterns);
    }

    /** Refuses what AWS refuses: more than five filters, or a pattern that is not one. */
    static void validate(List<String> patterns) {
        if (patterns.size() > MAX_FILTERS) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "The number of filters must not exceed %d.", MAX_FILTERS);
        }
        compile(patterns);
    }

    boolean matches(ObjectNode record) {
        if (machine == null) {
            return true;
        }
        ObjectNode event = record.deepCopy();
        JsonNode body = parsedBody(record.path("body").asText());
        if (body != null) {
            event.set("body", body);
        }
        try {
            return !machine.rulesForJSONEvent(event.toString()).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode parsedBody(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Machine compile(List<String> patterns) {
        Machine machine = new Machine();
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            try {
                if (pattern == null || !JSON.readTree(pattern).isObject()) {
                    throw new IOException("not a JSON object");
                }
                machine.addRule("filter-" + i, pattern);
            } catch (IOException | RuntimeException e) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Invalid filter pattern definition.");
            }
        }
        return machine;
    }
}
