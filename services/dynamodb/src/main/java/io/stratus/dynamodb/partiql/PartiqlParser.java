package io.stratus.dynamodb.partiql;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.partiql.PartiqlToken.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser for the PartiQL subset DynamoDB runs: SELECT, INSERT, UPDATE, DELETE
 * and (in transactions) EXISTS, with {@code ?} parameters bound from the request's Parameters.
 * Errors are worded as DynamoDB words them: syntax errors are ValidationException "Statement
 * wasn't well formed, can't be processed: " and the kind of what was found ("Unexpected term",
 * "Unexpected keyword", "Unexpected token after expression", …, never where); errors about a
 * function or a path name where they are ({@code at line:column:length}). One instance per
 * statement, on one thread.
 */
public final class PartiqlParser extends PartiqlCursor {

    /** The type names {@code IS} tests, and the attribute type each one is. */
    private static final Map<String, String> IS_TYPES = Map.of("BOOLEAN", "BOOL", "STRING", "S", "NUMERIC", "N", "BLOB", "B",
            "STRUCT", "M", "TUPLE", "M", "LIST", "L");
    private static final Set<String> ATTRIBUTE_TYPES = Set.of("N", "BS", "L", "B", "NULL", "M", "S", "SS", "NS", "BOOL");
    private static final int MAX_IN_OPERANDS = 100;

    private PartiqlParser(String statement, List<AttributeValue> parameters) {
        super(statement, parameters);
    }

