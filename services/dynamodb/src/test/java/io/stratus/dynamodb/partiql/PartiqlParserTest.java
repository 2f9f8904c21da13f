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
                        new Statement.Select("orders", null, null, null)),
                Arguments.of("select a, b.c, d[2] from orders", null,
                        new Statement.Select("orders", null, List.of(path("a"), new Path(List.of(new Path.Name("b"), new Path.Name("c"))),
                                new Path(List.of(new Path.Name("d"), new Path.Index(2)))), null)),
                Arguments.of("SELECT * FROM \"orders\".\"byTotal\" WHERE pk = 'ann'", null,
                        new Statement.Select("orders", "byTotal", null, eq("pk", lit("'ann'", ANN)))),
                Arguments.of("SELECT * FROM t WHERE pk = ? AND sk >= ? ORDER BY sk DESC", List.of(ANN, num(3)),
                        new Statement.Select("t", null, null, new Condition.And(eq("pk", lit("?", ANN)),
                                new Condition.Compare(p("sk"), Comparator.GE, lit("?", num(3)))), List.of(new Statement.Order("sk", true)))),
                Arguments.of("SELECT * FROM t WHERE a <> 1 OR NOT b < -2.5", null,
                        new Statement.Select("t", null, null, new Condition.Or(
                                new Condition.Compare(p("a"), Comparator.NE, lit("1", num(1))),
                                new Condition.Not(new Condition.Compare(p("b"), Comparator.LT, lit("-", new AttributeValue.N(new BigDecimal("-2.5")))))))),
                Arguments.of("SELECT * FROM t WHERE a BETWEEN 1 AND 9 AND b IN [1, 2] AND c IN ('x')", null,
                        new Statement.Select("t", null, null, new Condition.And(new Condition.And(
                                new Condition.Between(p("a"), lit("1", num(1)), lit("9", num(9))),
                                new Condition.In(p("b"), List.of(lit("1", num(1)), lit("2", num(2))))),
                                new Condition.In(p("c"), List.of(lit("'x'", new AttributeValue.S("x"))))))),
                Arguments.of("SELECT * FROM t WHERE begins_with(name, 'a') AND contains(tags, 'x') AND attribute_exists(a)", null,
                        new Statement.Select("t", null, null, new Condition.And(new Condition.And(
                                new Condition.BeginsWith(p("name"), lit("'a'", new AttributeValue.S("a"))),
                                new Condition.Contains(p("tags"), lit("'x'", new AttributeValue.S("x")))),
                                new Condition.AttributeExists(path("a"))))),
                Arguments.of("SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING AND size(c) > 2", null,
                        new Statement.Select("t", null, null, new Condition.And(new Condition.And(
                                new Condition.AttributeNotExists(path("a")), new Condition.AttributeExists(path("b"))),
                                new Condition.Compare(new Operand.Size(path("c")), Comparator.GT, lit("2", num(2)))))),
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
                Arguments.of("SELECT/**/* FROM t -- the table\nWHERE pk/* key */= 'ann';  -- done", null,
                        new Statement.Select("t", null, null, eq("pk", lit("'ann'", ANN)))),
                Arguments.of("SELECT * FROM t WHERE n = - - 1 AND m > +5", null,
                        new Statement.Select("t", null, null, new Condition.And(eq("n", lit("-", num(1))),
                                new Condition.Compare(p("m"), Comparator.GT, lit("+", num(5)))))),
                Arguments.of("SELECT * FROM t WHERE a IS BOOLEAN AND b IS NOT STRING", null,
                        new Statement.Select("t", null, null, new Condition.And(
                                new Condition.AttributeType(path("a"), lit("'BOOL'", new AttributeValue.S("BOOL"))),
                                new Condition.Not(new Condition.AttributeType(path("b"), lit("'S'", new AttributeValue.S("S"))))))),
                Arguments.of("SELECT * FROM t WHERE pk IN ['o', 'p'] ORDER BY pk DESC, sk ASC", null,
                        new Statement.Select("t", null, null, new Condition.In(p("pk"),
                                List.of(lit("'o'", new AttributeValue.S("o")), lit("'p'", new AttributeValue.S("p")))),
                                List.of(new Statement.Order("pk", true), new Statement.Order("sk", false)))),
                Arguments.of("EXISTS(SELECT * FROM t WHERE pk = 'ann')", null,
                        new Statement.Exists(new Statement.Select("t", null, null, eq("pk", lit("'ann'", ANN))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void parses(String statement, List<AttributeValue> parameters, Statement expected) {
        assertThat(PartiqlParser.parse(statement, parameters)).isEqualTo(expected);
    }

    /**
     * Statements DynamoDB refuses before reading any table, with its messages. Those marked
     * "captured" were answered so by DynamoDB itself (as recorded by other projects' conformance
     * suites against eu-west-2 and us-east-1); the rest are DynamoDB Local's wording or our own.
     */
    static Stream<Arguments> malformed() {
        String prefix = "Statement wasn't well formed, can't be processed: ";
        return Stream.of(
                // captured
                Arguments.of("SELEC * FROM t", null, prefix + "Expected data manipulation"),
                Arguments.of("SELECT * FROM", null, prefix + "Unexpected term"),
                Arguments.of("SELECT * FROM t WHERE", null, prefix + "Unexpected term"),
                Arguments.of("SELECT * FROM t WHERE;", null, prefix + "Unexpected term"),
                Arguments.of("SELECT * FROM t WHERE NOT", null, prefix + "Unexpected term"),
                Arguments.of("SELECT * FROM t WHERE (", null, prefix + "Unexpected term"),
                Arguments.of("UPDATE t SET a = 1 WHERE", null, prefix + "Unexpected term"),
                Arguments.of("DELETE FROM t WHERE", null, prefix + "Unexpected term"),
                Arguments.of("SELECT * FROM t WHERE pk = 'p1' AND", null, prefix + "Missing right-hand side expression of infix operator"),
                Arguments.of("SELECT * FROM t WHERE pk = 'p1' OR", null, prefix + "Missing right-hand side expression of infix operator"),
                Arguments.of("SELECT * FROM t WHERE ORDER BY pk", null, prefix + "Unexpected keyword"),
                Arguments.of("SELECT * FROM t WHERE IS NULL", null, prefix + "Unexpected operator"),
                Arguments.of("SELECT * FROM t WHERE pk = LIKE", null, prefix + "Unexpected operator"),
                Arguments.of("SELECT * FROM t WHERE pk = 'a' AND x IS FOO", null, prefix + "Expected type name"),
                Arguments.of("SELECT * FROM t WHERE pk = 1 foo", null, prefix + "Unexpected token after expression"),
                Arguments.of("SELECT * FROM t WHERE pk = 1 e5", null, prefix + "Unexpected token after expression"),
                Arguments.of("SELECT * FROM t WHERE pk = 1)", null, prefix + "Unexpected token after expression"),
                Arguments.of("INSERT INTO t VALUE {'pk': 1} foo", null, prefix + "Unexpected token after expression"),
                Arguments.of("INSERT INTO t x VALUE {'pk': 1}", null, prefix + "Unexpected token after expression"),
                Arguments.of("UPDATE t SET a = 9 WHERE pk = 2 foo", null, prefix + "Unexpected token after expression"),
                Arguments.of("DELETE FROM t WHERE pk = 3 ORDER BY pk", null, prefix + "Unexpected token after expression"),
                Arguments.of("SELECT * FROM t ORDER BY pk WHERE pk = 1", null, prefix + "Unexpected token after expression"),
                Arguments.of("SELECT * FROM t WHERE pk = 1e2147483648", null, prefix),
                Arguments.of("SELECT * FROM t WHERE pk = 1 # note", null, prefix),
                Arguments.of("SELECT * FROM t WHERE pk = 1 /* note", null, prefix),
                Arguments.of("SELECT * FROM \"t", null, prefix),
                Arguments.of("DELETE FROM", null, prefix + "Expected identifier for simple path"),
                Arguments.of("DELETE FROM;", null, prefix + "Expected identifier for simple path"),
                Arguments.of("DELETE FROM WHERE pk = 'a'", null, prefix + "Expected identifier for simple path"),
                Arguments.of("SELECT * FROM t x WHERE pk = 'x'", null, "Aliasing is not supported"),
                Arguments.of("SELECT * FROM t AS x WHERE pk = 'x'", null, "Aliasing is not supported"),
                Arguments.of("UPDATE t x SET a = 3 WHERE pk = 'x'", null, "Aliasing is not supported"),
                Arguments.of("DELETE FROM t x WHERE pk = 'x'", null, "Aliasing is not supported"),
                Arguments.of("SELECT * FROM t WHERE pk = 1e126", null,
                        "Number overflow. Attempting to store a number with magnitude larger than supported range under root"),
                Arguments.of("SELECT * FROM t WHERE pk = 1e-131", null,
                        "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"),
                Arguments.of("SELECT * FROM t WHERE pk = 123456789012345678901234567890123456789", null,
                        "Attempting to store more than 38 significant digits in a Number under root"),
                Arguments.of("INSERT INTO t VALUE {'pk': 1, 'm': {'x': 1e126}}", null,
                        "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x"),
                Arguments.of("INSERT INTO t VALUE {'pk': 1, 'l': [1, 1e126]}", null,
                        "Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]"),
                Arguments.of("UPDATE t SET d = " + "{'a':".repeat(32) + "1" + "}".repeat(32) + " WHERE pk = 'n'", null,
                        "Nesting Levels have exceeded supported limits under root" + ".a".repeat(32)),
                Arguments.of("UPDATE t SET x = [?] WHERE pk = 'l'", List.of(ANN), "Unsupported data type: Parameter under key root[0] at 1:19:1"),
                Arguments.of("INSERT INTO t VALUE {'pk': 'l', 'm': {'k': ?}}", List.of(ANN), "Unsupported data type: Parameter under key root.k at 1:44:1"),
                Arguments.of("INSERT INTO t VALUE {'pk': 'b', 's': <<>>}", null, "Empty bags are not supported"),
                Arguments.of("INSERT INTO t VALUE {'pk': 'b', 's': <<1, 'a'>>}", null,
                        "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"),
                Arguments.of("INSERT INTO t VALUE {'pk': 'b', 's': <<'a', 'a'>>}", null,
                        "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
                Arguments.of("SELECT * FROM t WHERE a = <<1, 1>>", null, "One or more parameter values were invalid: Input collection [1, 1] contains duplicates."),
                Arguments.of("SELECT * FROM t WHERE pk = 'x' AND attribute_exists('ss')", null,
                        "Operator or function requires a document path; operator or function: attribute_exists"),
                Arguments.of("SELECT * FROM t WHERE pk = 'x' AND attribute_exists()", null,
                        "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0"),
                Arguments.of("SELECT * FROM t WHERE pk = 'x' AND attribute_exists(ss, ns)", null,
                        "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"),
                Arguments.of("SELECT attribute_exists(ss) FROM t WHERE pk = 'x'", null, "Unexpected path component at 1:8:16"),
                Arguments.of("SELECT * FROM t WHERE pk = 'x' AND EXISTS(ss)", null, "Unrecognized function: exists at 1:36:6"),
                Arguments.of("SELECT * FROM t WHERE nope(a)", null, "Unrecognized function: nope at 1:23:4"),
                Arguments.of("SELECT * FROM t WHERE pk = 'x' AND set_add(ss, <<'x'>>) = ss", null, "Unrecognized function: set_add at 1:36:7"),
                Arguments.of("UPDATE t SET t = set_add(ss, <<'x'>>) WHERE pk = 'x'", null,
                        "The first argument to SET_ADD must equal the assignment value at 1:18:7"),
                Arguments.of("UPDATE t SET ss = set_add(<<'a'>>, <<'b'>>) WHERE pk = 'x'", null,
                        "The first argument to SET_ADD must equal the assignment value at 1:19:7"),
                Arguments.of("UPDATE t SET ss = set_add(ss, 'x') WHERE pk = 'x'", null,
                        "The second argument to SET_ADD must be a value with type SET at 1:27:2"),
                Arguments.of("UPDATE t\nSET BandMembers = set_add(BandMembers, 'x')\nWHERE pk='sets'", null,
                        "The second argument to SET_ADD must be a value with type SET at 2:27:11"),
                Arguments.of("UPDATE t SET \"ss\" = set_delete(\"ss\", ['x']) WHERE pk = 'x'", null,
                        "The second argument to SET_DELETE must be a value with type SET at 1:32:4"),
                Arguments.of("UPDATE t SET ss = set_add(ss) WHERE pk = 'x'", null, "SET_ADD must have exactly two arguments at 1:19:7"),
                Arguments.of("UPDATE t SET ss = set_add(ss, <<'x'>>, <<'y'>>) WHERE pk = 'x'", null, "SET_ADD must have exactly two arguments at 1:19:7"),
                Arguments.of("UPDATE t SET ss = set_add(ss, <<>>) WHERE pk = 'x'", null, "Empty bags are not supported"),
                Arguments.of("SELECT l[-1] FROM t WHERE pk='index'", null, "List index is not within the allowable range; index: [-1] at 1:11:1"),
                Arguments.of("SELECT l[2147483648] FROM t WHERE pk='index'", null,
                        "List index is not within the allowable range; index: [2147483648] at 1:10:10"),
                Arguments.of("SELECT sk FROM t WHERE pk='i' AND attribute_type(l, 1)", null,
                        "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"),
                Arguments.of("SELECT sk FROM t WHERE pk='i' AND attribute_type(l, true)", null,
                        "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: BOOL"),
                Arguments.of("SELECT pk FROM t WHERE pk = 'o' AND attribute_type(Total, 'X')", null,
                        "Invalid attribute type name found; type: X, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"),
                Arguments.of("SELECT sk FROM t WHERE pk='r' AND flag IN [" + "'v',".repeat(100) + "'v']", null,
                        "The IN operator is provided with too many operands; number of operands: 101"),
                Arguments.of("DELETE FROM t WHERE pk = 'x' RETURNING MODIFIED OLD *", null,
                        "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
                Arguments.of("DELETE FROM t WHERE pk = 'x' RETURNING ALL NEW *", null,
                        "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
                Arguments.of("DELETE FROM t WHERE pk = 'x' RETURNING MODIFIED NEW *", null,
                        "Invalid returning clause: RETURNING MODIFIED NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
                Arguments.of("SELECT * FROM t.\"gsi\".\"extra\" WHERE pk = 'p'", null, "A path may contain at most 2 components in the FROM clause"),
                Arguments.of("SELECT * FROM t.\"\" WHERE pk = 'p'", null, "Path component cannot be an empty string"),
                Arguments.of("SELECT * FROM \"\" WHERE pk = 'p'", null, "Path component cannot be an empty string"),
                Arguments.of("SELECT m.z, n.z FROM t", null, "Duplicate identifiers in select clause: z"),
                // DynamoDB Local's wording (ddb.partiql ValidationExceptionMessages), not yet seen from DynamoDB itself
                Arguments.of("SELECT * FROM t WHERE a = ?", null, "Number of parameters in request and statement don't match."),
                Arguments.of("SELECT * FROM t WHERE a = 1", List.of(ANN), "Number of parameters in request and statement don't match."),
                Arguments.of("SELECT *, a FROM t", null, "Other attributes should not be present in the projection when '*' is used."),
                Arguments.of("INSERT INTO t VALUES {'a': 1}", null,
                        "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead"),
                Arguments.of("INSERT INTO t VALUE [1]", null,
                        "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."),
                Arguments.of("INSERT INTO t VALUE {'a': 1} RETURNING ALL OLD *", null, "RETURNING is not supported in INSERT"),
                Arguments.of("INSERT INTO t VALUE {'a': 1, 'a': 2}", null, "Duplicate keys in tuple. Key: a under root"),
                Arguments.of("SELECT * FROM t WHERE a IN []", null,
                        "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"),
                Arguments.of("UPDATE t SET a = 1 WHERE pk = 'x' RETURNING ALL OLD", null, "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"),
                // our own wording where DynamoDB's is unknown
                Arguments.of("SELECT * FROM t WHERE a == 1", null, prefix + "Unexpected operator"),
                Arguments.of("INSERT INTO t VALUE {'a': 1", null, prefix + "Unexpected end of statement"),
                Arguments.of("UPDATE t WHERE pk = 1", null, prefix + "Unexpected keyword"));
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
