package io.stratus.apigateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath of mapping templates ({@code $input.json('$.items[0].name')}): the root {@code $},
 * members by {@code .name} or {@code ['name']}, array elements by {@code [0]} (negative counts from
 * the end), wildcards {@code .*} and {@code [*]}, and deep scan {@code ..name}. A path with a
 * wildcard or deep scan yields an array of what it found; a path that finds nothing yields a
 * missing node. Stateless.
 */
final class JsonPath {

    private JsonPath() {}

    static JsonNode read(JsonNode root, String path) {
        String expression = path == null ? "$" : path.trim();
        if (!expression.startsWith("$")) {
            throw new IllegalArgumentException("A JSONPath starts with $: " + path);
        }
        List<JsonNode> current = List.of(root);
        boolean multiple = false;
        int i = 1;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '.' && i + 1 < expression.length() && expression.charAt(i + 1) == '.') {
                int end = nameEnd(expression, i + 2);
                String name = expression.substring(i + 2, end);
                List<JsonNode> found = new ArrayList<>();
                current.forEach(node -> deepScan(node, name, found));
                current = found;
                multiple = true;
                i = end;
            } else if (c == '.') {
                int end = nameEnd(expression, i + 1);
                String name = expression.substring(i + 1, end);
                if (name.equals("*")) {
                    current = children(current);
                    multiple = true;
                } else {
                    current = members(current, name);
                }
                i = end;
            } else if (c == '[') {
                int close = closing(expression, i);
                String inside = expression.substring(i + 1, close).trim();
                if (inside.equals("*")) {
                    current = children(current);
                    multiple = true;
                } else if (inside.startsWith("'") || inside.startsWith("\"")) {
                    current = members(current, inside.substring(1, inside.length() - 1));
                } else {
                    current = element(current, Integer.parseInt(inside));
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("Unexpected '" + c + "' in JSONPath " + path);
            }
        }
        if (multiple) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            current.forEach(array::add);
            return array;
        }
        return current.isEmpty() ? MissingNode.getInstance() : current.getFirst();
    }

    private static int nameEnd(String expression, int from) {
        int end = from;
        while (end < expression.length() && expression.charAt(end) != '.' && expression.charAt(end) != '[') {
            end++;
        }
        if (end == from) {
            throw new IllegalArgumentException("A member name is missing in JSONPath " + expression);
        }
        return end;
    }

    private static int closing(String expression, int open) {
        char quote = 0;
        for (int i = open + 1; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ']') {
                return i;
            }
        }
        throw new IllegalArgumentException("Unclosed [ in JSONPath " + expression);
    }

    private static List<JsonNode> members(List<JsonNode> nodes, String name) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode node : nodes) {
            if (node.isObject() && node.has(name)) {
                found.add(node.get(name));
            }
        }
        return found;
    }

    private static List<JsonNode> element(List<JsonNode> nodes, int index) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode node : nodes) {
            if (node.isArray()) {
                int at = index < 0 ? node.size() + index : index;
                if (at >= 0 && at < node.size()) {
                    found.add(node.get(at));
                }
            }
        }
        return found;
    }

    private static List<JsonNode> children(List<JsonNode> nodes) {
        List<JsonNode> found = new ArrayList<>();
        nodes.forEach(node -> node.elements().forEachRemaining(found::add));
        return found;
    }

    private static void deepScan(JsonNode node, String name, List<JsonNode> found) {
        if (node.isObject()) {
            if (name.equals("*")) {
                node.elements().forEachRemaining(found::add);
            } else if (node.has(name)) {
                found.add(node.get(name));
            }
        }
        node.elements().forEachRemaining(child -> deepScan(child, name, found));
    }
}
