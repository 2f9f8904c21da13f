package io.stratus.apigateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code $input} of a mapping template: the payload ({@code $input.body}, {@code $input.json(x)},
 * {@code $input.path(x)}) and the method request's parameters ({@code $input.params()},
 * {@code $input.params(name)}). For a request template the payload is the client's body; for a
 * response template it is the integration's answer. One per rendering; not thread-safe.
 */
public final class TemplateInput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String body;
    private final Map<String, Map<String, String>> params;
    private JsonNode parsed;

    /**
     * @param path the path parameters
     * @param querystring the query string parameters (first value of each)
     * @param header the request headers (first value of each)
     */
    TemplateInput(String body, Map<String, String> path, Map<String, String> querystring, Map<String, String> header) {
        this.body = body == null ? "" : body;
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("path", Collections.unmodifiableMap(new LinkedHashMap<>(path)));
        all.put("querystring", Collections.unmodifiableMap(new LinkedHashMap<>(querystring)));
        all.put("header", Collections.unmodifiableMap(new LinkedHashMap<>(header)));
        this.params = Collections.unmodifiableMap(all);
    }

    /** {@code $input.body}: the raw payload as a string. */
    public String getBody() {
        return body;
    }

    /** {@code $input.json(x)}: what the JSONPath finds, as JSON text; empty when it finds nothing. */
    public String json(String path) {
        JsonNode found = find(path);
        if (found.isMissingNode()) {
            return "";
        }
        try {
            return JSON.writeValueAsString(found);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code $input.path(x)}: what the JSONPath finds, as maps, lists, strings and numbers a template can walk; null when nothing. */
    public Object path(String path) {
        return TemplateValues.toJava(find(path));
    }

    /** {@code $input.params()}: {@code path}, {@code querystring} and {@code header}, each a map of name to value. */
    public Map<String, Map<String, String>> params() {
        return params;
    }

    /** {@code $input.params(name)}: the parameter of that name from the path, else the query string, else the headers. */
    public String params(String name) {
        for (String kind : new String[] {"path", "querystring", "header"}) {
            Map<String, String> values = params.get(kind);
            if (kind.equals("header")) {
                for (Map.Entry<String, String> entry : values.entrySet()) {
                    if (entry.getKey().equalsIgnoreCase(name)) {
                        return entry.getValue();
                    }
                }
            } else if (values.containsKey(name)) {
                return values.get(name);
            }
        }
        return "";
    }

    private JsonNode find(String path) {
        if (parsed == null) {
            parsed = TemplateValues.parse(body.isBlank() ? "{}" : body);
        }
        if (parsed.isMissingNode()) {
            return MissingNode.getInstance();
        }
        return JsonPath.read(parsed, path);
    }
}
