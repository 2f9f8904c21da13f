package io.stratus.apigateway.rest;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.RestApiModel.PatchOperation;
import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's JSON-Patch-like {@code patchOperations}: {@code op} (add, remove, replace, move,
 * copy), a {@code path} such as {@code /name} or {@code /variables/color}, with {@code ~1} for a
 * {@code /} inside a segment and {@code ~0} for {@code ~}. Stateless.
 */
final class Patches {

    private Patches() {}

    /** One operation, its path split into unescaped segments. */
    record Patch(String op, List<String> path, String value) {

        String first() {
            return path.isEmpty() ? "" : path.getFirst();
        }

        /** The rest of the path after the first segment, joined back: a map key such as {@code application/json}. */
        String rest() {
            return String.join("/", path.subList(Math.min(1, path.size()), path.size()));
        }

        boolean removes() {
            return op.equals("remove");
        }
    }

    static List<Patch> parse(List<PatchOperation> operations) {
        if (operations == null) {
            return List.of();
        }
        return operations.stream().map(Patches::parse).toList();
    }

    private static Patch parse(PatchOperation operation) {
        String op = operation.op();
        if (op == null || !List.of("add", "remove", "replace", "move", "copy", "test").contains(op)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid patch operation specified. Must be one of: [add, remove, move, test, replace, copy]");
        }
        if (op.equals("move") || op.equals("copy") || op.equals("test")) {
            throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED, "The patch operation '%s' is not supported by Stratus yet.", op);
        }
        String path = operation.path();
        if (path == null || !path.startsWith("/")) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid patch path %s", path);
        }
        String[] raw = path.substring(1).split("/", -1);
        List<String> segments = java.util.Arrays.stream(raw).map(s -> s.replace("~1", "/").replace("~0", "~")).toList();
        return new Patch(op, segments, operation.value());
    }

    static AwsException invalidPath(Patch patch, String... allowed) {
        return AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid patch path '/%s' specified for op '%s'. Must be one of: [%s]",
                String.join("/", patch.path()), patch.op(), String.join(", ", allowed));
    }

    /** The value of a patch that sets something; a missing value is the caller's mistake. */
    static String value(Patch patch) {
        if (patch.value() == null) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid null value for patch path /%s", String.join("/", patch.path()));
        }
        return patch.value();
    }

    static boolean booleanValue(Patch patch) {
        String value = value(patch);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid boolean value '%s' for patch path /%s", value, String.join("/", patch.path()));
        }
        return Boolean.parseBoolean(value);
    }

    /** A map member changed by a patch on {@code /<member>/<key>}: add and replace set the key, remove drops it. */
    static <V> Map<String, V> applyToMap(Map<String, V> current, Patch patch, java.util.function.Function<String, V> convert) {
        String key = patch.rest();
        if (key.isEmpty()) {
            throw invalidPath(patch, "/" + patch.first() + "/<key>");
        }
        Map<String, V> updated = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
        if (patch.removes()) {
            updated.remove(key);
        } else {
            updated.put(key, convert.apply(patch.value() == null ? "" : patch.value()));
        }
        return updated.isEmpty() ? null : updated;
    }
}
