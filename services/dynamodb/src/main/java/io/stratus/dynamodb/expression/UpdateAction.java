package io.stratus.dynamodb.expression;

/** One action of an UpdateExpression. */
public sealed interface UpdateAction {

    Path path();

    /** {@code SET path = value}. */
    record Set(Path path, Operand value) implements UpdateAction {}

    /** {@code REMOVE path}. */
    record Remove(Path path) implements UpdateAction {}

    /** {@code ADD path :value}: adds to a number or unites sets. */
    record Add(Path path, Operand.Literal value) implements UpdateAction {}

    /** {@code DELETE path :set}: takes elements out of a set. */
    record Delete(Path path, Operand.Literal value) implements UpdateAction {}
}
