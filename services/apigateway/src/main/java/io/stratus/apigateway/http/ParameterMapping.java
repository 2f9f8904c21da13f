package io.stratus.apigateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameter mapping of HTTP proxy integrations: request parameters such as
 * {@code overwrite:path = /v2/$request.path.id} or {@code append:header.x-team = $context.stage},
 * and the variables integration URIs carry ({@code {proxy}}, {@code ${stageVariables.host}}).
 * Stateless.
 */
final class ParameterMapping {

    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(request\\.(?:header|querystring|path)\\.[A-Za-z0-9._~-]+|request\\.path|context\\.authorizer\\.[A-Za-z0-9_:-]+(?:\\.[A-Za-z0-9_:-]+)?"
                    + "|context\\.[A-Za-z]+|stageVariables\\.[A-Za-z0-9_]+)");
    private static final Pattern STAGE_VARIABLE = Pattern.compile("\\$\\{stageVariables\\.([A-Za-z0-9_]+)}");
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([A-Za-z0-9._-]+)\\+?}");

    private ParameterMapping() {}

    /** What the integration sends: its path, query parameters and headers after mapping. */
    record Mapped(String path, Map<String, List<String>> query, Map<String, List<String>> headers) {}

    /**
     * Applies the integration's request parameters.
     *
     * @param authorizer what the route's authorizer said ({@code {"jwt": …}} or {@code {"lambda": …}}), or null
     * @param path the path the integration URI gives, before mapping
     * @param query the call's query parameters
     * @param headers the headers to forward, by lower-case name
     */
    static Mapped apply(Map<String, String> parameters, HttpApiCall call, JsonNode authorizer, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers) {
        Map<String, List<String>> newQuery = copy(query);
        Map<String, List<String>> newHeaders = copy(headers);
        String newPath = path;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String key = parameter.getKey();
            String value = parameter.getValue() == null ? "" : evaluate(parameter.getValue(), call, authorizer);
            if (key.equals("overwrite:path")) {
                newPath = value.startsWith("/") ? value : "/" + value;
                continue;
            }
            int colon = key.indexOf(':');
            String action = key.substring(0, colon);
            String target = key.substring(colon + 1);
            boolean header = target.startsWith("header.");
            String name = target.substring(target.indexOf('.') + 1);
            Map<String, List<String>> into = header ? newHeaders : newQuery;
            String mapKey = header ? name.toLowerCase(Locale.ROOT) : name;
            switch (action) {
                case "append" -> into.computeIfAbsent(mapKey, k -> new java.util.ArrayList<>()).add(value);
                case "overwrite" -> into.put(mapKey, new java.util.ArrayList<>(List.of(value)));
                case "remove" -> into.remove(mapKey);
                default -> throw new IllegalStateException("Unchecked parameter mapping " + key);
            }
        }
        return new Mapped(newPath, newQuery, newHeaders);
    }

    /** A mapping value with its {@code $request…}, {@code $context…} and {@code $stageVariables…} variables replaced. */
    static String evaluate(String expression, HttpApiCall call) {
        return evaluate(expression, call, null);
    }

    /**
     * A mapping value with its variables replaced, {@code $context.authorizer.claims.<claim>} (JWT)
     * and {@code $context.authorizer.<key>} (Lambda) among them.
     */
    static String evaluate(String expression, HttpApiCall call, JsonNode authorizer) {
        Matcher matcher = VARIABLE.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value = variable.startsWith("context.authorizer.") ? authorizerValue(variable.substring("context.authorizer.".length()), authorizer)
                    : resolve(variable, call);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String authorizerValue(String name, JsonNode authorizer) {
        if (authorizer == null) {
            return "";
        }
        JsonNode value = name.startsWith("claims.") ? authorizer.path("jwt").path("claims").path(name.substring("claims.".length()))
                : authorizer.path("lambda").path(name);
        return value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }

    private static String resolve(String variable, HttpApiCall call) {
        if (variable.equals("request.path")) {
            return call.rawPath();
        }
        if (variable.startsWith("request.header.")) {
            String value = call.header(variable.substring("request.header.".length()));
            return value == null ? "" : value;
        }
        if (variable.startsWith("request.querystring.")) {
            List<String> values = ProxyEventV2.queryParameters(call.rawQuery()).get(variable.substring("request.querystring.".length()));
            return values == null ? "" : String.join(",", values);
        }
        if (variable.startsWith("request.path.")) {
            return call.pathParameters().getOrDefault(variable.substring("request.path.".length()), "");
        }
        if (variable.startsWith("stageVariables.")) {
            return call.stageVariables().getOrDefault(variable.substring("stageVariables.".length()), "");
        }
        return switch (variable.substring("context.".length())) {
            case "requestId" -> call.requestId();
            case "stage" -> call.stage();
            case "routeKey" -> call.routeKey();
            case "apiId" -> call.apiId();
            case "accountId" -> call.accountId();
            case "domainName" -> call.domainName();
            case "domainPrefix" -> call.domainPrefix();
            case "httpMethod" -> call.method();
            case "path" -> call.rawPath();
            case "protocol" -> "HTTP/1.1";
            case "requestTimeEpoch" -> Long.toString(call.time().toEpochMilli());
            default -> "";
        };
    }

    /** The integration URI with its stage variables and path variables ({@code {proxy}}, {@code {id}}) filled in. */
    static String expandUri(String uri, HttpApiCall call) {
        Matcher path = PATH_VARIABLE.matcher(expandStageVariables(uri, call));
        StringBuilder out = new StringBuilder();
        while (path.find()) {
            String value = call.pathParameters().get(path.group(1));
            path.appendReplacement(out, Matcher.quoteReplacement(value == null ? path.group() : encodePath(value)));
        }
        path.appendTail(out);
        return out.toString();
    }

    /** The text with its {@code ${stageVariables.<name>}} filled in (an unknown variable is empty). */
    static String expandStageVariables(String text, HttpApiCall call) {
        Matcher stage = STAGE_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (stage.find()) {
            stage.appendReplacement(out, Matcher.quoteReplacement(call.stageVariables().getOrDefault(stage.group(1), "")));
        }
        stage.appendTail(out);
        return out.toString();
    }

    /** Whether the text uses stage variables ({@code ${stageVariables.<name>}}). */
    static boolean hasStageVariables(String text) {
        return STAGE_VARIABLE.matcher(text).find();
    }

    /** Percent-encodes what a path may not carry, keeping {@code /} (a greedy parameter spans segments). */
    static String encodePath(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((name, values) -> copy.put(name, new java.util.ArrayList<>(values)));
        return copy;
    }
}
