package io.stratus.dynamodb.expression;

import io.stratus.dynamodb.expression.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens. A character no token starts with becomes an INVALID token for the parser to report. */
final class Lexer {

    private Lexer() {}

    static List<Token> tokens(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            Kind kind;
            if (c == '#' || c == ':') {
                i = wordEnd(source, i + 1);
                kind = i == start + 1 ? Kind.INVALID : c == '#' ? Kind.NAME_PLACEHOLDER : Kind.VALUE_PLACEHOLDER;
            } else if (Character.isDigit(c)) {
                i = wordEnd(source, i);
                kind = source.substring(start, i).chars().allMatch(Character::isDigit) ? Kind.NUMBER : Kind.INVALID;
            } else if (isWordChar(c)) {
                i = wordEnd(source, i);
                kind = Kind.IDENTIFIER;
            } else {
                i++;
                kind = switch (c) {
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case '[' -> Kind.LBRACKET;
                    case ']' -> Kind.RBRACKET;
                    case ',' -> Kind.COMMA;
                    case '.' -> Kind.DOT;
                    case '+' -> Kind.PLUS;
                    case '-' -> Kind.MINUS;
                    case '=' -> Kind.EQ;
                    case '<' -> {
                        if (i < source.length() && source.charAt(i) == '=') {
                            i++;
                            yield Kind.LE;
                        }
                        if (i < source.length() && source.charAt(i) == '>') {
                            i++;
                            yield Kind.NE;
                        }
                        yield Kind.LT;
                    }
                    case '>' -> {
                        if (i < source.length() && source.charAt(i) == '=') {
                            i++;
                            yield Kind.GE;
                        }
                        yield Kind.GT;
                    }
                    default -> Kind.INVALID;
                };
            }
            tokens.add(new Token(kind, source.substring(start, i), start, i));
        }
        tokens.add(new Token(Kind.EOF, "", source.length(), source.length()));
        return tokens;
    }

    private static int wordEnd(String source, int i) {
        while (i < source.length() && isWordChar(source.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
