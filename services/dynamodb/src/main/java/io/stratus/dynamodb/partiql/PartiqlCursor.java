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
 * AWS's syntax errors, and the literal values of a statement (strings, numbers, booleans, NULL,
 * lists, tuples, bags) with {@code ?} bound to the request's Parameters in order. For one
 * statement on one thread.
 */
abstract class PartiqlCursor {

    static final String MALFORMED = "Statement wasn't well formed, can't be processed: ";

    static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "MISSING",
            "NULL", "TRUE", "FALSE", "INSERT", "INTO", "VALUE", "VALUES", "UPDATE", "SET", "REMOVE", "DELETE", "ORDER", "BY", "ASC", "DESC",
            "EXISTS", "RETURNING", "LIMIT");

    private final List<PartiqlToken> tokens;
    private final List<AttributeValue> parameters;
    private int position;
    private int usedParameters;

    PartiqlCursor(List<PartiqlToken> tokens, List<AttributeValue> parameters) {
        this.tokens = tokens;
        this.parameters = parameters == null ? List.of() : parameters;
    }

    static AwsException malformed(String reason) {
        return validation("%s", MALFORMED + reason);
    }

    /** Refuses Parameters the statement has no {@code ?} for. */
    void checkAllParametersUsed() {
        if (usedParameters != parameters.size()) {
            throw validation("Number of parameters in request and statement don't match.");
        }
    }

    static boolean isPathStart(PartiqlToken token) {
        return token.kind() == Kind.QUOTED || token.kind() == Kind.WORD && !KEYWORDS.contains(token.text().toUpperCase(Locale.ROOT));
    }

    // Values.

    /** A literal value: string, number, boolean, NULL, list, tuple (map), bag (set) or parameter. */
    AttributeValue value() {
        PartiqlToken token = next();
        switch (token.kind()) {
            case STRING -> {
                return new AttributeValue.S(token.text());
            }
            case NUMBER -> {
                return number(token.text());
            }
            case PARAMETER -> {
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
                throw unexpected(token);
            }
            case SYMBOL -> {
                switch (token.text()) {
                    case "-" -> {
                        PartiqlToken digits = next();
                        if (digits.kind() != Kind.NUMBER) {
                            throw unexpected(digits);
                        }
                        return number("-" + digits.text());
                    }
                    case "[" -> {
                        List<AttributeValue> values = new ArrayList<>();
                        if (!acceptSymbol("]")) {
                            do {
                                values.add(value());
                            } while (acceptSymbol(","));
                            expectSymbol("]");
                        }
                        return new AttributeValue.L(values);
                    }
                    case "{" -> {
                        Map<String, AttributeValue> values = new LinkedHashMap<>();
                        if (!acceptSymbol("}")) {
                            do {
                                PartiqlToken name = next();
                                if (name.kind() != Kind.STRING && name.kind() != Kind.QUOTED) {
                                    throw unexpected(name);
                                }
                                expectSymbol(":");
                                if (values.put(name.text(), value()) != null) {
                                    throw malformed("Duplicate tuple attribute: " + name.text());
                                }
                            } while (acceptSymbol(","));
                            expectSymbol("}");
                        }
                        return new AttributeValue.M(values);
                    }
                    case "<<" -> {
                        return set();
                    }
                    default -> throw unexpected(token);
                }
            }
            default -> throw unexpected(token);
        }
    }

    private AttributeValue set() {
        List<AttributeValue> elements = new ArrayList<>();
        if (!acceptSymbol(">>")) {
            do {
                elements.add(value());
            } while (acceptSymbol(","));
            expectSymbol(">>");
        }
        if (elements.isEmpty()) {
            throw validation("One or more parameter values were invalid: An number set  may not be empty");
        }
        String type = elements.getFirst().type();
        if (elements.stream().anyMatch(e -> !e.type().equals(type)) || !(type.equals("S") || type.equals("N") || type.equals("B"))) {
            throw malformed("A set must hold only strings, only numbers or only binaries");
        }
        return switch (type) {
            case "S" -> new AttributeValue.SS(distinct(elements.stream().map(e -> ((AttributeValue.S) e).value()).toList()));
            case "N" -> new AttributeValue.NS(distinct(elements.stream().map(e -> ((AttributeValue.N) e).value()).toList()));
            default -> new AttributeValue.BS(distinct(elements.stream().map(e -> (AttributeValue.B) e).toList()));
        };
    }

    private static <T> Set<T> distinct(List<T> values) {
        Set<T> set = new LinkedHashSet<>(values);
        if (set.size() != values.size()) {
            throw validation("One or more parameter values were invalid: Input collection %s contains duplicates.",
                    values.stream().map(v -> v instanceof BigDecimal n ? n.toPlainString() : v.toString()).toList());
        }
        return set;
    }

    private static AttributeValue number(String text) {
        try {
            return new AttributeValue.N(Numbers.check(new BigDecimal(text)));
        } catch (NumberFormatException e) {
            throw malformed("Invalid number " + text);
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
            throw unexpected();
        }
    }

    void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw unexpected();
        }
    }

    AwsException unexpected() {
        return unexpected(peek());
    }

    static AwsException unexpected(PartiqlToken token) {
        return switch (token.kind()) {
            case END -> malformed("Unexpected end of statement");
            case WORD -> KEYWORDS.contains(token.text().toUpperCase(Locale.ROOT))
                    ? malformed("Unexpected keyword '" + token.text() + "' at position " + (token.position() + 1))
                    : malformed("Unexpected token '" + token.text() + "' at position " + (token.position() + 1));
            default -> malformed("Unexpected token '" + token.text() + "' at position " + (token.position() + 1));
        };
    }
}
