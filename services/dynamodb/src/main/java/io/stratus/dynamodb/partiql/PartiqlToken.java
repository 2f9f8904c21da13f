package io.stratus.dynamodb.partiql;

/**
 * One token of a PartiQL statement.
 *
 * @param text the token as written: a word, a quoted identifier's or string's content, a number,
 *     or a symbol
 * @param position where the token starts, 0-based
 * @param length how many characters of the statement the token spans (quotes included)
 */
record PartiqlToken(Kind kind, String text, int position, int length) {

    enum Kind {
        /** An unquoted word: a keyword, a function name or an attribute name. */
        WORD,
        /** A double-quoted identifier. */
        QUOTED,
        /** A single-quoted string literal. */
        STRING,
        NUMBER,
        /** {@code ?}, a parameter. */
        PARAMETER,
        SYMBOL,
        END
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }
}
