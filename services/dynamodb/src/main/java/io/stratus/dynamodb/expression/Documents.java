package io.stratus.dynamodb.expression;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.AttributeValue.L;
import io.stratus.dynamodb.item.AttributeValue.M;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reading, writing and projecting document paths on items. Items and values are immutable: a
 * change returns a new item sharing what it did not touch.
 */
public final class Documents {

    private Documents() {}

    /** The value at {@code path}, or null when the item has nothing there. */
    public static AttributeValue get(Map<String, AttributeValue> item, Path path) {
        AttributeValue current = item.get(path.attribute());
        for (Path.Element element : path.elements().subList(1, path.elements().size())) {
            current = child(current, element);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static AttributeValue child(AttributeValue container, Path.Element element) {
        return switch (element) {
            case Path.Name name -> container instanceof M m ? m.values().get(name.name()) : null;
            case Path.Index index -> container instanceof L l && index.index() < l.values().size() ? l.values().get(index.index()) : null;
        };
    }

    /**
     * Puts {@code value} at {@code path}. Every container on the way must exist; an index past the
     * end of a list appends, as DynamoDB does.
     */
    public static Map<String, AttributeValue> set(Map<String, AttributeValue> item, Path path, AttributeValue value) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        List<Path.Element> rest = path.elements().subList(1, path.elements().size());
        if (rest.isEmpty()) {
            copy.put(path.attribute(), value);
        } else {
            AttributeValue top = item.get(path.attribute());
            if (top == null) {
                throw invalidPath();
            }
            copy.put(path.attribute(), setIn(top, rest, value));
        }
        return copy;
    }

    private static AttributeValue setIn(AttributeValue container, List<Path.Element> rest, AttributeValue value) {
        Path.Element element = rest.getFirst();
        List<Path.Element> tail = rest.subList(1, rest.size());
        switch (element) {
            case Path.Name name -> {
                if (!(container instanceof M m)) {
                    throw invalidPath();
                }
                Map<String, AttributeValue> values = new LinkedHashMap<>(m.values());
                if (tail.isEmpty()) {
                    values.put(name.name(), value);
                } else {
                    AttributeValue next = m.values().get(name.name());
                    if (next == null) {
                        throw invalidPath();
                    }
                    values.put(name.name(), setIn(next, tail, value));
                }
                return new M(values);
            }
            case Path.Index index -> {
                if (!(container instanceof L l)) {
                    throw invalidPath();
                }
                List<AttributeValue> values = new ArrayList<>(l.values());
                int i = index.index();
                if (tail.isEmpty()) {
                    if (i >= values.size()) {
                        values.add(value);
                    } else {
                        values.set(i, value);
                    }
                } else {
                    if (i >= values.size()) {
                        throw invalidPath();
                    }
                    values.set(i, setIn(values.get(i), tail, value));
                }
                return new L(values);
            }
        }
    }

    /** Removes what is at {@code path}; nothing there is no change. A removed list element closes the gap. */
    public static Map<String, AttributeValue> remove(Map<String, AttributeValue> item, Path path) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        List<Path.Element> rest = path.elements().subList(1, path.elements().size());
        if (rest.isEmpty()) {
            copy.remove(path.attribute());
            return copy;
        }
        AttributeValue top = item.get(path.attribute());
        if (top != null) {
            copy.put(path.attribute(), removeIn(top, rest));
        }
        return copy;
    }

    private static AttributeValue removeIn(AttributeValue container, List<Path.Element> rest) {
        Path.Element element = rest.getFirst();
        List<Path.Element> tail = rest.subList(1, rest.size());
        AttributeValue next = child(container, element);
        if (next == null) {
            return container;
        }
        return switch (element) {
            case Path.Name name -> {
                Map<String, AttributeValue> values = new LinkedHashMap<>(((M) container).values());
                if (tail.isEmpty()) {
                    values.remove(name.name());
                } else {
                    values.put(name.name(), removeIn(next, tail));
                }
                yield new M(values);
            }
            case Path.Index index -> {
                List<AttributeValue> values = new ArrayList<>(((L) container).values());
                if (tail.isEmpty()) {
                    values.remove(index.index());
                } else {
                    values.set(index.index(), removeIn(next, tail));
                }
                yield new L(values);
            }
        };
    }

    /**
     * The parts of {@code item} that {@code paths} name, in the item's shape: nested maps keep the
     * named keys, lists keep the named elements in index order. Paths that lead nowhere add nothing.
     */
    public static Map<String, AttributeValue> project(Map<String, AttributeValue> item, List<Path> paths) {
        Node root = new Node();
        for (Path path : paths) {
            AttributeValue value = get(item, path);
            if (value == null) {
                continue;
            }
            Node node = root;
            for (Path.Element element : path.elements()) {
                node = switch (element) {
                    case Path.Name name -> node.fields.computeIfAbsent(name.name(), n -> new Node());
                    case Path.Index index -> node.elements.computeIfAbsent(index.index(), n -> new Node());
                };
            }
            node.leaf = value;
        }
        Map<String, AttributeValue> projected = new LinkedHashMap<>();
        // Keep the item's attribute order rather than the expression's.
        for (String name : item.keySet()) {
            Node node = root.fields.get(name);
            if (node != null) {
                projected.put(name, node.build());
            }
        }
        return projected;
    }

    /** A projection under construction: a whole value, or the named parts of a map or list. */
    private static final class Node {
        AttributeValue leaf;
        final Map<String, Node> fields = new LinkedHashMap<>();
        final TreeMap<Integer, Node> elements = new TreeMap<>();

        AttributeValue build() {
            if (leaf != null) {
                return leaf;
            }
            if (!elements.isEmpty()) {
                return new L(elements.values().stream().map(Node::build).toList());
            }
            Map<String, AttributeValue> values = new LinkedHashMap<>();
            fields.forEach((name, node) -> values.put(name, node.build()));
            return new M(values);
        }
    }

    static AwsException invalidPath() {
        return validation("The document path provided in the update expression is invalid for update");
    }
}
