package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.ConditionEvaluator;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.partiql.Statement;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns parsed PartiQL statements into what the item operations run: a write into an
 * {@link ItemChange} with its implicit condition (INSERT: no item with that key; UPDATE and
 * EXISTS: the item exists), a SELECT into the Query ranges its WHERE pins or else a Scan, as
 * DynamoDB plans them. A WHERE whose every disjunct fixes the partition key (with {@code =},
 * {@code IN} or {@code OR}) becomes one range per disjunct, up to 50, read in turn; the ranges of
 * one partition must not overlap. Stateless.
 */
final class PartiqlPlans {

    /** How many Query ranges one SELECT may decompose into, as in DynamoDB. */
    static final int MAX_DECOMPOSED_READS = 50;
    /** Past this many disjuncts the WHERE is not expanded, and the SELECT scans. */
    private static final int MAX_EXPANSION = 10_000;

    static final String KEY_MISMATCH = "The provided key element does not match the schema";

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
     * One Query range of a SELECT.
     *
     * @param key the partition and the sort-key condition narrowing it
     * @param filter what else an item of this range must meet, or null
     * @param reverse whether the range is read in descending key order
     */
    record Segment(KeyCondition key, Condition filter, boolean reverse) {}

    /**
     * A SELECT ready to read.
     *
     * @param segments the Query ranges to read in turn, or null for a Scan
     * @param filter the condition of a Scan (null for none, and for Query ranges, which carry their own)
     */
    record Read(Table table, SecondaryIndex index, List<Segment> segments, Condition filter, List<Path> projection) {}

    /** A batch or transaction SELECT: one item of a table, named by its full key. */
    record ReadOne(Table table, Map<String, AttributeValue> key, List<Path> projection) {}

