package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Smithy {@code @http} URI pattern such as {@code /2015-03-31/functions/{FunctionName}/invocations}
 * or {@code /{Bucket}/{Key+}?uploads}: literal segments, {@code {label}} segments, one greedy
 * {@code {label+}} segment, and query literals the request must carry. Immutable.
 */
public final class UriTemplate {

    private final String pattern;
    private final List<Segment> segments;
    private final Map<String, String> requiredQuery;
    /** The segments a matching path has at least (a greedy label needs one of its own). */
    private final int minimumSegments;
    private final Segment greedyLabel;

    private UriTemplate(String pattern, List<Segment> segments, Map<String, String> requiredQuery) {
        this.pattern = pattern;
        this.segments = List.copyOf(segments);
        this.requiredQuery = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requiredQuery));
        this.greedyLabel = segments.stream().filter(Segment::greedy).findFirst().orElse(null);
        this.minimumSegments = segments.size();
    }

    public static UriTemplate parse(String pattern) {
        requireNonNull(pattern, "pattern is null");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("URI pattern must start with '/': " + pattern);
        }
        int q = pattern.indexOf('?');
        String path = q < 0 ? pattern : pattern.substring(0, q);
        Map<String, String> requiredQuery = new LinkedHashMap<>();
        if (q >= 0) {
            for (String literal : pattern.substring(q + 1).split("&")) {
                int eq = literal.indexOf('=');
                requiredQuery.put(eq < 0 ? literal : literal.substring(0, eq), eq < 0 ? null : literal.substring(eq + 1));
            }
        }
        List<Segment> segments = new ArrayList<>();
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() && i == parts.length - 1) {
                break;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                boolean greedy = name.endsWith("+");
                if (greedy && i != parts.length - 1) {
                    throw new IllegalArgumentException("Greedy label must be the last segment: " + pattern);
                }
                segments.add(new Segment(greedy ? name.substring(0, name.length() - 1) : name, true, greedy));
            } else {
                segments.add(new Segment(part, false, false));
            }
        }
        return new UriTemplate(pattern, segments, requiredQuery);
    }

    /**
     * Matches a request; returns the decoded label values when it matches.
     *
     * @param rawPath the request path, still percent-encoded
     */
    public Optional<Map<String, String>> match(String rawPath, QueryString query) {
        return match(Path.of(rawPath), query);
    }

    /** Matches a request whose path was split once for all the templates it is tried against. */
    public Optional<Map<String, String>> match(Path path, QueryString query) {
        if (!requiredQuery.isEmpty() && query.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> required : requiredQuery.entrySet()) {
            List<String> values = query.all(required.getKey());
            if (values.isEmpty() || (required.getValue() != null && !required.getValue().equals(values.getFirst()))) {
                return Optional.empty();
            }
        }
        String[] parts = path.parts();
        int count = path.count();
        if (count < minimumSegments || (greedyLabel == null && count != segments.size())) {
            return Optional.empty();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        for (Segment segment : segments) {
            if (segment.greedy()) {
                String rest = i >= parts.length ? "" : String.join("/", Arrays.copyOfRange(parts, i, parts.length));
                if (rest.isEmpty()) {
                    return Optional.empty();
                }
                labels.put(segment.text(), QueryString.decodePath(rest));
                return Optional.of(labels);
            }
            if (i >= count) {
                return Optional.empty();
            }
            String part = parts[i++];
            if (segment.label()) {
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                labels.put(segment.text(), QueryString.decodePath(part));
            } else if (!segment.text().equals(part)) {
                return Optional.empty();
            }
        }
        return i == count ? Optional.of(labels) : Optional.empty();
    }

    /**
     * A request path split into its segments, still percent-encoded.
     *
     * @param parts the segments between slashes, a trailing empty one included
     * @param count the segments that count: a trailing slash adds none
     */
    public record Path(String[] parts, int count) {

        public static Path of(String rawPath) {
            String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
            String[] parts = path.isEmpty() ? new String[0] : path.split("/", -1);
            return new Path(parts, parts.length > 0 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length);
        }
    }

    /**
     * How specific the template is, to pick among several that match one request: literal
     * segments count most, then required query literals; a greedy label counts least.
     */
    public int specificity() {
        int score = 0;
        for (Segment segment : segments) {
            score += segment.label() ? (segment.greedy() ? 0 : 10) : 100;
        }
        return score + requiredQuery.size() * 1000;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern;
    }

    private record Segment(String text, boolean label, boolean greedy) {}
}