    /**
     * Parses one statement and binds its parameters.
     *
     * @param parameters the request's Parameters, one per {@code ?} in order; null when there are none
     */
    public static Statement parse(String statement, List<AttributeValue> parameters) {
        if (statement == null || statement.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null");
        }
        if (statement.length() > 8192) {
            throw validation("1 validation error detected: Value '%s' at 'statement' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 8192", statement);
        }
        if (parameters != null && parameters.isEmpty()) {
            throw validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        PartiqlParser parser = new PartiqlParser(statement, parameters);
        Statement parsed = parser.statement();
        parser.acceptSymbol(";");
        if (parser.peek().kind() != Kind.END) {
            throw malformed("Unexpected token after expression");
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
        if (isPathStart(first)) {
            throw malformed("Expected data manipulation");
        }
        throw unexpectedTerm(first);
    }

    private Statement.Select select() {
        expectWord("SELECT");
        List<Path> projection = null;
        if (acceptSymbol("*")) {
            if (peek().isSymbol(",")) {
                throw validation("Other attributes should not be present in the projection when '*' is used.");
            }
        } else {
            projection = new ArrayList<>();
            Set<String> names = new HashSet<>();
            do {
                if (peek().isSymbol("*")) {
                    throw validation("Other attributes should not be present in the projection when '*' is used.");
                }
                PartiqlToken start = peek();
                if (start.kind() == Kind.WORD && peekAt(1).isSymbol("(") && !isKeyword(start)) {
                    throw validation("Unexpected path component %s", at(start));
                }
                Path path = path();
                String name = lastName(path);
                if (!names.add(name)) {
                    throw validation("Duplicate identifiers in select clause: %s", name);
                }
                projection.add(path);
            } while (acceptSymbol(","));
        }
        expectWord("FROM");
        if (!isPathStart(peek())) {
            throw unexpectedTerm(peek());
        }
        String table = identifier();
        String index = null;
        if (acceptSymbol(".")) {
            index = identifier();
            if (peek().isSymbol(".")) {
                throw validation("A path may contain at most 2 components in the FROM clause");
            }
        }
        refuseAlias();
        Condition where = null;
        if (acceptWord("WHERE")) {
            where = condition();
        }
        List<Statement.Order> orderBy = new ArrayList<>();
        if (acceptWord("ORDER")) {
            expectWord("BY");
            do {
                String attribute = identifier();
                boolean descending = acceptWord("DESC");
                if (!descending) {
                    acceptWord("ASC");
                }
                orderBy.add(new Statement.Order(attribute, descending));
            } while (acceptSymbol(","));
        }
        return new Statement.Select(table, index, projection, where, orderBy);
    }

    /** The name a projected path's attribute comes back under: its last named component, as DynamoDB names it. */
    private static String lastName(Path path) {
        String name = path.attribute();
        StringBuilder suffix = new StringBuilder();
        for (Path.Element element : path.elements()) {
            if (element instanceof Path.Name named) {
                name = named.name();
                suffix.setLength(0);
            } else {
                suffix.append(element);
            }
        }
        return name + suffix;
    }

    private void refuseAlias() {
        if (peek().isWord("AS") || isPathStart(peek())) {
            throw validation("Aliasing is not supported");
        }
    }

    private Statement.Insert insert() {
        expectWord("INSERT");
        expectWord("INTO");
        String table = tableName();
        if (peek().isWord("VALUES")) {
            throw validation("Unsupported operation: Inserting multiple items in a single statement is not supported, "
                    + "use \"INSERT INTO tableName VALUE item\" instead");
        }
        if (!acceptWord("VALUE")) {
            throw isPathStart(peek()) ? malformed("Unexpected token after expression") : unexpected(peek());
        }
        if (!acceptSymbol("{")) {
            value();
            throw validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.");
        }
        Map<String, AttributeValue> item = tuple(null, 0);
        if (peek().isWord("RETURNING")) {
            throw validation("RETURNING is not supported in INSERT");
        }
        return new Statement.Insert(table, item);
    }

    private Statement.Update update() {
        expectWord("UPDATE");
        String table = tableName();
        refuseAlias();
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
            throw unexpected(peek());
        }
        if (!acceptWord("WHERE")) {
            throw peek().kind() == Kind.END ? validation("Where clause does not contain a mandatory equality on all key attributes") : unexpected(peek());
        }
        Condition where = condition();
        String returning = "NONE";
        if (peek().isWord("RETURNING")) {
            returning = returning();
        }
        return new Statement.Update(table, actions, where, returning);
    }

    /** {@code RETURNING (ALL | MODIFIED) (OLD | NEW) *} as ReturnValues names it. */
    private String returning() {
        expectWord("RETURNING");
        String which = acceptWord("ALL") ? "ALL" : acceptWord("MODIFIED") ? "MODIFIED" : null;
        String when = which == null ? null : acceptWord("OLD") ? "OLD" : acceptWord("NEW") ? "NEW" : null;
        if (when == null || !acceptSymbol("*")) {
            throw validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
        }
        return (which.equals("ALL") ? "ALL" : "UPDATED") + "_" + when;
    }

    private UpdateAction setAction() {
        Path target = path();
        expectSymbol("=");
        PartiqlToken function = peek();
        if (function.kind() == Kind.WORD && (function.isWord("set_add") || function.isWord("set_delete")) && peekAt(1).isSymbol("(")) {
            String name = function.isWord("set_add") ? "SET_ADD" : "SET_DELETE";
            next();
            next();
            List<PartiqlToken> starts = new ArrayList<>();
            List<Object> arguments = new ArrayList<>();
            if (!peek().isSymbol(")")) {
                do {
                    starts.add(peek());
                    arguments.add(isPathStart(peek()) ? path() : value());
                } while (acceptSymbol(","));
            }
            expectSymbol(")");
            if (arguments.size() != 2) {
                throw validation("%s must have exactly two arguments %s", name, at(function));
            }
            if (!target.equals(arguments.get(0))) {
                throw validation("The first argument to %s must equal the assignment value %s", name, at(function));
            }
            if (!(arguments.get(1) instanceof AttributeValue value)
                    || !(value instanceof AttributeValue.SS || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS)) {
                throw validation("The second argument to %s must be a value with type SET %s", name, at(starts.getFirst()));
            }
            var literal = new Operand.Literal(starts.get(1).text(), value);
            return name.equals("SET_ADD") ? new UpdateAction.Add(target, literal) : new UpdateAction.Delete(target, literal);
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
        if (token.kind() == Kind.WORD && peekAt(1).isSymbol("(") && !isKeyword(token)) {
            throw validation("Unrecognized function: %s %s", token.text().toLowerCase(Locale.ROOT), at(token));
        }
        if (isPathStart(token)) {
            return new Operand.PathOperand(path());
        }
        return literal();
    }

    private Statement.Delete delete() {
        expectWord("DELETE");
        expectWord("FROM");
        String table = tableName();
        refuseAlias();
        expectWord("WHERE");
        Condition where = condition();
        String returning = "NONE";
        if (peek().isWord("RETURNING")) {
            returning = returning();
            if (!returning.equals("ALL_OLD")) {
                throw validation("Invalid returning clause: RETURNING %s *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
                        returning.replace("UPDATED", "MODIFIED").replace('_', ' '));
            }
        }
        return new Statement.Delete(table, where, returning);
    }

    /** The table a write names: a name is required here, as DynamoDB's grammar words it. */
    private String tableName() {
        if (!isPathStart(peek())) {
            throw malformed("Expected identifier for simple path");
        }
        return identifier();
    }

    // Conditions.

    private Condition condition() {
        Condition left = conjunction();
        while (acceptWord("OR")) {
            requireRightHandSide();
            left = new Condition.Or(left, conjunction());
        }
        return left;
    }

    private Condition conjunction() {
        Condition left = negation();
        while (acceptWord("AND")) {
            requireRightHandSide();
            left = new Condition.And(left, negation());
        }
        return left;
    }

    private void requireRightHandSide() {
        if (peek().kind() == Kind.END || peek().isSymbol(";")) {
            throw malformed("Missing right-hand side expression of infix operator");
        }
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
                    List<Operand> operands = arguments();
                    if (operands.size() != 1) {
                        throw validation("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d",
                                function, operands.size());
                    }
                    if (!(operands.getFirst() instanceof Operand.PathOperand path)) {
                        throw validation("Operator or function requires a document path; operator or function: %s", function);
                    }
                    return function.equals("attribute_exists")
                            ? new Condition.AttributeExists(path.path()) : new Condition.AttributeNotExists(path.path());
                }
                case "attribute_type" -> {
                    next();
                    next();
                    Path path = path();
                    expectSymbol(",");
                    Operand type = operand();
                    expectSymbol(")");
                    if (type instanceof Operand.Literal literal) {
                        if (!(literal.value() instanceof AttributeValue.S name)) {
                            throw validation("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: %s",
                                    literal.value().type());
                        }
                        if (!ATTRIBUTE_TYPES.contains(name.value())) {
                            throw validation("Invalid attribute type name found; type: %s, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}", name.value());
                        }
                    }
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
                default -> throw validation("Unrecognized function: %s %s", function, at(token));
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
                throw unexpectedTerm(peek());
            }
            List<Operand> candidates = new ArrayList<>();
            if (!peek().isSymbol(close)) {
                do {
                    candidates.add(operand());
                } while (acceptSymbol(","));
            }
            expectSymbol(close);
            if (candidates.isEmpty() || !(left instanceof Operand.PathOperand)) {
                throw validation("IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq "
                        + "with at least one member");
            }
            if (candidates.size() > MAX_IN_OPERANDS) {
                throw validation("The IN operator is provided with too many operands; number of operands: %d", candidates.size());
            }
            return new Condition.In(left, candidates);
        }
        if (operator.isWord("IS")) {
            boolean not = acceptWord("NOT");
            if (!(left instanceof Operand.PathOperand path)) {
                throw validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path");
            }
            Condition test;
            if (acceptWord("MISSING")) {
                return not ? new Condition.AttributeExists(path.path()) : new Condition.AttributeNotExists(path.path());
            } else if (acceptWord("NULL")) {
                test = new Condition.Compare(left, Comparator.EQ, new Operand.Literal("NULL", new AttributeValue.Null()));
            } else if (peek().kind() == Kind.WORD && IS_TYPES.containsKey(peek().text().toUpperCase(Locale.ROOT))) {
                String type = IS_TYPES.get(next().text().toUpperCase(Locale.ROOT));
                test = new Condition.AttributeType(path.path(), new Operand.Literal("'" + type + "'", new AttributeValue.S(type)));
            } else {
                throw malformed("Expected type name");
            }
            return not ? new Condition.Not(test) : test;
        }
        throw unexpected(operator);
    }

