package io.stratus.dynamodb.partiql;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.partiql.PartiqlToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recursive-descent parser for the PartiQL subset DynamoDB runs: SELECT, INSERT, UPDATE, DELETE
 * and (in transactions) EXISTS, with {@code ?} parameters bound from the request's Parameters.
 * Syntax errors are ValidationException "Statement wasn't well formed, can't be processed: …", as
 * DynamoDB words them. One instance per statement, on one thread.
 */
public final class PartiqlParser extends PartiqlCursor {

    private PartiqlParser(String statement, List<AttributeValue> parameters) {
        super(PartiqlLexer.tokens(statement), parameters);
    }

    /**
     * Parses one statement and binds its parameters.
     *
     * @param parameters the request's Parameters, one per {@code ?} in order; null when there are none
     */
    public static Statement parse(String statement, List<AttributeValue> parameters) {
        if (statement == null || statement.isBlank()) {
            throw validation("1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null");
        }
        if (parameters != null && parameters.isEmpty()) {
            throw validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        PartiqlParser parser = new PartiqlParser(statement, parameters);
        Statement parsed = parser.statement();
        if (parser.peek().kind() != Kind.END) {
            throw parser.unexpected();
        }
        parser.checkAllParametersUsed();
        return parsed;
    }

    private Statement statement() {
        PartiqlToken first = peek();
        if (first.isWord("SELECT")) {
            return select();
        }
        if (first.isWord("INSERT")) {
            return insert();
        }
        if (first.isWord("UPDATE")) {
            return update();
        }
        if (first.isWord("DELETE")) {
            return delete();
        }
        if (first.isWord("EXISTS")) {
            next();
            expectSymbol("(");
            Statement.Select select = select();
            expectSymbol(")");
            return new Statement.Exists(select);
        }
        throw unexpected();
    }

    private Statement.Select select() {
        expectWord("SELECT");
        List<Path> projection = null;
        if (peek().isSymbol("*")) {
            next();
        } else {
            projection = new ArrayList<>();
            do {
                projection.add(path());
            } while (acceptSymbol(","));
        }
        expectWord("FROM");
        String table = identifier();
        String index = null;
        if (acceptSymbol(".")) {
            index = identifier();
        }
        Condition where = null;
        if (acceptWord("WHERE")) {
            where = condition();
        }
        String orderBy = null;
        boolean descending = false;
        if (acceptWord("ORDER")) {
            expectWord("BY");
            orderBy = identifier();
            if (acceptWord("DESC")) {
                descending = true;
            } else {
                acceptWord("ASC");
            }
        }
        return new Statement.Select(table, index, projection, where, orderBy, descending);
    }

    private Statement.Insert insert() {
        expectWord("INSERT");
        expectWord("INTO");
        String table = identifier();
        if (!acceptWord("VALUE")) {
            throw unexpected();
        }
        AttributeValue item = value();
        if (!(item instanceof AttributeValue.M map)) {
            throw malformed("INSERT needs a tuple ({...}) as its value");
        }
        return new Statement.Insert(table, map.values());
    }

    private Statement.Update update() {
        expectWord("UPDATE");
        String table = identifier();
        List<UpdateAction> actions = new ArrayList<>();
        while (true) {
            if (acceptWord("SET")) {
                do {
                    actions.add(setAction());
                } while (acceptSymbol(","));
            } else if (acceptWord("REMOVE")) {
                do {
                    actions.add(new UpdateAction.Remove(path()));
                } while (acceptSymbol(","));
            } else {
                break;
            }
        }
        if (actions.isEmpty()) {
            throw unexpected();
        }
        expectWord("WHERE");
        Condition where = condition();
        String returning = "NONE";
        if (acceptWord("RETURNING")) {
            String which = acceptWord("ALL") ? "ALL" : acceptWord("MODIFIED") ? "UPDATED" : null;
            if (which == null) {
                throw unexpected();
            }
            String when = acceptWord("OLD") ? "OLD" : acceptWord("NEW") ? "NEW" : null;
            if (when == null) {
                throw unexpected();
            }
            expectSymbol("*");
            returning = which + "_" + when;
        }
        return new Statement.Update(table, actions, where, returning);
    }

    private UpdateAction setAction() {
        Path target = path();
        expectSymbol("=");
        PartiqlToken function = peek();
        if (function.kind() == Kind.WORD && (function.isWord("set_add") || function.isWord("set_delete")) && peekAt(1).isSymbol("(")) {
            next();
            next();
            Path of = path();
            expectSymbol(",");
            PartiqlToken at = peek();
            AttributeValue value = value();
            expectSymbol(")");
            if (!of.equals(target)) {
                throw malformed(function.text() + " must name the attribute it sets");
            }
            if (!(value instanceof AttributeValue.SS || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS)) {
                throw validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: %s, operand type: %s",
                        function.isWord("set_add") ? "ADD" : "DELETE", value.type());
            }
            var literal = new Operand.Literal(at.text(), value);
            return function.isWord("set_add") ? new UpdateAction.Add(target, literal) : new UpdateAction.Delete(target, literal);
        }
        return new UpdateAction.Set(target, arithmetic());
    }