    static Write write(RequestContext context, TableStore tables, Statement statement, boolean inTransaction) {
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
                KeyAndRest where = splitKey(table, update.where(), inTransaction ? KeyRule.TRANSACTION : KeyRule.SINGLE);
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
                KeyAndRest where = splitKey(table, delete.where(), inTransaction ? KeyRule.TRANSACTION : KeyRule.SINGLE);
                yield new Write(table, new ItemChange(ItemChange.Kind.DELETE, table.name(), where.key(), null, null, where.rest()),
                        false, delete.returning(), List.of());
            }
            case Statement.Exists exists -> {
                Statement.Select select = exists.select();
                if (select.index() != null) {
                    throw validation("Operations on indices are not supported in transactions");
                }
                KeyAndRest where = select.where() == null ? null : splitKey(table, select.where(), KeyRule.EXISTS);
                if (where == null || where.rest() == null) {
                    throw validation("EXISTS() must contain a single item read with additional condition");
                }
                Condition found = and(new Condition.AttributeExists(Path.of(table.key().hash())), where.rest());
                yield new Write(table, new ItemChange(ItemChange.Kind.CHECK, table.name(), where.key(), null, null, found),
                        false, "NONE", List.of());
            }
            case Statement.Select ignored -> throw new IllegalArgumentException("not a write");
        };
    }

    /** Whether a write's error cancels an ExecuteTransaction with a reason for that statement, rather than refusing the request. */
    static boolean cancelsTransaction(AwsException e) {
        return e.errorCode() == DynamoDbErrors.RESOURCE_NOT_FOUND
                || e.errorCode() == DynamoDbErrors.VALIDATION && (KEY_MISMATCH.equals(e.getMessage())
                        || e.getMessage().startsWith("One or more parameter values were invalid: Missing the key"));
    }

    // Reads.

    static Read read(RequestContext context, TableStore tables, Statement.Select select) {
        Table table = tables.require(context, select.table());
        SecondaryIndex index = index(table, select);
        KeySchema schema = index == null ? table.key() : index.key();
        List<Branch> branches = select.where() == null ? null : expand(select.where(), schema);
        boolean keyed = branches != null && branches.stream().allMatch(b -> b.hash() != null);
        checkOrderBy(select, schema, keyed, keyed ? branches : List.of());
        PartiqlIndexChecks.checkProjection(table, index, select);
        if (!keyed) {
            return new Read(table, index, null, select.where(), select.projection());
        }
        for (Branch branch : branches) {
            checkKeyTypes(branch, schema);
        }
        if (branches.size() > MAX_DECOMPOSED_READS) {
            throw validation("Too many decomposed read operations for a given query.");
        }
        List<Segment> segments = new ArrayList<>();
        List<KeyRange> ranges = new ArrayList<>();
        for (Branch branch : branches) {
            KeyCondition key = new KeyCondition(branch.hash(), branch.sort());
            KeyRange range = ReadOperations.range(table, index, key);
            for (int i = 0; i < ranges.size(); i++) {
                if (overlap(range, ranges.get(i))) {
                    throw validation("Overlapping conditions with range keys are not supported in where clause");
                }
            }
            ranges.add(range);
            segments.add(new Segment(key, branch.residual(), false));
        }
        PartiqlIndexChecks.checkFilters(table, index, segments);
        return new Read(table, index, order(select, schema, segments, ranges), null, select.projection());
    }

    /**
     * A batch or transaction SELECT: its WHERE must hold nothing but equalities on the table's
     * key attributes (a one-value IN counts), naming every one once.
     *
     * @param api the operation, as DynamoDB names it in the error
     */
    static ReadOne readOne(RequestContext context, TableStore tables, Statement.Select select, String api) {
        Table table = tables.require(context, select.table());
        String refused = "Select statements within " + api + " must specify the primary key in the where clause.";
        if (select.index() != null) {
            if (api.equals("ExecuteTransaction")) {
                throw validation("Reads on indices are not supported within transactions.");
            }
            index(table, select);
            throw validation("%s", refused);
        }
        if (select.where() == null) {
            throw validation("%s", refused);
        }
        List<Branch> branches = expand(select.where(), table.key());
        if (branches != null && branches.size() > MAX_DECOMPOSED_READS && branches.stream().allMatch(b -> b.hash() != null)) {
            throw validation("Too many decomposed read operations for a given query.");
        }
        List<Condition> conjuncts = new ArrayList<>();
        flatten(select.where(), conjuncts);
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Condition part : conjuncts) {
            String attribute = keyAttribute(part);
            AttributeValue value = null;
            if (attribute != null && table.key().typeOf(attribute) != null) {
                if (part instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ) {
                    value = literal(compare);
                } else if (part instanceof Condition.In in && in.candidates().size() == 1) {
                    value = ((Operand.Literal) in.candidates().getFirst()).value();
                }
            }
            if (value == null) {
                throw validation("%s", refused);
            }
            AttributeValue before = key.putIfAbsent(attribute, value);
            if (before != null && !before.equals(value)) {
                throw validation("%s", refused);
            }
        }
        if (!key.keySet().containsAll(table.key().attributes())) {
            throw validation("%s", refused);
        }
        return new ReadOne(table, ItemKeys.checkKey(table, key), select.projection());
    }

    private static SecondaryIndex index(Table table, Statement.Select select) {
        return select.index() == null ? null : table.index(select.index())
                .orElseThrow(() -> validation("The table does not have the specified index"));
    }

    /** ORDER BY names key attributes of what is read, and needs the partition fixed, as DynamoDB requires. */
    private static void checkOrderBy(Statement.Select select, KeySchema schema, boolean keyed, List<Branch> branches) {
        if (select.orderBy().isEmpty()) {
            return;
        }
        if (select.where() == null) {
            throw validation("Must have WHERE clause in the statement when using ORDER BY clause.");
        }
        for (Statement.Order order : select.orderBy()) {
            if (schema.typeOf(order.attribute()) == null) {
                throw validation("Attribute %s in ORDER BY clause must be part of the primary key", order.attribute());
            }
        }
        if (!keyed) {
            throw validation("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.");
        }
        boolean byHash = select.orderBy().stream().anyMatch(o -> o.attribute().equals(schema.hash()));
        if (!byHash && branches.stream().map(Branch::hash).distinct().count() > 1) {
            throw validation("Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.");
        }
    }

    /**
     * The segments in reading order. Without ORDER BY: as the statement names them, each
     * ascending. With it: partitions by the partition key when it is named (else as named),
     * and within one by the sort key, descending unless ORDER BY names the sort key ascending (a
     * partition-key-only ORDER BY reads each partition descending, as DynamoDB does).
     */
    private static List<Segment> order(Statement.Select select, KeySchema schema, List<Segment> segments, List<KeyRange> ranges) {
        if (select.orderBy().isEmpty()) {
            return segments;
        }
        Statement.Order byHash = null;
        Statement.Order bySort = null;
        for (Statement.Order order : select.orderBy()) {
            if (order.attribute().equals(schema.hash()) && byHash == null) {
                byHash = order;
            } else if (schema.hasRange() && order.attribute().equals(schema.range()) && bySort == null) {
                bySort = order;
            }
        }
        boolean sortDescending = bySort != null ? bySort.descending() : byHash != null;
        List<AttributeValue> named = new ArrayList<>();
        for (Segment segment : segments) {
            if (!named.contains(segment.key().hash())) {
                named.add(segment.key().hash());
            }
        }
        java.util.Comparator<Integer> partitionOrder = byHash != null
                ? java.util.Comparator.comparing(i -> ItemKeys.add(Key.builder(), segments.get(i).key().hash()).build(), Key.ORDER)
                : java.util.Comparator.comparingInt(i -> named.indexOf(segments.get(i).key().hash()));
        if (byHash != null && byHash.descending()) {
            partitionOrder = partitionOrder.reversed();
        }
        java.util.Comparator<Integer> sortOrder = java.util.Comparator.comparing(i -> ranges.get(i).start(), Key.ORDER);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            order.add(i);
        }
        order.sort(partitionOrder.thenComparing(sortDescending ? sortOrder.reversed() : sortOrder));
        return order.stream().map(i -> new Segment(segments.get(i).key(), segments.get(i).filter(), sortDescending)).toList();
    }

    private static boolean overlap(KeyRange a, KeyRange b) {
        return Key.ORDER.compare(a.start(), b.end()) < 0 && Key.ORDER.compare(b.start(), a.end()) < 0;
    }

    /** Key values of the wrong type in what pins a read are refused, as DynamoDB refuses them. */
    private static void checkKeyTypes(Branch branch, KeySchema schema) {
        if (!branch.hash().type().equals(schema.hashType())) {
            throw validation("Key attribute's data type should match its data type in table's schema: Key %s", schema.hash());
        }
        if (branch.sortTypeMismatch()) {
            throw validation("Key attribute's data type should match its data type in table's schema: Key %s", schema.range());
        }
    }

    /**
     * One disjunct of a WHERE as far as the key goes.
     *
     * @param hash the partition key's value, or null when the disjunct does not fix it
     * @param sort the condition on the sort key narrowing the range, or null
     * @param residual everything else the disjunct requires, or null
     * @param sortTypeMismatch whether an equality on the sort key has a value of another type
     */
    private record Branch(AttributeValue hash, Condition hashCondition, Condition sort, Condition residual, boolean sortTypeMismatch) {

        static Branch filter(Condition condition) {
            return new Branch(null, null, null, condition, false);
        }

        Branch and(Branch other) {
            AttributeValue h = hash;
            Condition hc = hashCondition;
            Condition s = sort;
            Condition r = PartiqlPlans.and(residual, other.residual);
            if (other.hash != null) {
                if (h == null) {
                    h = other.hash;
                    hc = other.hashCondition;
                } else {
                    r = PartiqlPlans.and(r, other.hashCondition);
                }
            }
            if (other.sort != null) {
                if (s == null) {
                    s = other.sort;
                } else {
                    r = PartiqlPlans.and(r, other.sort);
                }
            }
            return new Branch(h, hc, s, r, sortTypeMismatch || other.sortTypeMismatch);
        }
    }

    /** The disjuncts of {@code condition} that pin a key, or null when there would be too many to consider. */
    private static List<Branch> expand(Condition condition, KeySchema schema) {
        switch (condition) {
            case Condition.And and -> {
                List<Branch> left = expand(and.left(), schema);
                List<Branch> right = left == null ? null : expand(and.right(), schema);
                if (right == null || (long) left.size() * right.size() > MAX_EXPANSION) {
                    return null;
                }
                List<Branch> product = new ArrayList<>();
                for (Branch l : left) {
                    for (Branch r : right) {
                        product.add(l.and(r));
                    }
                }
                return product;
            }
            case Condition.Or or -> {
                List<Branch> left = expand(or.left(), schema);
                List<Branch> right = left == null ? null : expand(or.right(), schema);
                if (right == null || left.size() + right.size() > MAX_EXPANSION) {
                    return null;
                }
                List<Branch> all = new ArrayList<>(left);
                all.addAll(right);
                // An OR splits the read when every side fixes the partition, or when a side narrows
                // the sort key; otherwise it is only a filter.
                boolean allPin = all.stream().allMatch(b -> b.hash() != null);
                boolean anySort = all.stream().anyMatch(b -> b.sort() != null || b.sortTypeMismatch());
                return allPin || anySort ? all : List.of(Branch.filter(condition));
            }
            default -> {
                return leaf(condition, schema);
            }
        }
    }

    private static List<Branch> leaf(Condition part, KeySchema schema) {
        String attribute = keyAttribute(part);
        if (attribute == null) {
            return List.of(Branch.filter(part));
        }
        boolean isHash = attribute.equals(schema.hash());
        boolean isSort = schema.hasRange() && attribute.equals(schema.range());
        if (part instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ) {
            AttributeValue value = literal(compare);
            if (isHash) {
                return List.of(new Branch(value, normalized(compare), null, null, false));
            }
            if (isSort) {
                boolean mismatch = !value.type().equals(schema.rangeType());
                return List.of(new Branch(null, null, mismatch ? null : normalized(compare), mismatch ? part : null, mismatch));
            }
        }
        if (part instanceof Condition.In in && (isHash || isSort)) {
            List<Branch> branches = new ArrayList<>();
            for (Operand candidate : in.candidates()) {
                AttributeValue value = ((Operand.Literal) candidate).value();
                Condition.Compare eq = new Condition.Compare(in.value(), Comparator.EQ, candidate);
                if (isHash) {
                    branches.add(new Branch(value, eq, null, null, false));
                } else {
                    boolean mismatch = !value.type().equals(schema.rangeType());
                    branches.add(new Branch(null, null, mismatch ? null : eq, mismatch ? eq : null, mismatch));
                }
            }
            return branches;
        }
        if (isSort && isRangeCondition(part, schema)) {
            return List.of(new Branch(null, null, part instanceof Condition.Compare compare ? normalized(compare) : part, null, false));
        }
        return List.of(Branch.filter(part));
    }

    // Writes.

    /** A WHERE of a write split into the item's key (required in full) and the remaining conditions. */
    record KeyAndRest(Map<String, AttributeValue> key, Condition rest) {}

    /** How a write's WHERE must name its item: alone, in a transaction, or in an EXISTS check. */
    private enum KeyRule { SINGLE, TRANSACTION, EXISTS }

    private static KeyAndRest splitKey(Table table, Condition where, KeyRule rule) {
        List<Condition> conjuncts = new ArrayList<>();
        flatten(where, conjuncts);
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        Condition rest = null;
        for (Condition part : conjuncts) {
            String attribute = keyAttribute(part);
            if (attribute != null && table.key().typeOf(attribute) != null
                    && part instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ) {
                AttributeValue value = literal(compare);
                AttributeValue before = key.get(attribute);
                if (before == null) {
                    key.put(attribute, value);
                    continue;
                }
                if (before.equals(value)) {
                    continue;
                }
                switch (rule) {
                    case SINGLE -> throw validation("Multiple conditions on same key %s. Only single item Update/Insert/Delete are supported", attribute);
                    case TRANSACTION -> throw validation("%s", KEY_MISMATCH);
                    case EXISTS -> {
                        // The first value names the item; the other is a condition it fails.
                    }
                }
            }
            if (attribute != null && table.key().typeOf(attribute) != null && part instanceof Condition.In && rule != KeyRule.SINGLE) {
                throw rule == KeyRule.EXISTS
                        ? validation("EXISTS() must contain a single item read with additional condition")
                        : validation("%s", KEY_MISMATCH);
            }
            rest = and(rest, part);
        }
        if (!key.keySet().containsAll(table.key().attributes())) {
            throw switch (rule) {
                case SINGLE -> validation("Where clause does not contain a mandatory equality on all key attributes");
                case TRANSACTION -> validation("%s", KEY_MISMATCH);
                case EXISTS -> validation("EXISTS() must contain a single item read with additional condition");
            };
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
            case Condition.In in -> {
                subject = in.value();
                others = in.candidates();
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
                    && ConditionEvaluator.order(((Operand.Literal) between.low()).value(), ((Operand.Literal) between.high()).value()) <= 0;
            case Condition.BeginsWith beginsWith -> (type.equals("S") || type.equals("B"))
                    && ((Operand.Literal) beginsWith.prefix()).value().type().equals(type);
            default -> false;
        };
    }
}
