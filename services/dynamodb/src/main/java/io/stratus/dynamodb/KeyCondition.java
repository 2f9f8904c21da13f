package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.ConditionEvaluator;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.AttributeValue.B;
import io.stratus.dynamodb.item.AttributeValue.S;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A Query's KeyConditionExpression checked against a key schema and turned into the store key
 * range of the items it selects: the partition's prefix narrowed by the sort-key condition.
 *
 * @param hash the partition key value
 * @param sort the sort-key condition, or null for the whole partition
 */
record KeyCondition(AttributeValue hash, Condition sort) {

    private static final String KIND = "KeyConditionExpression";

    /** Checks {@code condition} against {@code schema} as DynamoDB does. */
    static KeyCondition of(Condition condition, KeySchema schema) {
        List<Condition> parts = new ArrayList<>();
        flatten(condition, parts);
        Map<String, Condition> byAttribute = new LinkedHashMap<>();
        for (Condition part : parts) {
            String attribute = attributeOf(part);
            if (schema.typeOf(attribute) == null) {
                throw validation("Query condition missed key schema element: %s", schema.hash());
            }
            if (byAttribute.put(attribute, part) != null) {
                throw validation("KeyConditionExpressions must only contain one condition per key");
            }
        }
        Condition hashCondition = byAttribute.get(schema.hash());
        if (hashCondition == null) {
            throw validation("Query condition missed key schema element: %s", schema.hash());
        }
        if (!(hashCondition instanceof Condition.Compare compare) || compare.comparator() != Comparator.EQ) {
            throw validation("Query key condition not supported");
        }
        AttributeValue hash = literalOf(hashCondition);
        checkType(hash, schema.hashType());
        Condition sort = schema.hasRange() ? byAttribute.get(schema.range()) : null;
        if (sort != null) {
            for (AttributeValue value : literalsOf(sort)) {
                checkType(value, schema.rangeType());
            }
            if (sort instanceof Condition.BeginsWith && !(schema.rangeType().equals("S") || schema.rangeType().equals("B"))) {
                throw validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: %s",
                        schema.rangeType());
            }
            if (sort instanceof Condition.Between between) {
                AttributeValue low = ((Operand.Literal) between.low()).value();
                AttributeValue high = ((Operand.Literal) between.high()).value();
                if (ConditionEvaluator.order(low, high) > 0) {
                    throw validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                            + "lower bound operand: AttributeValue: {%s:%s}, upper bound operand: AttributeValue: {%s:%s}",
                            low.type(), text(low), high.type(), text(high));
                }
            }
        }
        return new KeyCondition(hash, sort);
    }

    private static String text(AttributeValue value) {
        return switch (value) {
            case AttributeValue.N n -> n.text();
            case S s -> s.value();
            default -> value.toString();
        };
    }

    private static void flatten(Condition condition, List<Condition> parts) {
        switch (condition) {
            case Condition.And and -> {
                flatten(and.left(), parts);
                flatten(and.right(), parts);
            }
            case Condition.Or ignored -> throw invalidOperator("OR");
            case Condition.Not ignored -> throw invalidOperator("NOT");
            case Condition.In ignored -> throw invalidOperator("IN");
            case Condition.AttributeExists ignored -> throw invalidOperator("attribute_exists");
            case Condition.AttributeNotExists ignored -> throw invalidOperator("attribute_not_exists");
            case Condition.AttributeType ignored -> throw invalidOperator("attribute_type");
            case Condition.Contains ignored -> throw invalidOperator("contains");
            case Condition.Compare compare when compare.comparator() == Comparator.NE -> throw invalidOperator("<>");
            case Condition.Compare compare -> parts.add(normalized(compare));
            case Condition.Between between -> parts.add(between);
            case Condition.BeginsWith beginsWith -> parts.add(beginsWith);
        }
    }

    private static RuntimeException invalidOperator(String operator) {
        return validation("Invalid operator used in KeyConditionExpression: %s", operator);
    }

    /** {@code :v < key} as {@code key > :v}, so the attribute is always on the left. */
    private static Condition.Compare normalized(Condition.Compare compare) {
        if (compare.left() instanceof Operand.Literal && compare.right() instanceof Operand.PathOperand) {
            return new Condition.Compare(compare.right(), compare.comparator().flipped(), compare.left());
        }
        return compare;
    }

    private static String attributeOf(Condition part) {
        Operand subject = switch (part) {
            case Condition.Compare compare -> compare.left();
            case Condition.Between between -> between.value();
            case Condition.BeginsWith beginsWith -> beginsWith.value();
            default -> throw new IllegalStateException("flatten() keeps only key condition shapes");
        };
        if (!(subject instanceof Operand.PathOperand path) || !path.path().isTopLevel()) {
            throw validation("Query key condition not supported");
        }
        literalsOf(part);
        return path.path().attribute();
    }

    private static List<AttributeValue> literalsOf(Condition part) {
        List<Operand> operands = switch (part) {
            case Condition.Compare compare -> List.of(compare.right());
            case Condition.Between between -> List.of(between.low(), between.high());
            case Condition.BeginsWith beginsWith -> List.of(beginsWith.prefix());
            default -> List.of();
        };
        List<AttributeValue> values = new ArrayList<>();
        for (Operand operand : operands) {
            if (!(operand instanceof Operand.Literal literal)) {
                throw validation("Query key condition not supported");
            }
            values.add(literal.value());
        }
        return values;
    }

    private static AttributeValue literalOf(Condition part) {
        return literalsOf(part).getFirst();
    }

    private static void checkType(AttributeValue value, String type) {
        if (!value.type().equals(type)) {
            throw validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    /**
     * The store key range holding the selected entries. {@code partition} makes a fresh builder
     * holding the partition's key elements, which this continues with the sort value. Entries may
     * carry more key elements after the sort value (index entries end with the table key), so
     * bounds on a value cover every key that starts with it.
     */
    KeyRange range(Supplier<Key.Builder> partition) {
        KeyRange all = KeyRange.prefix(partition.get().build());
        if (sort == null) {
            return all;
        }
        return switch (sort) {
            case Condition.Compare compare -> {
                byte[] at = ItemKeys.add(partition.get(), literal(compare.right())).build();
                yield switch (compare.comparator()) {
                    case EQ -> KeyRange.prefix(at);
                    case LT -> new KeyRange(all.start(), at);
                    case LE -> new KeyRange(all.start(), Key.prefixEnd(at));
                    case GT -> new KeyRange(Key.prefixEnd(at), all.end());
                    case GE -> new KeyRange(at, all.end());
                    case NE -> throw new IllegalStateException("refused by of()");
                };
            }
            case Condition.Between between -> new KeyRange(
                    ItemKeys.add(partition.get(), literal(between.low())).build(),
                    Key.prefixEnd(ItemKeys.add(partition.get(), literal(between.high())).build()));
            case Condition.BeginsWith beginsWith -> {
                AttributeValue value = literal(beginsWith.prefix());
                Key.Builder builder = partition.get();
                yield KeyRange.prefix(value instanceof S s ? builder.buildPrefix(s.value()) : builder.buildPrefix(((B) value).value()));
            }
            default -> throw new IllegalStateException("refused by of()");
        };
    }

    private static AttributeValue literal(Operand operand) {
        return ((Operand.Literal) operand).value();
    }
}
