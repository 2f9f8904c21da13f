package io.stratus.dynamodb.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.dynamodb.DynamoDbErrors;
import io.stratus.dynamodb.item.AttributeValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The expression parser and evaluator against tables of named cases in
 * {@code src/test/resources/expression}: each case gives an expression, its names and values, an
 * item, and either the outcome or the ValidationException message DynamoDB answers with.
 */
class ExpressionCasesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One case of a table; exactly one of result, expected and error is set. */
    record Case(String name, String expression, Map<String, String> names, Map<String, AttributeValue> values,
            Map<String, AttributeValue> item, Boolean result, Map<String, AttributeValue> expected, String error) {

        @Override
        public String toString() {
            return name;
        }

        Map<String, AttributeValue> itemOrEmpty() {
            return item == null ? Map.of() : item;
        }
    }

    private static Stream<Arguments> cases(String file) throws IOException {
        try (InputStream in = ExpressionCasesTest.class.getResourceAsStream("/expression/" + file)) {
            List<Case> cases = JSON.readValue(in, new TypeReference<>() {});
            return cases.stream().map(c -> Arguments.of(c));
        }
    }

    static Stream<Arguments> conditions() throws IOException {
        return cases("conditions.json");
    }

    static Stream<Arguments> updates() throws IOException {
        return cases("updates.json");
    }

    static Stream<Arguments> projections() throws IOException {
        return cases("projections.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void condition(Case c) {
        Runnable run = () -> {
            var attributes = new ExpressionAttributes(c.names(), c.values(), true);
            Condition condition = ExpressionParser.condition(c.expression(), "ConditionExpression", attributes);
            attributes.checkAllUsed();
            boolean result = ConditionEvaluator.test(condition, c.itemOrEmpty());
            assertThat(result).as(c.name()).isEqualTo(c.result());
        };
        check(c, run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void update(Case c) {
        Runnable run = () -> {
            var attributes = new ExpressionAttributes(c.names(), c.values(), true);
            List<UpdateAction> actions = ExpressionParser.update(c.expression(), attributes);
            attributes.checkAllUsed();
            assertThat(UpdateApplier.apply(actions, c.itemOrEmpty())).isEqualTo(c.expected());
        };
        check(c, run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("projections")
    void projection(Case c) {
        Runnable run = () -> {
            var attributes = new ExpressionAttributes(c.names(), null, true);
            List<Path> paths = ExpressionParser.projection(c.expression(), attributes);
            assertThat(Documents.project(c.itemOrEmpty(), paths)).isEqualTo(c.expected());
        };
        check(c, run);
    }

    private static void check(Case c, Runnable run) {
        if (c.error() == null) {
            run.run();
            return;
        }
        assertThatThrownBy(run::run).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.VALIDATION);
            assertThat(e.getMessage()).isEqualTo(c.error());
        });
    }
}