    private Operand arithmetic() {
        Operand left = term();
        while (peek().isSymbol("+") || peek().isSymbol("-")) {
            boolean plus = next().isSymbol("+");
            Operand right = term();
            left = plus ? new Operand.Plus(left, right) : new Operand.Minus(left, right);
        }
        return left;
    }

    private Operand term() {
        PartiqlToken token = peek();
        if (token.isSymbol("(")) {
            next();
            Operand inner = arithmetic();
            expectSymbol(")");
            return inner;
        }
        if (token.isWord("list_append") && peekAt(1).isSymbol("(")) {
            next();
            next();
            Operand first = arithmetic();
            expectSymbol(",");
            Operand second = arithmetic();
            expectSymbol(")");
            return new Operand.ListAppend(first, second);
        }
        if (token.isWord("if_not_exists") && peekAt(1).isSymbol("(")) {
            next();
            next();
            Path path = path();
            expectSymbol(",");
            Operand fallback = arithmetic();
            expectSymbol(")");
            return new Operand.IfNotExists(path, fallback);
        }
        if (isPathStart(token)) {
            return new Operand.PathOperand(path());
        }
        return literal();
    }

    private Statement.Delete delete() {
        expectWord("DELETE");
        expectWord("FROM");
        String table = identifier();
        expectWord("WHERE");
        Condition where = condition();
        String returning = "NONE";
        if (acceptWord("RETURNING")) {
            if (!acceptWord("ALL") || !acceptWord("OLD")) {
                throw unexpected();
            }
            expectSymbol("*");
            returning = "ALL_OLD";
        }
        return new Statement.Delete(table, where, returning);
    }

    // Conditions.

    private Condition condition() {
        Condition left = conjunction();
        while (acceptWord("OR")) {
            left = new Condition.Or(left, conjunction());
        }
        return left;
    }

    private Condition conjunction() {
        Condition left = negation();
        while (acceptWord("AND")) {
            left = new Condition.And(left, negation());
        }
        return left;
    }

    private Condition negation() {
        if (acceptWord("NOT")) {
            return new Condition.Not(negation());
        }
        return predicate();
    }

