package io.stratus.dynamodb.expression;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.Token.Kind;
import io.stratus.dynamodb.item.ItemSize;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser for DynamoDB's expression grammar. Placeholders are resolved while
 * parsing, so the trees it returns hold attribute names and values; an undefined placeholder, a
 * reserved word used as a name, a misplaced function or a syntax error is a ValidationException
 * worded as DynamoDB words it. One parser per expression; not thread-safe.
 *
 * <pre>
 * condition  := or
 * or         := and ("OR" and)*
 * and        := not ("AND" not)*
 * not        := "NOT" not | primary
 * primary    := "(" condition ")" | function | operand (comparator operand | "BETWEEN" operand "AND" operand
 *               | "IN" "(" operand ("," operand)* ")")
 * operand    := path | :value | size(path)
 * update     := (("SET" set ("," set)*) | ("REMOVE" path ("," path)*) | ("ADD" | "DELETE") path :value ("," path :value)*)+
 * set        := path "=" value;  value := term (("+" | "-") term)?;  term := operand | if_not_exists(path, value) | list_append(value, value)
 * projection := path ("," path)*
 * path       := name ("." name | "[" digits "]")*;  name := identifier | #placeholder
 * </pre>
 */
public final class ExpressionParser {

    private static final int MAX_IN_OPERANDS = 100;
    private static final int MAX_EXPRESSION_BYTES = 4096;
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN");
    private static final Map<Kind, Comparator> COMPARATORS = new EnumMap<>(Map.of(
            Kind.EQ, Comparator.EQ, Kind.NE, Comparator.NE, Kind.LT, Comparator.LT,
            Kind.LE, Comparator.LE, Kind.GT, Comparator.GT, Kind.GE, Comparator.GE));

    private final String source;
    private final String kind;
    private final ExpressionAttributes attributes;
    private final List<Token> tokens;
    private int position;

    private ExpressionParser(String source, String kind, ExpressionAttributes attributes) {
        this.source = source;
        this.kind = kind;
        this.attributes = attributes;
        long size = ItemSize.utf8Length(source);
        if (size > MAX_EXPRESSION_BYTES) {
            throw validation("Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %d", kind, size);
        }
        this.tokens = Lexer.tokens(source);
        if (tokens.size() == 1) {
            throw validation("Invalid %s: The expression can not be empty;", kind);
        }
    }

    /**
     * @param kind the request member the expression came in, as messages name it:
     *     {@code ConditionExpression}, {@code FilterExpression}, {@code KeyConditionExpression}
     */
    public static Condition condition(String source, String kind, ExpressionAttributes attributes) {
        var parser = new ExpressionParser(source, kind, attributes);
        Condition condition = parser.or();
        parser.expect(Kind.EOF);
        return condition;
    }

    public static List<UpdateAction> update(String source, ExpressionAttributes attributes) {
        var parser = new ExpressionParser(source, "UpdateExpression", attributes);
        List<UpdateAction> actions = parser.updateClauses();
        checkNoOverlap(actions.stream().map(UpdateAction::path).toList(), "UpdateExpression");
        return actions;
    }

    public static List<Path> projection(String source, ExpressionAttributes attributes) {
        var parser = new ExpressionParser(source, "ProjectionExpression", attributes);
        List<Path> paths = new ArrayList<>();
        paths.add(parser.path());
        while (parser.accept(Kind.COMMA)) {
            paths.add(parser.path());
        }
        parser.expect(Kind.EOF);
        checkNoOverlap(paths, "ProjectionExpression");
        return paths;
    }

