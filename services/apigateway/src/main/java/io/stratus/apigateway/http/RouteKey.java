package io.stratus.apigateway.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed route key: {@code $default}, or a method and a path template such as
 * {@code GET /items/{id}} or {@code ANY /{proxy+}}. Immutable.
 *
 * @param method the method, {@code ANY} for every method; null for {@code $default}
 * @param segments the path template's segments; empty for {@code /} and for {@code $default}
 */
record RouteKey(String method, List<Segment> segments) {

    static final String DEFAULT = "$default";
    static final Set<String> METHODS = Set.of("ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");

    enum Type { LITERAL, PARAMETER, GREEDY }

    /** One path segment: a literal, {@code {name}}, or the greedy {@code {name+}} that ends a path. */
    record Segment(String text, Type type) {}

    RouteKey {
        segments = List.copyOf(segments);
    }

    boolean isDefault() {
        return method == null;
    }

    /** The route key parsed, or empty when it is not one API Gateway accepts for an HTTP API. */
    static Optional<RouteKey> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.equals(DEFAULT)) {
            return Optional.of(new RouteKey(null, List.of()));
        }
        int space = text.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String method = text.substring(0, space);
        String path = text.substring(space + 1);
        if (!METHODS.contains(method) || !path.startsWith("/")) {
            return Optional.empty();
        }
        if (path.equals("/")) {
            return Optional.of(new RouteKey(method, List.of()));
        }
        String[] parts = path.substring(1).split("/", -1);
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{") && part.endsWith("}") && part.length() > 2) {
                String name = part.substring(1, part.length() - 1);
                boolean greedy = name.endsWith("+");
                if (greedy) {
                    name = name.substring(0, name.length() - 1);
                    if (i != parts.length - 1) {
                        return Optional.empty();
                    }
                }
                if (!PARAMETER.matcher(name).matches() || !names.add(name)) {
                    return Optional.empty();
                }
                segments.add(new Segment(name, greedy ? Type.GREEDY : Type.PARAMETER));
            } else if (LITERAL.matcher(part).matches()) {
                segments.add(new Segment(part, Type.LITERAL));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new RouteKey(method, segments));
    }
}
