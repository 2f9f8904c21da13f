package io.stratus.dynamodb.partiql;

import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed PartiQL statement with its parameters bound: conditions and update actions are the
 * expression package's own, so they are evaluated and applied exactly as DynamoDB's expressions are.
 */
public sealed interface Statement {

    /** The table the statement names. */
    String table();

    /** Whether the statement reads (SELECT, EXISTS) rather than writes. */
    default boolean isRead() {
        return this instanceof Select;
    }

    /**
     * {@code SELECT projection FROM table[.index] [WHERE where] [ORDER BY attribute [ASC|DESC], …]}.
     *
     * @param index the index, or null for the table
     * @param projection the selected paths, or null for {@code *}
     * @param where the condition, or null
     * @param orderBy the attributes of ORDER BY, in order; empty without ORDER BY
     */
    record Select(String table, String index, List<Path> projection, Condition where, List<Order> orderBy) implements Statement {
        public Select {
            projection = projection == null ? null : List.copyOf(projection);
            orderBy = List.copyOf(orderBy);
        }

        Select(String table, String index, List<Path> projection, Condition where) {
            this(table, index, projection, where, List.of());
        }
    }

    /** One attribute of ORDER BY and its direction. */
    record Order(String attribute, boolean descending) {}

    /** {@code INSERT INTO table VALUE {...}}. */
    record Insert(String table, Map<String, AttributeValue> item) implements Statement {
        public Insert {
            item = Collections.unmodifiableMap(new LinkedHashMap<>(item));
        }
    }

    /**
     * {@code UPDATE table SET … REMOVE … WHERE where [RETURNING …]}.
     *
     * @param returning ReturnValues' name for the RETURNING clause ({@code ALL_OLD}, {@code UPDATED_OLD},
     *     {@code ALL_NEW}, {@code UPDATED_NEW}), or {@code NONE}
     */
    record Update(String table, List<UpdateAction> actions, Condition where, String returning) implements Statement {
        public Update {
            actions = List.copyOf(actions);
        }
    }

    /** {@code DELETE FROM table WHERE where [RETURNING ALL OLD *]}; returning is {@code ALL_OLD} or {@code NONE}. */
    record Delete(String table, Condition where, String returning) implements Statement {}

    /** {@code EXISTS(SELECT …)}: a condition check in a transaction. */
    record Exists(Select select) implements Statement {
        @Override
        public String table() {
            return select.table();
        }
    }
}
