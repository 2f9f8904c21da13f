package io.stratus.dynamodb.expression;

/** A lexical token of an expression, with where it starts and ends in the source. */
record Token(Kind kind, String text, int start, int end) {

    enum Kind {
        IDENTIFIER, NAME_PLACEHOLDER, VALUE_PLACEHOLDER, NUMBER,
        LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT,
        EQ, NE, LT, LE, GT, GE, PLUS, MINUS,
        INVALID, EOF
    }

    boolean is(Kind kind) {
        return this.kind == kind;
    }

    /** Whether this is the keyword {@code word}, which expressions spell in any case. */
    boolean isKeyword(String word) {
        return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(word);
    }

    /** The token as AWS quotes it in syntax errors. */
    String display() {
        return kind == Kind.EOF ? "<EOF>" : text;
    }
}
