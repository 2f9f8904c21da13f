package io.stratus.dynamodb.expression;

import java.util.List;

/** A parsed ConditionExpression, FilterExpression or KeyConditionExpression. */
public sealed interface Condition {

    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** The comparator with its sides swapped: {@code :v < a} is {@code a > :v}. */
        public Comparator flipped() {
            return switch (this) {
                case EQ, NE -> this;
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
            };
        }
    }

    record Compare(Operand left, Comparator comparator, Operand right) implements Condition {}

    record Between(Operand value, Operand low, Operand high) implements Condition {}

    record In(Operand value, List<Operand> candidates) implements Condition {
        public In {
            candidates = List.copyOf(candidates);
        }
    }

    record And(Condition left, Condition right) implements Condition {}

    record Or(Condition left, Condition right) implements Condition {}

    record Not(Condition condition) implements Condition {}

    record AttributeExists(Path path) implements Condition {}

    record AttributeNotExists(Path path) implements Condition {}

    record AttributeType(Path path, Operand type) implements Condition {}

    record BeginsWith(Operand value, Operand prefix) implements Condition {}

    record Contains(Operand value, Operand element) implements Condition {}
}
