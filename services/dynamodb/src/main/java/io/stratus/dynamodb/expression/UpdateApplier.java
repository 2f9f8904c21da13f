package io.stratus.dynamodb.expression;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.AttributeValue.BS;
import io.stratus.dynamodb.item.AttributeValue.L;
import io.stratus.dynamodb.item.AttributeValue.N;
import io.stratus.dynamodb.item.AttributeValue.NS;
import io.stratus.dynamodb.item.AttributeValue.SS;
import io.stratus.dynamodb.item.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies an UpdateExpression's actions to an item. Every operand reads the item as it was before
 * the update, as in DynamoDB; list elements named by several REMOVE actions are the elements at
 * those indexes before any is removed. Stateless.
 */
public final class UpdateApplier {

    private UpdateApplier() {}

    public static Map<String, AttributeValue> apply(List<UpdateAction> actions, Map<String, AttributeValue> original) {
        List<Map.Entry<Path, AttributeValue>> sets = new ArrayList<>();
        for (UpdateAction action : actions) {
            checkOperandType(action);
            if (action instanceof UpdateAction.Set set) {
                sets.add(Map.entry(set.path(), evaluate(set.value(), original)));
            }
        }
        Map<String, AttributeValue> item = original;
        for (Map.Entry<Path, AttributeValue> set : sets) {
            item = Documents.set(item, set.getKey(), set.getValue());
        }
        List<Path> removals = actions.stream()
                .filter(UpdateAction.Remove.class::isInstance)
                .map(UpdateAction::path)
                .sorted(BY_PATH.reversed())
                .toList();
        for (Path path : removals) {
            item = Documents.remove(item, path);
        }
        for (UpdateAction action : actions) {
            switch (action) {
                case UpdateAction.Add add -> item = Documents.set(item, add.path(), add(Documents.get(original, add.path()), add.value().value()));
                case UpdateAction.Delete delete -> {
                    AttributeValue remaining = delete(Documents.get(original, delete.path()), delete.value().value());
                    item = remaining == null ? Documents.remove(item, delete.path()) : Documents.set(item, delete.path(), remaining);
                }
                case UpdateAction.Set ignored -> { }
                case UpdateAction.Remove ignored -> { }
            }
        }
        return item;
    }

    /** Orders paths so that, reversed, a list's higher indexes come before its lower ones. */
    private static final Comparator<Path> BY_PATH = (a, b) -> {
        for (int i = 0; i < Math.min(a.elements().size(), b.elements().size()); i++) {
            Path.Element x = a.elements().get(i);
            Path.Element y = b.elements().get(i);
            int order = x instanceof Path.Index xi && y instanceof Path.Index yi
                    ? Integer.compare(xi.index(), yi.index())
                    : x.toString().compareTo(y.toString());
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.elements().size(), b.elements().size());
    };

    private static void checkOperandType(UpdateAction action) {
        switch (action) {
            case UpdateAction.Add add -> {
                AttributeValue value = add.value().value();
                if (!(value instanceof N || value instanceof SS || value instanceof NS || value instanceof BS)) {
                    throw validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: %s", typeName(value));
                }
            }
            case UpdateAction.Delete delete -> {
                AttributeValue value = delete.value().value();
                if (!(value instanceof SS || value instanceof NS || value instanceof BS)) {
                    throw validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: %s", typeName(value));
                }
            }
            case UpdateAction.Set ignored -> { }
            case UpdateAction.Remove ignored -> { }
        }
    }

    private static String typeName(AttributeValue value) {
        return switch (value.type()) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "SS" -> "STRING_SET";
            case "NS" -> "NUMBER_SET";
            case "BS" -> "BINARY_SET";
            case "M" -> "MAP";
            case "L" -> "LIST";
            case "BOOL" -> "BOOLEAN";
            default -> "NULL";
        };
    }

    private static AttributeValue evaluate(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case Operand.Literal literal -> literal.value();
            case Operand.PathOperand path -> {
                AttributeValue value = Documents.get(item, path.path());
                if (value == null) {
                    throw validation("The provided expression refers to an attribute that does not exist in the item");
                }
                yield value;
            }
            case Operand.Plus plus -> new N(Numbers.check(number(evaluate(plus.left(), item)).add(number(evaluate(plus.right(), item)))));
            case Operand.Minus minus -> new N(Numbers.check(number(evaluate(minus.left(), item)).subtract(number(evaluate(minus.right(), item)))));
            case Operand.IfNotExists ifNotExists -> {
                AttributeValue value = Documents.get(item, ifNotExists.path());
                yield value != null ? value : evaluate(ifNotExists.fallback(), item);
            }
            case Operand.ListAppend append -> {
                if (!(evaluate(append.first(), item) instanceof L first) || !(evaluate(append.second(), item) instanceof L second)) {
                    throw incorrectType();
                }
                List<AttributeValue> values = new ArrayList<>(first.values());
                values.addAll(second.values());
                yield new L(values);
            }
            case Operand.Size ignored -> throw new IllegalStateException("size() is refused in update expressions by the parser");
        };
    }

    private static BigDecimal number(AttributeValue value) {
        if (value instanceof N n) {
            return n.value();
        }
        throw incorrectType();
    }

    private static AttributeValue add(AttributeValue current, AttributeValue value) {
        if (current == null) {
            return value;
        }
        return switch (value) {
            case N n when current instanceof N c -> new N(Numbers.check(c.value().add(n.value())));
            case SS s when current instanceof SS c -> new SS(union(c.values(), s.values()));
            case NS s when current instanceof NS c -> new NS(union(c.values(), s.values()));
            case BS s when current instanceof BS c -> new BS(union(c.values(), s.values()));
            default -> throw incorrectType();
        };
    }

    /** The set left after taking {@code value}'s elements out, or null when none are left. */
    private static AttributeValue delete(AttributeValue current, AttributeValue value) {
        if (current == null) {
            return null;
        }
        AttributeValue remaining = switch (value) {
            case SS s when current instanceof SS c -> new SS(difference(c.values(), s.values()));
            case NS s when current instanceof NS c -> new NS(difference(c.values(), s.values()));
            case BS s when current instanceof BS c -> new BS(difference(c.values(), s.values()));
            default -> throw incorrectType();
        };
        boolean empty = switch (remaining) {
            case SS s -> s.values().isEmpty();
            case NS s -> s.values().isEmpty();
            case BS s -> s.values().isEmpty();
            default -> false;
        };
        return empty ? null : remaining;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> union = new LinkedHashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static <T> Set<T> difference(Set<T> a, Set<T> b) {
        Set<T> difference = new LinkedHashSet<>(a);
        difference.removeAll(b);
        return difference;
    }

    private static AwsException incorrectType() {
        return validation("An operand in the update expression has an incorrect data type");
    }
}
