package io.stratus.dynamodb.partiql;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.core.AwsException;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.Numbers;
import io.stratus.dynamodb.partiql.PartiqlToken.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The token stream under {@link PartiqlParser}: looking ahead, consuming and expecting tokens,
 * DynamoDB's syntax errors, and the literal values of a statement (strings, numbers, booleans,
 * NULL, lists, tuples, bags) with {@code ?} bound to the request's Parameters in order. A literal's
 * errors name where in it they are, as DynamoDB does: {@code root} is the literal itself,
 * {@code root.k} a tuple member, {@code root[1]} a list element. For one statement on one thread.
 */
abstract class PartiqlCursor {

    static final String MALFORMED = "Statement wasn't well formed, can't be processed: ";

    /** How deep a literal may nest: a value 32 levels under the literal is refused, as in DynamoDB. */
    private static final int MAX_DEPTH = 32;

    static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "MISSING",
            "NULL", "TRUE", "FALSE", "INSERT", "INTO", "VALUE", "VALUES", "UPDATE", "SET", "REMOVE", "DELETE", "ORDER", "BY", "ASC", "DESC",
            "EXISTS", "RETURNING", "LIMIT", "AS", "LIKE");

    private final String statement;
    private final List<PartiqlToken> tokens;
    private final List<AttributeValue> parameters;
    private int position;
    private int usedParameters;

    PartiqlCursor(String statement, List<AttributeValue> parameters) {
        this.statement = statement;
        this.tokens = PartiqlLexer.tokens(statement);
        this.parameters = parameters == null ? List.of() : parameters;
    }

    static AwsException malformed(String detail) {
        return validation("%s", MALFORMED + detail);
    }

    /** Where a token is, as DynamoDB writes it after some messages: {@code at line:column:length}, from 1. */
    String at(PartiqlToken token) {
        return at(token, token.length());
    }

    String at(PartiqlToken token, int length) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < token.position(); i++) {
            if (statement.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "at " + line + ":" + (token.position() - lineStart + 1) + ":" + length;
    }

    /** Refuses Parameters the statement has no {@code ?} for. */
    void checkAllParametersUsed() {
        if (usedParameters != parameters.size()) {
            throw validation("Number of parameters in request and statement don't match.");
        }
    }

    static boolean isKeyword(PartiqlToken token) {
        return token.kind() == Kind.WORD && KEYWORDS.contains(token.text().toUpperCase(Locale.ROOT));
    }

    static boolean isPathStart(PartiqlToken token) {
        return token.kind() == Kind.QUOTED || token.kind() == Kind.WORD && !isKeyword(token);
    }

    // Values.

    /** A literal value (string, number, boolean, NULL, list, tuple, bag) or a parameter, standing alone. */
    AttributeValue value() {
        return value("root", 0);
    }

    /**
     * A literal value at {@code path} inside the literal being read, {@code depth} levels down. A
     * parameter is taken only as a whole literal, not inside a list, tuple or bag, as in DynamoDB.
     */
    AttributeValue value(String path, int depth) {
        if (depth >= MAX_DEPTH) {
            throw validation("Nesting Levels have exceeded supported limits under %s", path);
        }
        PartiqlToken token = next();
        switch (token.kind()) {
            case STRING -> {
                return new AttributeValue.S(token.text());
            }
            case NUMBER -> {
                return number(token.text(), path);
            }
            case PARAMETER -> {
                if (depth > 0) {
                    throw validation("Unsupported data type: Parameter under key %s %s", path, at(token));
                }
                if (usedParameters >= parameters.size()) {
                    throw validation("Number of parameters in request and statement don't match.");
                }
                AttributeValue parameter = parameters.get(usedParameters++);
                if (parameter == null) {
                    throw validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
                }
                return parameter;
            }
            case WORD -> {
                if (token.isWord("TRUE") || token.isWord("FALSE")) {
                    return new AttributeValue.Bool(token.isWord("TRUE"));
                }
                if (token.isWord("NULL")) {
                    return new AttributeValue.Null();
                }
                throw unexpectedTerm(token);
            }
            case SYMBOL -> {
                switch (token.text()) {
                    case "-", "+" -> {
                        PartiqlToken digits = next();
                        if (digits.kind() == Kind.NUMBER) {
                            return number((token.text().equals("-") ? "-" : "") + digits.text(), path);
                        }
                        if (digits.isSymbol("-") || digits.isSymbol("+")) {
                            back();
                            AttributeValue inner = value(path, depth);
                            if (!(inner instanceof AttributeValue.N number)) {
                                throw unexpectedTerm(digits);
                            }
                            return token.text().equals("-") ? new AttributeValue.N(Numbers.canonical(number.value().negate())) : number;
                        }
                        throw unexpectedTerm(digits);
                    }
                    case "[" -> {
                        List<AttributeValue> values = new ArrayList<>();
                        if (!acceptSymbol("]")) {
                            do {
                                values.add(value(path + "[" + values.size() + "]", depth + 1));
                            } while (acceptSymbol(","));
                            expectSymbol("]");
                        }
                        return new AttributeValue.L(values);
                    }
                    case "{" -> {
                        return new AttributeValue.M(tuple(path, depth));
                    }
                    case "<<" -> {
                        return bag(path, depth);
                    }
                    default -> throw unexpectedTerm(token);
                }
            }
            default -> throw unexpectedTerm(token);
        }
    }

    /** The members of a tuple whose {@code {} was just read; each member's path is {@code path.name}. */
    Map<String, AttributeValue> tuple(String path, int depth) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        if (!acceptSymbol("}")) {
            do {
                PartiqlToken name = next();
                if (name.kind() != Kind.STRING && name.kind() != Kind.QUOTED) {
                    throw unexpectedTerm(name);
                }
                expectSymbol(":");
                String member = path == null ? "root" : path + "." + name.text();
                if (values.put(name.text(), value(member, path == null ? 0 : depth + 1)) != null) {
                    throw validation("Duplicate keys in tuple. Key: %s under %s", name.text(), path == null ? "root" : path);
                }
            } while (acceptSymbol(","));
            expectSymbol("}");
        }
        return values;
    }

    private AttributeValue bag(String path, int depth) {
        List<AttributeValue> elements = new ArrayList<>();
        if (!acceptSymbol(">>")) {
            do {
                elements.add(value(path + "[" + elements.size() + "]", depth + 1));
            } while (acceptSymbol(","));
            expectSymbol(">>");
        }
        if (elements.isEmpty()) {
            throw validation("Empty bags are not supported");
        }
        String type = elements.getFirst().type();
        if (elements.stream().anyMatch(e -> !e.type().equals(type)) || !(type.equals("S") || type.equals("N"))) {
            throw validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
        }
        return type.equals("S")
                ? new AttributeValue.SS(distinct(elements.stream().map(e -> ((AttributeValue.S) e).value()).toList()))
                : new AttributeValue.NS(distinct(elements.stream().map(e -> ((AttributeValue.N) e).value()).toList()));
    }

    private static <T> Set<T> distinct(List<T> values) {
        Set<T> set = new LinkedHashSet<>(values);
        if (set.size() != values.size()) {
            throw validation("One or more parameter values were invalid: Input collection %s contains duplicates.",
                    values.stream().map(v -> v instanceof BigDecimal n ? n.toPlainString() : v.toString()).toList());
        }
        return set;
    }

    private static AttributeValue number(String text, String path) {
        BigDecimal value;
        int exponent = Math.max(text.indexOf('e'), text.indexOf('E'));
        try {
            if (exponent >= 0) {
                // The exponent must fit a 32-bit integer, as it must for DynamoDB's parser.
                Integer.parseInt(text.substring(exponent + 1).replace("+", ""));
            }
            value = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw malformed("");
        }
        try {
            return new AttributeValue.N(Numbers.check(value));
        } catch (AwsException e) {
            throw validation("%s under %s", e.getMessage(), path);
        }
    }

    // Tokens.

    PartiqlToken peek() {
        return tokens.get(position);
    }

    PartiqlToken peekAt(int ahead) {
        return tokens.get(Math.min(position + ahead, tokens.size() - 1));
    }

    PartiqlToken next() {
        PartiqlToken token = tokens.get(position);
        if (token.kind() != Kind.END) {
            position++;
        }
        return token;
    }

    private void back() {
        position--;
    }

    boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            position++;
            return true;
        }
        return false;
    }

    boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            position++;
            return true;
        }
        return false;
    }

    void expectWord(String word) {
        if (!acceptWord(word)) {
            throw unexpected(peek());
        }
    }

    void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw unexpected(peek());
        }
    }

    /** A token where another was required: DynamoDB names only its kind. */
    static AwsException unexpected(PartiqlToken token) {
        if (token.kind() == Kind.END) {
            return malformed("Unexpected end of statement");
        }
        return malformed(isKeyword(token) ? "Unexpected keyword" : "Unexpected token");
    }

    /** A token where an expression (a term) must start, worded as DynamoDB words each kind. */
    static AwsException unexpectedTerm(PartiqlToken token) {
        if (token.kind() == Kind.END || token.isSymbol(";") || token.isSymbol(")") || token.isSymbol("]") || token.isSymbol("}")
                || token.isSymbol(",")) {
            return malformed("Unexpected term");
        }
        if (isKeyword(token) && !(token.isWord("IS") || token.isWord("LIKE") || token.isWord("IN") || token.isWord("BETWEEN"))) {
            return malformed("Unexpected keyword");
        }
        if (token.kind() == Kind.SYMBOL || token.kind() == Kind.WORD) {
            return malformed("Unexpected operator");
        }
        return malformed("Unexpected token");
    }
}