    /** A function's comma-separated operands, up to and including its closing parenthesis. */
    private List<Operand> arguments() {
        List<Operand> operands = new ArrayList<>();
        if (!acceptSymbol(")")) {
            do {
                operands.add(operand());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        return operands;
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
        if (token.kind() == Kind.WORD && peekAt(1).isSymbol("(") && !isKeyword(token)) {
            throw validation("Unrecognized function: %s %s", token.text().toLowerCase(Locale.ROOT), at(token));
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
        if (!isPathStart(peek())) {
            throw unexpectedTerm(peek());
        }
        elements.add(new Path.Name(identifier()));
        while (true) {
            if (peek().isSymbol(".") && (peekAt(1).kind() == Kind.WORD || peekAt(1).kind() == Kind.QUOTED)) {
                next();
                elements.add(new Path.Name(identifier()));
            } else if (peek().isSymbol("[")) {
                next();
                boolean negative = acceptSymbol("-");
                PartiqlToken index = next();
                if (index.kind() != Kind.NUMBER || !index.text().chars().allMatch(Character::isDigit)) {
                    throw unexpectedTerm(index);
                }
                BigInteger value = new BigInteger(index.text());
                if (negative && value.signum() != 0 || value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                    throw validation("List index is not within the allowable range; index: [%s%s] %s", negative ? "-" : "", index.text(), at(index));
                }
                expectSymbol("]");
                elements.add(new Path.Index(value.intValue()));
            } else {
                return new Path(elements);
            }
        }
    }

    private String identifier() {
        PartiqlToken token = peek();
        if (!isPathStart(token)) {
            throw unexpected(token);
        }
        next();
        if (token.kind() == Kind.QUOTED && token.text().isEmpty()) {
            throw validation("Path component cannot be an empty string");
        }
        return token.text();
    }
}
