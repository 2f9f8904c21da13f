package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.partiql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What DynamoDB checks of a PartiQL SELECT on an index that does not project every attribute: a
 * global index is asked only for what it projects, and a Query of an index filters only on what
 * it projects. Stateless.
 */
final class PartiqlIndexChecks {

    private PartiqlIndexChecks() {}

    /** What an index holds of each item: the table's and its own key attributes, and an INCLUDE projection's others; null for ALL. */
    private static Set<String> projected(Table table, SecondaryIndex index) {
        if (index == null || index.projectionType().equals("ALL")) {
            return null;
        }
        Set<String> projected = new HashSet<>(table.key().attributes());
        projected.addAll(index.key().attributes());
        projected.addAll(index.nonKeyAttributes());
        return projected;
    }

    /** A global index is asked only for what it projects, as DynamoDB requires (a local index reads the table's item). */
    static void checkProjection(Table table, SecondaryIndex index, Statement.Select select) {
        Set<String> projected = projected(table, index);
        if (projected == null || !index.global() || select.projection() == null) {
            return;
        }
        List<String> missing = select.projection().stream().map(Path::attribute).filter(a -> !projected.contains(a)).distinct().toList();
        if (!missing.isEmpty()) {
            throw validation("One or more parameter values were invalid: Global secondary index %s does not project %s", index.name(), missing);
        }
    }

    /**
     * A Query of an index filters only on what it projects, as DynamoDB requires. As observed of
     * DynamoDB, only the ranges of one partition are checked: the first of the partition values in
     * a hash set's order; the attributes are listed in a hash set's order too.
     */
    static void checkFilters(Table table, SecondaryIndex index, List<PartiqlPlans.Segment> segments) {
        Set<String> projected = projected(table, index);
        if (projected == null) {
            return;
        }
        Set<String> partitions = new HashSet<>();
        segments.forEach(s -> partitions.add(text(s.key().hash())));
        String checked = partitions.iterator().next();
        for (PartiqlPlans.Segment segment : segments) {
            if (!text(segment.key().hash()).equals(checked)) {
                continue;
            }
            Set<String> missing = new HashSet<>();
            if (segment.filter() != null) {
                attributes(segment.filter(), a -> {
                    if (!projected.contains(a)) {
                        missing.add(a);
                    }
                });
            }
            if (!missing.isEmpty()) {
                throw validation("One or more parameter values were invalid: Secondary index %s does not project one or more filter attributes: %s",
                        index.name(), missing);
            }
        }
    }

    private static String text(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S string -> string.value();
            case AttributeValue.N number -> number.value().toPlainString();
            default -> value.toString();
        };
    }

    /** Every top-level attribute a condition reads, in the order it names them. */
    private static void attributes(Condition condition, Consumer<String> sink) {
        switch (condition) {
            case Condition.And and -> {
                attributes(and.left(), sink);
                attributes(and.right(), sink);
            }
            case Condition.Or or -> {
                attributes(or.left(), sink);
                attributes(or.right(), sink);
            }
            case Condition.Not not -> attributes(not.condition(), sink);
            case Condition.Compare compare -> {
                attributes(compare.left(), sink);
                attributes(compare.right(), sink);
            }
            case Condition.Between between -> {
                attributes(between.value(), sink);
                attributes(between.low(), sink);
                attributes(between.high(), sink);
            }
            case Condition.In in -> {
                attributes(in.value(), sink);
                in.candidates().forEach(c -> attributes(c, sink));
            }
            case Condition.AttributeExists exists -> sink.accept(exists.path().attribute());
            case Condition.AttributeNotExists notExists -> sink.accept(notExists.path().attribute());
            case Condition.AttributeType type -> sink.accept(type.path().attribute());
            case Condition.BeginsWith beginsWith -> {
                attributes(beginsWith.value(), sink);
                attributes(beginsWith.prefix(), sink);
            }
            case Condition.Contains contains -> {
                attributes(contains.value(), sink);
                attributes(contains.element(), sink);
            }
        }
    }

    private static void attributes(Operand operand, Consumer<String> sink) {
        switch (operand) {
            case Operand.PathOperand path -> sink.accept(path.path().attribute());
            case Operand.Size size -> sink.accept(size.path().attribute());
            default -> {
                // Literals name no attribute.
            }
        }
    }
}
