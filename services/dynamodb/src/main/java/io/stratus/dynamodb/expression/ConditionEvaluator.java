package io.stratus.dynamodb.expression;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.AttributeValue.B;
import io.stratus.dynamodb.item.AttributeValue.BS;
import io.stratus.dynamodb.item.AttributeValue.L;
import io.stratus.dynamodb.item.AttributeValue.M;
import io.stratus.dynamodb.item.AttributeValue.N;
import io.stratus.dynamodb.item.AttributeValue.NS;
import io.stratus.dynamodb.item.AttributeValue.S;
import io.stratus.dynamodb.item.AttributeValue.SS;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates conditions against an item as DynamoDB does: a comparison involving a missing
 * attribute or values of different types is false ({@code <>} is true), ordering applies only to
 * numbers, strings (by UTF-8 bytes) and binaries (as unsigned bytes). Stateless.
 */
public final class ConditionEvaluator {

    private static final Set<String> TYPES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

    private ConditionEvaluator() {}

    /** Whether {@code item} (empty when there is no item) satisfies {@code condition}. */
    public static boolean test(Condition condition, Map<String, AttributeValue> item) {
        return switch (condition) {
            case Condition.And and -> test(and.left(), item) && test(and.right(), item);
            case Condition.Or or -> test(or.left(), item) || test(or.right(), item);
            case Condition.Not not -> !test(not.condition(), item);
            case Condition.Compare compare -> compare(value(compare.left(), item), compare.comparator(), value(compare.right(), item));
            case Condition.Between between -> between(value(between.value(), item), value(between.low(), item), value(between.high(), item));
            case Condition.In in -> {
                AttributeValue value = value(in.value(), item);
                yield value != null && in.candidates().stream().anyMatch(c -> value.equals(value(c, item)));
            }
            case Condition.AttributeExists exists -> Documents.get(item, exists.path()) != null;
            case Condition.AttributeNotExists notExists -> Documents.get(item, notExists.path()) == null;
            case Condition.AttributeType type -> attributeType(Documents.get(item, type.path()), value(type.type(), item));
            case Condition.BeginsWith beginsWith -> beginsWith(value(beginsWith.value(), item), value(beginsWith.prefix(), item));
            case Condition.Contains contains -> contains(value(contains.value(), item), value(contains.element(), item));
        };
    }

    static AttributeValue value(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case Operand.PathOperand path -> Documents.get(item, path.path());
            case Operand.Literal literal -> literal.value();
            case Operand.Size size -> size(Documents.get(item, size.path()));
            case Operand.Plus ignored -> throw new IllegalStateException("arithmetic is only parsed in SET actions");
            case Operand.Minus ignored -> throw new IllegalStateException("arithmetic is only parsed in SET actions");
            case Operand.IfNotExists ignored -> throw new IllegalStateException("if_not_exists is only parsed in SET actions");
            case Operand.ListAppend ignored -> throw new IllegalStateException("list_append is only parsed in SET actions");
        };
    }

    private static AttributeValue size(AttributeValue value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case S s -> AttributeValue.number(s.value().length());
            case B b -> AttributeValue.number(b.value().length);
            case SS ss -> AttributeValue.number(ss.values().size());
            case NS ns -> AttributeValue.number(ns.values().size());
            case BS bs -> AttributeValue.number(bs.values().size());
            case L l -> AttributeValue.number(l.values().size());
            case M m -> AttributeValue.number(m.values().size());
            default -> null;
        };
    }

    private static boolean compare(AttributeValue left, Condition.Comparator comparator, AttributeValue right) {
        if (comparator == Condition.Comparator.EQ) {
            return left != null && left.equals(right);
        }
        if (comparator == Condition.Comparator.NE) {
            return left == null || !left.equals(right);
        }
        Integer order = order(left, right);
        if (order == null) {
            return false;
        }
        return switch (comparator) {
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case EQ, NE -> throw new IllegalStateException("handled above");
        };
    }

    private static boolean between(AttributeValue value, AttributeValue low, AttributeValue high) {
        Integer bounds = order(low, high);
        if (bounds != null && bounds > 0) {
            throw validation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                    + "lower bound operand: AttributeValue: {%s:%s}, upper bound operand: AttributeValue: {%s:%s}",
                    low.type(), display(low), high.type(), display(high));
        }
        Integer fromLow = order(value, low);
        Integer toHigh = order(value, high);
        return fromLow != null && toHigh != null && fromLow >= 0 && toHigh <= 0;
    }

    private static String display(AttributeValue value) {
        return switch (value) {
            case N n -> n.text();
            case S s -> s.value();
            default -> value.toString();
        };
    }

    /**
     * How {@code a} orders against {@code b}, or null when they do not order (missing, different
     * types, or a type without order).
     */
    public static Integer order(AttributeValue a, AttributeValue b) {
        if (a instanceof N x && b instanceof N y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof S x && b instanceof S y) {
            return compareUtf8(x.value(), y.value());
        }
        if (a instanceof B x && b instanceof B y) {
            return x.compareTo(y);
        }
        return null;
    }

    /** Compares strings by their UTF-8 bytes, which is code point order (not UTF-16 order). */
    public static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static boolean attributeType(AttributeValue value, AttributeValue type) {
        if (!(type instanceof S s) || !TYPES.contains(s.value())) {
            throw validation("Invalid ConditionExpression: Invalid attribute type name found; type: %s, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }",
                    type instanceof S text ? text.value() : type.type());
        }
        return value != null && value.type().equals(s.value());
    }

    private static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
        if (value instanceof S s && prefix instanceof S p) {
            return s.value().startsWith(p.value());
        }
        if (value instanceof B b && prefix instanceof B p) {
            return b.value().length >= p.value().length
                    && Arrays.equals(b.value(), 0, p.value().length, p.value(), 0, p.value().length);
        }
        return false;
    }

    private static boolean contains(AttributeValue value, AttributeValue element) {
        if (value == null || element == null) {
            return false;
        }
        return switch (value) {
            case S s -> element instanceof S e && s.value().contains(e.value());
            case SS ss -> element instanceof S e && ss.values().contains(e.value());
            case NS ns -> element instanceof N e && ns.values().contains(e.value());
            case BS bs -> element instanceof B e && bs.values().contains(e);
            case L l -> l.values().contains(element);
            default -> false;
        };
    }
}
