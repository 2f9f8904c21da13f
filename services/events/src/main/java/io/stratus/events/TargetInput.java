package io.stratus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.events.EventsModel.InputTransformer;
import io.stratus.events.EventsModel.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a target receives of an event: the whole event, a constant {@code Input}, the part an
 * {@code InputPath} selects, or an {@code InputTransformer}'s template filled from its paths
 * (and the predefined {@code aws.events.*} variables). Paths are JSONPath's dot and bracket
 * forms ({@code $.detail.items[0]}). Pure functions.
 */
final class TargetInput {

    static final int MAX_PATHS = 100;
    private static final ObjectMapper JSON = EventStore.JSON;
    private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)\\]|\\['([^']*)'\\]");
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.\\-]+)>");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z0-9_\\-]+");

    private TargetInput() {}

    /** Refuses, with AWS's ValidationException, what PutTargets refuses about a target's input. */
    static void validate(Target target) {
        int ways = (target.input() != null ? 1 : 0) + (target.inputPath() != null ? 1 : 0) + (target.inputTransformer() != null ? 1 : 0);
        if (ways > 1) {
            throw EventsErrors.validation("Only one of Input, InputPath, or InputTransformer must be provided.");
        }
        if (target.input() != null) {
            if (parse(target.input()) == null) {
                throw EventsErrors.validation("Input for target %s is not a valid JSON text.", target.id());
            }
        }
        if (target.inputPath() != null && !validPath(target.inputPath())) {
            throw EventsErrors.validation("Parameter InputPath is not valid. Reason: %s is not a valid JSONPath.", target.inputPath());
        }
        InputTransformer transformer = target.inputTransformer();
        if (transformer != null) {
            if (transformer.inputTemplate() == null) {
                throw EventsErrors.constraint("targets.1.member.inputTransformer.inputTemplate", "null", "Member must not be null");
            }
            Map<String, String> paths = transformer.inputPathsMap() == null ? Map.of() : transformer.inputPathsMap();
            if (paths.size() > MAX_PATHS) {
                throw EventsErrors.validation("InputPathsMap for target %s has more than %d entries.", target.id(), MAX_PATHS);
            }
            for (Map.Entry<String, String> path : paths.entrySet()) {
                if (!VARIABLE.matcher(path.getKey()).matches() || path.getKey().startsWith("aws.")) {
                    throw EventsErrors.validation("InputPathsMap for target %s contains invalid key %s.", target.id(), path.getKey());
                }
                if (!validPath(path.getValue())) {
                    throw EventsErrors.validation("Parameter InputPathsMap is not valid. Reason: %s is not a valid JSONPath.", path.getValue());
                }
            }
        }
    }

    /**
     * The payload for {@code target} of {@code event}.
     *
     * @param event the event's JSON
     * @param ruleArn the rule's ARN, for the {@code aws.events.rule-arn} variable
     * @param ingestionTime when EventBridge accepted the event, ISO-8601
     */
    static String render(Target target, String event, String ruleArn, String ruleName, String ingestionTime) {
        if (target.input() != null) {
            return target.input();
        }
        if (target.inputPath() != null) {
            JsonNode selected = select(parse(event), target.inputPath());
            return selected == null ? "" : selected.toString();
        }
        InputTransformer transformer = target.inputTransformer();
        if (transformer == null) {
            return event;
        }
        JsonNode root = parse(event);
        Map<String, String> paths = transformer.inputPathsMap() == null ? Map.of() : transformer.inputPathsMap();
        String template = transformer.inputTemplate();
        StringBuilder out = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        int last = 0;
        while (placeholder.find()) {
            String name = placeholder.group(1);
            JsonNode value;
            if (paths.containsKey(name)) {
                value = select(root, paths.get(name));
            } else {
                value = switch (name) {
                    case "aws.events.rule-arn" -> JsonNodeFactory.instance.textNode(ruleArn);
                    case "aws.events.rule-name" -> JsonNodeFactory.instance.textNode(ruleName);
                    case "aws.events.event.ingestion-time" -> JsonNodeFactory.instance.textNode(ingestionTime);
                    case "aws.events.event", "aws.events.event.json" -> root;
                    default -> null;
                };
                if (value == null) {
                    continue; // not a placeholder: text in angle brackets stays as it is
                }
            }
            out.append(template, last, placeholder.start());
            boolean quoted = insideString(template, placeholder.start());
            if (quoted) {
                String text = value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString();
                String escaped = JsonNodeFactory.instance.textNode(text).toString();
                out.append(escaped, 1, escaped.length() - 1);
            } else {
                out.append(value == null ? "null" : value.isTextual() && !looksLikeJson(template) ? value.asText() : value.toString());
            }
            last = placeholder.end();
        }
        out.append(template.substring(last));
        return out.toString();
    }

    /** Whether position {@code at} of a JSON-ish template lies inside a string literal. */
    private static boolean insideString(String template, int at) {
        boolean inside = false;
        for (int i = 0; i < at; i++) {
            char c = template.charAt(i);
            if (c == '\\' && inside) {
                i++;
            } else if (c == '"') {
                inside = !inside;
            }
        }
        return inside;
    }

    private static boolean looksLikeJson(String template) {
        String trimmed = template.strip();
        return trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith("\"");
    }

    static boolean validPath(String path) {
        return path != null && segments(path) != null;
    }

    /** The node at {@code path} in {@code root}, or null when there is none. */
    static JsonNode select(JsonNode root, String path) {
        List<Object> segments = segments(path);
        JsonNode node = root;
        for (Object segment : segments) {
            if (node == null) {
                return null;
            }
            node = segment instanceof Integer index ? (node.isArray() ? node.get(index) : null) : node.get((String) segment);
        }
        return node;
    }

    private static List<Object> segments(String path) {
        if (!path.startsWith("$")) {
            return null;
        }
        List<Object> segments = new ArrayList<>();
        Matcher matcher = SEGMENT.matcher(path);
        int at = 1;
        while (at < path.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                return null;
            }
            if (matcher.group(1) != null) {
                segments.add(matcher.group(1));
            } else if (matcher.group(2) != null) {
                segments.add(Integer.parseInt(matcher.group(2)));
            } else {
                segments.add(matcher.group(3));
            }
            at = matcher.end();
        }
        return segments;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** A fresh object node, for building events. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static AwsException invalidJson(String member) {
        return EventsErrors.validation("%s is not valid JSON.", member);
    }
}