    private static void checkNoOverlap(List<Path> paths, String kind) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                if (paths.get(i).overlaps(paths.get(j))) {
                    throw validation("Invalid %s: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s",
                            kind, paths.get(i), paths.get(j));
                }
            }
        }
    }

    // Conditions.

    private Condition or() {
        Condition left = and();
        while (acceptKeyword("OR")) {
            left = new Condition.Or(left, and());
        }
        return left;
    }

    private Condition and() {
        Condition left = not();
        while (acceptKeyword("AND")) {
            left = new Condition.And(left, not());
        }
        return left;
    }

    private Condition not() {
        if (acceptKeyword("NOT")) {
            return new Condition.Not(not());
        }
        return primary();
    }

    private Condition primary() {
        if (accept(Kind.LPAREN)) {
            Condition inner = or();
            expect(Kind.RPAREN);
            return inner;
        }
        if (isFunctionCall() && !peek().text().equals("size")) {
            return conditionFunction();
        }
        Operand left = operand();
        Token token = peek();
        Comparator comparator = COMPARATORS.get(token.kind());
        if (comparator != null) {
            position++;
            return new Condition.Compare(left, comparator, operand());
        }
        if (acceptKeyword("BETWEEN")) {
            Operand low = operand();
            expectKeyword("AND");
            return new Condition.Between(left, low, operand());
        }
        if (acceptKeyword("IN")) {
            expect(Kind.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            candidates.add(operand());
            while (accept(Kind.COMMA)) {
                candidates.add(operand());
            }
            expect(Kind.RPAREN);
            if (candidates.size() > MAX_IN_OPERANDS) {
                throw fail("The IN operator is provided with too many operands; number of operands: " + candidates.size());
            }
            return new Condition.In(left, candidates);
        }
        throw syntaxError(token);
    }

    private Condition conditionFunction() {
        Token name = next();
        String function = name.text();
        if (!CONDITION_FUNCTIONS.contains(function)) {
            throw functionMisuse(function);
        }
        expect(Kind.LPAREN);
        Condition condition = switch (function) {
            case "attribute_exists" -> new Condition.AttributeExists(path());
            case "attribute_not_exists" -> new Condition.AttributeNotExists(path());
            case "attribute_type" -> {
                Path path = path();
                expect(Kind.COMMA);
                yield new Condition.AttributeType(path, operand());
            }
            case "begins_with" -> {
                Operand value = operand();
                expect(Kind.COMMA);
                Operand prefix = operand();
                if (prefix instanceof Operand.Literal literal && !Set.of("S", "B").contains(literal.value().type())) {
                    throw fail("Incorrect operand type for operator or function; operator or function: begins_with, operand type: " + literal.value().type());
                }
                yield new Condition.BeginsWith(value, prefix);
            }
            default -> {
                Operand value = operand();
                expect(Kind.COMMA);
                yield new Condition.Contains(value, operand());
            }
        };
        expect(Kind.RPAREN);
        return condition;
    }

    private Operand operand() {
        Token token = peek();
        if (token.is(Kind.VALUE_PLACEHOLDER)) {
            position++;
            return new Operand.Literal(token.text(), attributes.value(token.text(), kind));
        }
        if (isFunctionCall()) {
            if (!token.text().equals("size")) {
                throw functionMisuse(token.text());
            }
            position += 2;
            Path path = path();
            expect(Kind.RPAREN);
            return new Operand.Size(path);
        }
        return new Operand.PathOperand(path());
    }

    // Updates.

    private List<UpdateAction> updateClauses() {
        List<UpdateAction> actions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        do {
            Token clause = next();
            String word = clause.is(Kind.IDENTIFIER) ? clause.text().toUpperCase(Locale.ROOT) : "";
            if (!Set.of("SET", "REMOVE", "ADD", "DELETE").contains(word)) {
                throw syntaxError(clause);
            }
            if (!seen.add(word)) {
                throw fail("The \"" + word + "\" section can only be used once in an update expression;");
            }
            do {
                actions.add(switch (word) {
                    case "SET" -> {
                        Path path = path();
                        expect(Kind.EQ);
                        yield new UpdateAction.Set(path, updateValue());
                    }
                    case "REMOVE" -> new UpdateAction.Remove(path());
                    case "ADD" -> new UpdateAction.Add(path(), literal());
                    default -> new UpdateAction.Delete(path(), literal());
                });
            } while (accept(Kind.COMMA));
        } while (!peek().is(Kind.EOF));
        return actions;
    }

    private Operand.Literal literal() {
        Token token = peek();
        if (!token.is(Kind.VALUE_PLACEHOLDER)) {
            throw syntaxError(token);
        }
        position++;
        return new Operand.Literal(token.text(), attributes.value(token.text(), kind));
    }

    private Operand updateValue() {
        Operand left = updateTerm();
        if (accept(Kind.PLUS)) {
            return new Operand.Plus(left, updateTerm());
        }
        if (accept(Kind.MINUS)) {
            return new Operand.Minus(left, updateTerm());
        }
        return left;
    }

    private Operand updateTerm() {
        if (isFunctionCall()) {
            String function = next().text();
            if (!UPDATE_FUNCTIONS.contains(function)) {
                throw functionMisuse(function);
            }
            expect(Kind.LPAREN);
            Operand result;
            if (function.equals("if_not_exists")) {
                Path path = path();
                expect(Kind.COMMA);
                result = new Operand.IfNotExists(path, updateValue());
            } else {
                Operand first = updateValue();
                expect(Kind.COMMA);
                result = new Operand.ListAppend(first, updateValue());
            }
            expect(Kind.RPAREN);
            return result;
        }
        Token token = peek();
        if (token.is(Kind.VALUE_PLACEHOLDER)) {
            return literal();
        }
        return new Operand.PathOperand(path());
    }

    // Paths.

    private Path path() {
        List<Path.Element> elements = new ArrayList<>();
        elements.add(new Path.Name(name()));
        while (true) {
            if (accept(Kind.DOT)) {
                elements.add(new Path.Name(name()));
            } else if (accept(Kind.LBRACKET)) {
                Token index = peek();
                if (!index.is(Kind.NUMBER)) {
                    throw syntaxError(index);
                }
                position++;
                int value;
                try {
                    value = Integer.parseInt(index.text());
                } catch (NumberFormatException e) {
                    throw fail("List index is too large; index: " + index.text());
                }
                elements.add(new Path.Index(value));
                expect(Kind.RBRACKET);
            } else {
                return new Path(elements);
            }
        }
    }

    private String name() {
        Token token = peek();
        if (token.is(Kind.NAME_PLACEHOLDER)) {
            position++;
            return attributes.name(token.text(), kind);
        }
        if (!token.is(Kind.IDENTIFIER) || Character.isDigit(token.text().charAt(0))
                || KEYWORDS.contains(token.text().toUpperCase(Locale.ROOT))) {
            throw syntaxError(token);
        }
        if (ReservedWords.isReserved(token.text())) {
            throw fail("Attribute name is a reserved keyword; reserved keyword: " + token.text());
        }
        position++;
        return token.text();
    }

    // Tokens.

    private boolean isFunctionCall() {
        return peek().is(Kind.IDENTIFIER) && tokens.get(position + 1).is(Kind.LPAREN);
    }

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        Token token = tokens.get(position);
        if (!token.is(Kind.EOF)) {
            position++;
        }
        return token;
    }

    private boolean accept(Kind expected) {
        if (peek().is(expected)) {
            position++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String word) {
        if (peek().isKeyword(word)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(Kind expected) {
        if (!accept(expected)) {
            throw syntaxError(peek());
        }
    }

    private void expectKeyword(String word) {
        if (!acceptKeyword(word)) {
            throw syntaxError(peek());
        }
    }

    private AwsException functionMisuse(String function) {
        if (!CONDITION_FUNCTIONS.contains(function) && !UPDATE_FUNCTIONS.contains(function) && !function.equals("size")) {
            return fail("Invalid function name; function: " + function);
        }
        if (kind.equals("UpdateExpression")) {
            return fail("The function is not allowed in an update expression; function: " + function);
        }
        return fail("The function is not allowed to be used this way in an expression; function: " + function);
    }

    /** AWS quotes the offending token and the text around it: from the token before to the one after. */
    private AwsException syntaxError(Token token) {
        int index = tokens.indexOf(token);
        int from = index > 0 ? tokens.get(index - 1).start() : token.start();
        int to = index + 1 < tokens.size() ? tokens.get(index + 1).end() : token.end();
        return fail("Syntax error; token: \"" + token.display() + "\", near: \"" + source.substring(from, Math.max(from, to)).strip() + "\"");
    }

    private AwsException fail(String detail) {
        return validation("Invalid %s: %s", kind, detail);
    }
}
