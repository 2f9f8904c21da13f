package io.stratus.apigateway.rest;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An integration's {@code requestParameters}: {@code integration.request.<path|querystring|header>.<name>}
 * mapped from {@code method.request.<path|querystring|header>.<name>}, a {@code 'static value'},
 * {@code stageVariables.<name>} or {@code context.<name>}. Stateless.
 */
final class RequestParameters {

    /** What the integration request gets: path parameters for the URI, query parameters and headers. */
    record Mapped(Map<String, String> path, Map<String, List<String>> querystring, Map<String, String> header) {}

    /** What a method request offers to map from. */
    record Sources(Map<String, String> path, Map<String, List<String>> querystring, Map<String, List<String>> header,
            Map<String, String> stageVariables, Map<String, Object> context) {}

    private RequestParameters() {}

    static void checkSource(String source) {
        if (source == null || !(isStatic(source) || source.startsWith("method.request.path.") || source.startsWith("method.request.querystring.")
                || source.startsWith("method.request.header.") || source.startsWith("method.request.multivaluequerystring.")
                || source.startsWith("method.request.multivalueheader.") || source.startsWith("stageVariables.") || source.startsWith("context."))) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: %s]", source);
        }
    }

    private static boolean isStatic(String source) {
        return source.length() >= 2 && source.startsWith("'") && source.endsWith("'");
    }

    static Mapped map(Map<String, String> parameters, Sources sources) {
        Map<String, String> path = new LinkedHashMap<>();
        Map<String, List<String>> querystring = new LinkedHashMap<>();
        Map<String, String> header = new LinkedHashMap<>();
        parameters.forEach((target, source) -> {
            List<String> values = values(source, sources);
            if (values.isEmpty()) {
                return;
            }
            String[] parts = target.split("\\.", 4);
            if (parts.length < 4) {
                return;
            }
            switch (parts[2]) {
                case "path" -> path.put(parts[3], values.getFirst());
                case "querystring", "multivaluequerystring" -> querystring.put(parts[3], values);
                case "header", "multivalueheader" -> header.put(parts[3], String.join(",", values));
                default -> { }
            }
        });
        return new Mapped(path, querystring, header);
    }

    private static List<String> values(String source, Sources sources) {
        if (isStatic(source)) {
            return List.of(source.substring(1, source.length() - 1));
        }
        String[] parts = source.split("\\.", 4);
        if (source.startsWith("stageVariables.")) {
            String value = sources.stageVariables().get(source.substring("stageVariables.".length()));
            return value == null ? List.of() : List.of(value);
        }
        if (source.startsWith("context.")) {
            Object value = sources.context().get(source.substring("context.".length()));
            return value == null ? List.of() : List.of(value.toString());
        }
        if (parts.length < 4) {
            return List.of();
        }
        String name = parts[3];
        return switch (parts[2]) {
            case "path" -> sources.path().containsKey(name) ? List.of(sources.path().get(name)) : List.of();
            case "querystring" -> {
                List<String> all = sources.querystring().getOrDefault(name, List.of());
                yield all.isEmpty() ? List.of() : List.of(all.getLast());
            }
            case "multivaluequerystring" -> sources.querystring().getOrDefault(name, List.of());
            case "header" -> {
                List<String> all = sources.header().getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
                yield all.isEmpty() ? List.of() : List.of(all.getLast());
            }
            case "multivalueheader" -> sources.header().getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
            default -> List.of();
        };
    }
}
