package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.partiql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns parsed PartiQL statements into what the item operations run: a write into an
 * {@link ItemChange} with its implicit condition (INSERT: no item with that key; UPDATE and
 * EXISTS: the item exists), a SELECT into a Query of the partition its WHERE pins or else a Scan,
 * as DynamoDB plans them. Stateless.
 */
final class PartiqlPlans {

    private PartiqlPlans() {}

    /**
     * A write ready to commit.
     *
     * @param duplicate whether a failed condition means the item exists (INSERT), not a failed condition
     * @param returning ReturnValues' name for the statement's RETURNING clause, or NONE
     */
    record Write(Table table, ItemChange change, boolean duplicate, String returning, List<Path> updatedPaths) {

        AwsException failure(Map<String, AttributeValue> old) {
            return duplicate
                    ? AwsException.of(DynamoDbErrors.DUPLICATE_ITEM, "Duplicate primary key exists in table")
                    : ItemOperations.conditionFailed(old);
        }

        String failureCode() {
            return duplicate ? "DuplicateItem" : "ConditionalCheckFailed";
        }

        String failureMessage() {
            return duplicate ? "Duplicate primary key exists in table" : "The conditional request failed";
        }
    }

    /**
     * A SELECT ready to read.
     *
     * @param keyCondition the conditions on the partition (and sort) key, or null for a Scan
     * @param filter every other condition, or null
     * @param fullKey the item's key when the WHERE names the whole primary key with equalities on the table, else null
     */
    record Read(Table table, SecondaryIndex index, Condition keyCondition, Condition filter, List<Path> projection, boolean reverse,
            Map<String, AttributeValue> fullKey) {}

    static Write write(RequestContext context, TableStore tables, Statement statement) {
        Table table = tables.require(context, statement.table());
        return switch (statement) {
            case Statement.Insert insert -> {
                Map<String, AttributeValue> item = ItemRequests.requireItem(insert.item(), "item");
                ItemKeys.checkItem(table, item);
                Condition absent = new Condition.AttributeNotExists(Path.of(table.key().hash()));
                yield new Write(table, new ItemChange(ItemChange.Kind.PUT, table.name(), ItemKeys.keyOf(table.key(), item), item, null, absent),
                        true, "NONE", List.of());
            }
            case Statement.Update update -> {
                KeyAndRest where = splitKey(table, update.where());
                for (UpdateAction action : update.actions()) {
                    if (table.key().typeOf(action.path().attribute()) != null) {
                        throw validation("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key",
                                action.path().attribute());
                    }
                }
                Condition exists = and(new Condition.AttributeExists(Path.of(table.key().hash())), where.rest());
                yield new Write(table, new ItemChange(ItemChange.Kind.UPDATE, table.name(), where.key(), null, update.actions(), exists),
                        false, update.returning(), update.actions().stream().map(UpdateAction::path).toList());
            }
            case Statement.Delete delete -> {
                KeyAndRest where = splitKey(table, delete.where());
                yield new Write(table, new ItemChange(ItemChange.Kind.DELETE, table.name(), where.key(), null, null, where.rest()),
                        false, delete.returning(), List.of());
            }
            case Statement.Exists exists -> {
                Statement.Select select = exists.select();
                if (select.index() != null || select.where() == null) {
                    throw validation("EXISTS must select one item of a table by its full primary key");
                }
                KeyAndRest where = splitKey(table, select.where());
                Condition found = and(new Condition.AttributeExists(Path.of(table.key().hash())), where.rest());
                yield new Write(table, new ItemChange(ItemChange.Kind.CHECK, table.name(), where.key(), null, null, found),
                        false, "NONE", List.of());
            }
            case Statement.Select ignored -> throw new IllegalArgumentException("not a write");
        };
    }