    private Condition predicate() {
        PartiqlToken token = peek();
        if (token.isSymbol("(")) {
            next();
            Condition inner = condition();
            expectSymbol(")");
            return inner;
        }
        if (token.kind() == Kind.WORD && peekAt(1).isSymbol("(")) {
            String function = token.text().toLowerCase(Locale.ROOT);
            switch (function) {
                case "attribute_exists", "attribute_not_exists" -> {
                    next();
                    next();
                    Path path = path();
                    expectSymbol(")");
                    return function.equals("attribute_exists") ? new Condition.AttributeExists(path) : new Condition.AttributeNotExists(path);
                }
                case "attribute_type" -> {
                    next();
                    next();
                    Path path = path();
                    expectSymbol(",");
                    Operand type = operand();
                    expectSymbol(")");
                    return new Condition.AttributeType(path, type);
                }
                case "begins_with", "contains" -> {
                    next();
                    next();
                    Operand value = operand();
                    expectSymbol(",");
                    Operand argument = operand();
                    expectSymbol(")");
                    return function.equals("begins_with") ? new Condition.BeginsWith(value, argument) : new Condition.Contains(value, argument);
                }
                case "size" -> {
                    // size(path) starts a comparison, handled below.
                }
                default -> throw malformed("Unsupported function: " + token.text());
            }
        }
        Operand left = operand();
        PartiqlToken operator = next();
        if (operator.kind() == Kind.SYMBOL) {
            Comparator comparator = switch (operator.text()) {
                case "=" -> Comparator.EQ;
                case "<>" -> Comparator.NE;
                case "<" -> Comparator.LT;
                case "<=" -> Comparator.LE;
                case ">" -> Comparator.GT;
                case ">=" -> Comparator.GE;
                default -> throw unexpected(operator);
            };
            return new Condition.Compare(left, comparator, operand());
        }
        if (operator.isWord("BETWEEN")) {
            Operand low = operand();
            expectWord("AND");
            return new Condition.Between(left, low, operand());
        }
        if (operator.isWord("IN")) {
            String close;
            if (acceptSymbol("[")) {
                close = "]";
            } else if (acceptSymbol("(")) {
                close = ")";
            } else {
                throw unexpected();
            }
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(operand());
            } while (acceptSymbol(","));
            expectSymbol(close);
            if (candidates.size() > 100) {
                throw validation("Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: %d", candidates.size());
            }
            return new Condition.In(left, candidates);
        }
        if (operator.isWord("IS")) {
            boolean not = acceptWord("NOT");
            if (!(left instanceof Operand.PathOperand path)) {
                throw malformed("IS needs an attribute on its left");
            }
            if (acceptWord("MISSING")) {
                return not ? new Condition.AttributeExists(path.path()) : new Condition.AttributeNotExists(path.path());
            }
            if (acceptWord("NULL")) {
                Condition isNull = new Condition.Compare(left, Comparator.EQ, new Operand.Literal("NULL", new AttributeValue.Null()));
                return not ? new Condition.Not(isNull) : isNull;
            }
            throw unexpected();
        }
        throw unexpected(operator);
    }

    private Operand operand() {
        PartiqlToken token = peek();
        if (token.isWord("size") && peekAt(1).isSymbol("(")) {
            next();
            next();
            Path path = path();
            expectSymbol(")");
            return new Operand.Size(path);
        }
        if (isPathStart(token)) {
            return new Operand.PathOperand(path());
        }
        return literal();
    }

    private Operand.Literal literal() {
        PartiqlToken token = peek();
        AttributeValue value = value();
        return new Operand.Literal(token.kind() == Kind.STRING ? "'" + token.text() + "'" : token.text(), value);
    }

    // Paths and identifiers.

    private Path path() {
        List<Path.Element> elements = new ArrayList<>();
        elements.add(new Path.Name(identifier()));
        while (true) {
            if (peek().isSymbol(".") && (peekAt(1).kind() == Kind.WORD || peekAt(1).kind() == Kind.QUOTED)) {
                next();
                elements.add(new Path.Name(identifier()));
            } else if (peek().isSymbol("[")) {
                next();
                PartiqlToken index = next();
                if (index.kind() != Kind.NUMBER || !index.text().chars().allMatch(Character::isDigit)) {
                    throw unexpected(index);
                }
                expectSymbol("]");
                elements.add(new Path.Index(Integer.parseInt(index.text())));
            } else {
                return new Path(elements);
            }
        }
    }

    private String identifier() {
        PartiqlToken token = peek();
        if (!isPathStart(token)) {
            throw unexpected();
        }
        next();
        if (token.kind() == Kind.QUOTED && token.text().isEmpty()) {
            throw malformed("Empty identifier");
        }
        return token.text();
    }

}
