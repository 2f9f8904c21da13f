package io.stratus.dynamodb.partiql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.dynamodb.DynamoDbErrors;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.Condition.Comparator;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.expression.UpdateAction;
import io.stratus.dynamodb.item.AttributeValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The PartiQL parser against tables of statements: what each parses to, and the errors of malformed ones. */
class PartiqlParserTest {

    private static final AttributeValue.S ANN = new AttributeValue.S("ann");

    static Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("SELECT * FROM \"orders\"", null,
                        new Statement.Select("orders", null, null, null, null, false)),
                Arguments.of("select a, b.c, d[2] from orders", null,
                        new Statement.Select("orders", null, List.of(path("a"), new Path(List.of(new Path.Name("b"), new Path.Name("c"))),
                                new Path(List.of(new Path.Name("d"), new Path.Index(2)))), null, null, false)),
                Arguments.of("SELECT * FROM \"orders\".\"byTotal\" WHERE pk = 'ann'", null,
                        new Statement.Select("orders", "byTotal", null, eq("pk", lit("'ann'", ANN)), null, false)),
                Arguments.of("SELECT * FROM t WHERE pk = ? AND sk >= ? ORDER BY sk DESC", List.of(ANN, num(3)),
                        new Statement.Select("t", null, null, new Condition.And(eq("pk", lit("?", ANN)),
                                new Condition.Compare(p("sk"), Comparator.GE, lit("?", num(3)))), "sk", true)),
                Arguments.of("SELECT * FROM t WHERE a <> 1 OR NOT b < -2.5", null,
                        new Statement.Select("t", null, null, new Condition.Or(
                                new Condition.Compare(p("a"), Comparator.NE, lit("1", num(1))),
                                new Condition.Not(new Condition.Compare(p("b"), Comparator.LT, lit("-", new AttributeValue.N(new BigDecimal("-2.5")))))),
                                null, false)),
                Arguments.of("SELECT * FROM t WHERE a BETWEEN 1 AND 9 AND b IN [1, 2] AND c IN ('x')", null,
                        new Statement.Select("t", null, null, new Condition.And(new Condition.And(
                                new Condition.Between(p("a"), lit("1", num(1)), lit("9", num(9))),
                                new Condition.In(p("b"), List.of(lit("1", num(1)), lit("2", num(2))))),
                                new Condition.In(p("c"), List.of(lit("'x'", new AttributeValue.S("x"))))), null, false)),
                Arguments.of("SELECT * FROM t WHERE begins_with(name, 'a') AND contains(tags, 'x') AND attribute_exists(a)", null,
                        new Statement.Select("t", null, null, new Condition.And(new Condition.And(
                                new Condition.BeginsWith(p("name"), lit("'a'", new AttributeValue.S("a"))),
                                new Condition.Contains(p("tags"), lit("'x'", new AttributeValue.S("x")))),
                                new Condition.AttributeExists(path("a"))), null, false)),
                Arguments.of("SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING AND size(c) > 2", null,
                        new Statement.Select("t", null, null, new Condition.And(new Condition.And(
                                new Condition.AttributeNotExists(path("a")), new Condition.AttributeExists(path("b"))),
                                new Condition.Compare(new Operand.Size(path("c")), Comparator.GT, lit("2", num(2)))), null, false)),
                Arguments.of("INSERT INTO \"t\" VALUE {'pk': 'ann', 'n': 1, 'ok': TRUE, 'no': NULL, 'l': [1, 'x'], 'm': {'k': false}, 's': <<'a', 'b'>>, 'ns': <<1, 2>>}",
                        null, new Statement.Insert("t", item(
                                "pk", ANN, "n", num(1), "ok", new AttributeValue.Bool(true), "no", new AttributeValue.Null(),
                                "l", new AttributeValue.L(List.of(num(1), new AttributeValue.S("x"))),
                                "m", new AttributeValue.M(Map.of("k", new AttributeValue.Bool(false))),
                                "s", new AttributeValue.SS(Set.of("a", "b")),
                                "ns", new AttributeValue.NS(Set.of(BigDecimal.ONE, BigDecimal.TWO))))),
                Arguments.of("INSERT INTO t VALUE {'pk': ?, 'it''s': 'o''k'}", List.of(ANN),
                        new Statement.Insert("t", item("pk", ANN, "it's", new AttributeValue.S("o'k")))),
                Arguments.of("UPDATE t SET n = n + 1, l = list_append(l, [2]) SET s = set_add(s, <<'x'>>) REMOVE old WHERE pk = 'ann' RETURNING ALL NEW *", null,
                        new Statement.Update("t", List.of(
                                new UpdateAction.Set(path("n"), new Operand.Plus(p("n"), lit("1", num(1)))),
                                new UpdateAction.Set(path("l"), new Operand.ListAppend(p("l"), lit("[", new AttributeValue.L(List.of(num(2)))))),
                                new UpdateAction.Add(path("s"), lit("<<", new AttributeValue.SS(Set.of("x")))),
                                new UpdateAction.Remove(path("old"))),
                                eq("pk", lit("'ann'", ANN)), "ALL_NEW")),
                Arguments.of("UPDATE t SET s = set_delete(s, <<1>>), c = if_not_exists(c, 0) - 1 WHERE pk = 'ann' AND v = 3", null,
                        new Statement.Update("t", List.of(
                                new UpdateAction.Delete(path("s"), lit("<<", new AttributeValue.NS(Set.of(BigDecimal.ONE)))),
                                new UpdateAction.Set(path("c"), new Operand.Minus(new Operand.IfNotExists(path("c"), lit("0", num(0))), lit("1", num(1))))),
                                new Condition.And(eq("pk", lit("'ann'", ANN)), eq("v", lit("3", num(3)))), "NONE")),
                Arguments.of("DELETE FROM t WHERE pk = 'ann' RETURNING ALL OLD *", null,
                        new Statement.Delete("t", eq("pk", lit("'ann'", ANN)), "ALL_OLD")),
                Arguments.of("EXISTS(SELECT * FROM t WHERE pk = 'ann')", null,
                        new Statement.Exists(new Statement.Select("t", null, null, eq("pk", lit("'ann'", ANN)), null, false))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void parses(String statement, List<AttributeValue> parameters, Statement expected) {
        assertThat(PartiqlParser.parse(statement, parameters)).isEqualTo(expected);
    }

    static Stream<Arguments> malformed() {
        String prefix = "Statement wasn't well formed, can't be processed: ";
        return Stream.of(
                Arguments.of("SELEC * FROM t", null, prefix + "Unexpected token 'SELEC' at position 1"),
                Arguments.of("SELECT * FROM", null, prefix + "Unexpected end of statement"),
                Arguments.of("SELECT * FROM t WHERE", null, prefix + "Unexpected end of statement"),
                Arguments.of("SELECT * FROM t WHERE a = 'x", null, prefix + "Unterminated string at position 27"),
                Arguments.of("SELECT * FROM t WHERE a == 1", null, prefix + "Unexpected token '=' at position 26"),
                Arguments.of("SELECT * FROM t WHERE a = 1 b", null, prefix + "Unexpected token 'b' at position 29"),
                Arguments.of("SELECT * FROM t WHERE nope(a)", null, prefix + "Unsupported function: nope"),
                Arguments.of("INSERT INTO t VALUES {'a': 1}", null, prefix + "Unexpected keyword 'VALUES' at position 15"),
                Arguments.of("INSERT INTO t VALUE {'a': 1", null, prefix + "Unexpected end of statement"),
                Arguments.of("UPDATE t WHERE pk = 1", null, prefix + "Unexpected keyword 'WHERE' at position 10"),
                Arguments.of("DELETE FROM t", null, prefix + "Unexpected end of statement"),
                Arguments.of("SELECT * FROM t WHERE a = #", null, prefix + "Unexpected character '#' at position 27"),
                Arguments.of("SELECT * FROM t WHERE a = ?", null, "Number of parameters in request and statement don't match."),
                Arguments.of("SELECT * FROM t WHERE a = 1", List.of(ANN), "Number of parameters in request and statement don't match."),
                Arguments.of("SELECT * FROM t WHERE a = <<1, 'x'>>", null, prefix + "A set must hold only strings, only numbers or only binaries"),
                Arguments.of("SELECT * FROM t WHERE a = <<1, 1>>", null, "One or more parameter values were invalid: Input collection [1, 1] contains duplicates."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refuses(String statement, List<AttributeValue> parameters, String message) {
        assertThatThrownBy(() -> PartiqlParser.parse(statement, parameters))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.VALIDATION))
                .hasMessage(message);
    }

    private static Path path(String name) {
        return Path.of(name);
    }

    private static Operand.PathOperand p(String name) {
        return new Operand.PathOperand(path(name));
    }

    private static Operand.Literal lit(String text, AttributeValue value) {
        return new Operand.Literal(text, value);
    }

    private static AttributeValue.N num(long n) {
        return AttributeValue.number(n);
    }

    private static Condition eq(String attribute, Operand value) {
        return new Condition.Compare(p(attribute), Comparator.EQ, value);
    }

    private static Map<String, AttributeValue> item(Object... pairs) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            item.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
        }
        return item;
    }
}