    static Read read(RequestContext context, TableStore tables, Statement.Select select) {
        Table table = tables.require(context, select.table());
        SecondaryIndex index = select.index() == null ? null : table.index(select.index())
                .orElseThrow(() -> validation("The table does not have the specified index: %s", select.index()));
        KeySchema schema = index == null ? table.key() : index.key();
        List<Condition> conjuncts = new ArrayList<>();
        if (select.where() != null) {
            flatten(select.where(), conjuncts);
        }
        Condition hash = null;
        Condition sort = null;
        List<Condition> rest = new ArrayList<>();
        Map<String, AttributeValue> equalities = new LinkedHashMap<>();
        for (Condition part : conjuncts) {
            String attribute = keyAttribute(part);
            if (part instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ && attribute != null
                    && table.key().typeOf(attribute) != null) {
                equalities.putIfAbsent(attribute, literal(compare));
            }
            if (hash == null && attribute != null && attribute.equals(schema.hash())
                    && part instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ
                    && literal(compare).type().equals(schema.hashType())) {
                hash = normalized(compare);
            } else if (sort == null && attribute != null && schema.hasRange() && attribute.equals(schema.range()) && isRangeCondition(part, schema)) {
                sort = part instanceof Condition.Compare compare ? normalized(compare) : part;
            } else {
                rest.add(part);
            }
        }
        Condition keyCondition = null;
        if (hash != null) {
            keyCondition = sort == null ? hash : new Condition.And(hash, sort);
        } else if (sort != null) {
            rest.add(sort);
        }
        if (select.orderBy() != null) {
            if (keyCondition == null) {
                throw validation("Must have WHERE clause in the statement when using ORDER BY clause.");
            }
            if (!schema.hasRange() || !select.orderBy().equals(schema.range())) {
                throw validation("Order by is supported only on sort keys");
            }
        }
        Condition filter = null;
        for (Condition condition : rest) {
            filter = filter == null ? condition : new Condition.And(filter, condition);
        }
        Map<String, AttributeValue> fullKey = null;
        if (index == null && equalities.keySet().containsAll(table.key().attributes())) {
            fullKey = ItemKeys.keyOf(table.key(), equalities);
        }
        return new Read(table, index, keyCondition, filter, select.projection(), select.descending(), fullKey);
    }

    /** A WHERE of a write split into the item's key (required in full) and the remaining conditions. */
    record KeyAndRest(Map<String, AttributeValue> key, Condition rest) {}

    static KeyAndRest splitKey(Table table, Condition where) {
        List<Condition> conjuncts = new ArrayList<>();
        flatten(where, conjuncts);
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        Condition rest = null;
        for (Condition part : conjuncts) {
            String attribute = keyAttribute(part);
            if (attribute != null && table.key().typeOf(attribute) != null && !key.containsKey(attribute)
                    && part instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ) {
                key.put(attribute, literal(compare));
            } else {
                rest = and(rest, part);
            }
        }
        if (!key.keySet().containsAll(table.key().attributes())) {
            throw validation("Where clause does not contain a mandatory equality on all key attributes");
        }
        return new KeyAndRest(ItemKeys.checkKey(table, key), rest);
    }

    private static Condition and(Condition left, Condition right) {
        return left == null ? right : right == null ? left : new Condition.And(left, right);
    }

    private static void flatten(Condition condition, List<Condition> parts) {
        if (condition instanceof Condition.And and) {
            flatten(and.left(), parts);
            flatten(and.right(), parts);
        } else {
            parts.add(condition);
        }
    }

    /** The top-level attribute a key-shaped condition (attribute against literals) tests, or null. */
    private static String keyAttribute(Condition part) {
        Operand subject;
        List<Operand> others;
        switch (part) {
            case Condition.Compare compare -> {
                if (compare.left() instanceof Operand.PathOperand && compare.right() instanceof Operand.Literal) {
                    subject = compare.left();
                    others = List.of(compare.right());
                } else {
                    subject = compare.right();
                    others = List.of(compare.left());
                }
            }
            case Condition.Between between -> {
                subject = between.value();
                others = List.of(between.low(), between.high());
            }
            case Condition.BeginsWith beginsWith -> {
                subject = beginsWith.value();
                others = List.of(beginsWith.prefix());
            }
            default -> {
                return null;
            }
        }
        if (!(subject instanceof Operand.PathOperand path) || !path.path().isTopLevel()
                || !others.stream().allMatch(Operand.Literal.class::isInstance)) {
            return null;
        }
        return path.path().attribute();
    }

    private static AttributeValue literal(Condition.Compare compare) {
        return (compare.right() instanceof Operand.Literal literal ? literal : (Operand.Literal) compare.left()).value();
    }

    private static Condition.Compare normalized(Condition.Compare compare) {
        if (compare.left() instanceof Operand.Literal) {
            return new Condition.Compare(compare.right(), compare.comparator().flipped(), compare.left());
        }
        return compare;
    }

    /** Whether a condition on the sort key narrows a Query's range (so its values must have the key's type). */
    private static boolean isRangeCondition(Condition part, KeySchema schema) {
        String type = schema.rangeType();
        return switch (part) {
            case Condition.Compare compare -> compare.comparator() != Comparator.NE && literal(compare).type().equals(type);
            case Condition.Between between -> ((Operand.Literal) between.low()).value().type().equals(type)
                    && ((Operand.Literal) between.high()).value().type().equals(type)
                    && io.stratus.dynamodb.expression.ConditionEvaluator.order(((Operand.Literal) between.low()).value(),
                            ((Operand.Literal) between.high()).value()) <= 0;
            case Condition.BeginsWith beginsWith -> (type.equals("S") || type.equals("B"))
                    && ((Operand.Literal) beginsWith.prefix()).value().type().equals(type);
            default -> false;
        };
    }
}
