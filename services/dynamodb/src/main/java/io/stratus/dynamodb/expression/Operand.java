package io.stratus.dynamodb.expression;

import io.stratus.dynamodb.item.AttributeValue;

/** What an expression computes a value from: a document path, a literal, or a function of them. */
public sealed interface Operand {

    /** The value of an attribute of the item. */
    record PathOperand(Path path) implements Operand {}

    /** A value from ExpressionAttributeValues, with the placeholder it came from for messages. */
    record Literal(String placeholder, AttributeValue value) implements Operand {}

    /** {@code size(path)}. */
    record Size(Path path) implements Operand {}

    /** {@code a + b} in a SET action. */
    record Plus(Operand left, Operand right) implements Operand {}

    /** {@code a - b} in a SET action. */
    record Minus(Operand left, Operand right) implements Operand {}

    /** {@code if_not_exists(path, value)} in a SET action. */
    record IfNotExists(Path path, Operand fallback) implements Operand {}

    /** {@code list_append(a, b)} in a SET action. */
    record ListAppend(Operand first, Operand second) implements Operand {}
}
