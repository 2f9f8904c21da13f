package io.stratus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.AwsException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Schedule expressions against the named cases of {@code schedules.json}. */
class ScheduleTest {

    private static JsonNode cases() throws IOException {
        try (InputStream in = ScheduleTest.class.getResourceAsStream("/schedules.json")) {
            return EventStore.JSON.readTree(in);
        }
    }

    static Stream<Arguments> valid() throws IOException {
        List<Arguments> arguments = new ArrayList<>();
        for (JsonNode c : cases().get("valid")) {
            arguments.add(Arguments.of(c.get("name").asText(), c.get("expression").asText(), c.get("after").asText(),
                    c.get("next").isNull() ? null : c.get("next").asText()));
        }
        return arguments.stream();
    }

    static Stream<String> invalid() throws IOException {
        List<String> expressions = new ArrayList<>();
        cases().get("invalid").forEach(node -> expressions.add(node.asText()));
        return expressions.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void nextRun(String name, String expression, String after, String next) {
        Instant actual = Schedule.parse(expression).next(Instant.parse(after));
        assertThat(actual).isEqualTo(next == null ? null : Instant.parse(next));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalid")
    void refused(String expression) {
        assertThatThrownBy(() -> Schedule.parse(expression)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(EventsErrors.VALIDATION);
            assertThat(e.getMessage()).isEqualTo("Parameter ScheduleExpression is not valid.");
        });
    }
}
