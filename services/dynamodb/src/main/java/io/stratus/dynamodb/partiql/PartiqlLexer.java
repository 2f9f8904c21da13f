package io.stratus.dynamodb.partiql;

import io.stratus.dynamodb.partiql.PartiqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PartiQL statement into tokens: words, {@code "quoted identifiers"}, {@code 'strings'}
 * (a doubled quote is a quote), numbers, {@code ?} and symbols ({@code << >> <= >= <> !=} and single
 * characters), skipping {@code --} line comments and {@code /* *}{@code /} block comments. What it
 * cannot read (a character PartiQL has no use for, an unterminated string or comment) is the bare
 * "Statement wasn't well formed" with nothing after the colon, as DynamoDB answers it. Stateless.
 */
final class PartiqlLexer {

    private static final String SINGLE_SYMBOLS = "()[]{},.:*=<>+-;";

    private PartiqlLexer() {}

    static List<PartiqlToken> tokens(String statement) {
        List<PartiqlToken> tokens = new ArrayList<>();
        int i = 0;
        int n = statement.length();
        while (i < n) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && statement.charAt(i + 1) == '-') {
                while (i < n && statement.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && statement.charAt(i + 1) == '*') {
                int end = statement.indexOf("*/", i + 2);
                if (end < 0) {
                    throw PartiqlCursor.malformed("");
                }
                i = end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(statement.charAt(i)) || statement.charAt(i) == '_' || statement.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new PartiqlToken(Kind.WORD, statement.substring(start, i), start, i - start));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(statement.charAt(i + 1))
                    && !(lastIsOperand(tokens))) {
                int start = i;
                while (i < n && Character.isDigit(statement.charAt(i))) {
                    i++;
                }
                if (i < n && statement.charAt(i) == '.') {
                    i++;
                    while (i < n && Character.isDigit(statement.charAt(i))) {
                        i++;
                    }
                }
                if (i < n && (statement.charAt(i) == 'e' || statement.charAt(i) == 'E')) {
                    int mark = i;
                    i++;
                    if (i < n && (statement.charAt(i) == '+' || statement.charAt(i) == '-')) {
                        i++;
                    }
                    if (i < n && Character.isDigit(statement.charAt(i))) {
                        while (i < n && Character.isDigit(statement.charAt(i))) {
                            i++;
                        }
                    } else {
                        i = mark;
                    }
                }
                tokens.add(new PartiqlToken(Kind.NUMBER, statement.substring(start, i), start, i - start));
            } else if (c == '\'' || c == '"') {
                int start = i;
                StringBuilder text = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw PartiqlCursor.malformed("");
                    }
                    char d = statement.charAt(i);
                    if (d == c) {
                        if (i + 1 < n && statement.charAt(i + 1) == c) {
                            text.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    text.append(d);
                    i++;
                }
                tokens.add(new PartiqlToken(c == '"' ? Kind.QUOTED : Kind.STRING, text.toString(), start, i - start));
            } else if (c == '?') {
                tokens.add(new PartiqlToken(Kind.PARAMETER, "?", i, 1));
                i++;
            } else {
                String two = i + 1 < n ? statement.substring(i, i + 2) : "";
                if (two.equals("<<") || two.equals(">>") || two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=")) {
                    tokens.add(new PartiqlToken(Kind.SYMBOL, two.equals("!=") ? "<>" : two, i, 2));
                    i += 2;
                } else if (SINGLE_SYMBOLS.indexOf(c) >= 0) {
                    tokens.add(new PartiqlToken(Kind.SYMBOL, String.valueOf(c), i, 1));
                    i++;
                } else {
                    throw PartiqlCursor.malformed("");
                }
            }
        }
        tokens.add(new PartiqlToken(Kind.END, "", n, 0));
        return tokens;
    }

    /** Whether a '.' here follows a path (so it is a member access), not the start of a number like {@code .5}. */
    private static boolean lastIsOperand(List<PartiqlToken> tokens) {
        if (tokens.isEmpty()) {
            return false;
        }
        PartiqlToken last = tokens.getLast();
        return last.kind() == Kind.WORD || last.kind() == Kind.QUOTED || last.isSymbol("]");
    }
}
