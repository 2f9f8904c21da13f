package io.stratus.dynamodb.expression;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A document path: a top-level attribute name followed by map keys and list indexes, as in
 * {@code a.b[2].c}. Names are resolved (no {@code #placeholders} left).
 */
public record Path(List<Element> elements) {

    public Path {
        elements = List.copyOf(elements);
        if (elements.isEmpty() || !(elements.getFirst() instanceof Name)) {
            throw new IllegalArgumentException("a path starts with an attribute name");
        }
    }

    public static Path of(String topLevel) {
        return new Path(List.of(new Name(topLevel)));
    }

    /** The top-level attribute the path starts at. */
    public String attribute() {
        return ((Name) elements.getFirst()).name();
    }

    public boolean isTopLevel() {
        return elements.size() == 1;
    }

    /** Whether one path is the other or leads into it: both name the same data. */
    public boolean overlaps(Path other) {
        int common = Math.min(elements.size(), other.elements.size());
        return elements.subList(0, common).equals(other.elements.subList(0, common));
    }

    /** AWS's rendering in error messages: {@code [a, b, [2]]}. */
    @Override
    public String toString() {
        return elements.stream().map(Element::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    public sealed interface Element permits Name, Index {}

    public record Name(String name) implements Element {
        @Override
        public String toString() {
            return name;
        }
    }

    public record Index(int index) implements Element {
        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }
}
