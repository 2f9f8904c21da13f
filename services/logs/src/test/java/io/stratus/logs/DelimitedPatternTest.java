package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Space-delimited filter patterns: the named cases of {@code delimited-patterns.json}, most of them
 * AWS's own examples from its filter pattern syntax guide, against Apache access-log lines.
 */
class DelimitedPatternTest {

    private static JsonNode cases() throws IOException {
        try (InputStream in = DelimitedPatternTest.class.getResourceAsStream("/delimited-patterns.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> matches() throws IOException {
        List<Arguments> arguments = new ArrayList<>();
        for (JsonNode c : cases().get("matches")) {
            arguments.add(Arguments.of(c.get("name").asText(), c.get("pattern").asText(), c.get("message").asText(), c.get("matches").asBoolean()));
        }
        return arguments.stream();
    }

    static Stream<String> invalid() throws IOException {
        List<String> patterns = new ArrayList<>();
        cases().get("invalid").forEach(p -> patterns.add(p.asText()));
        return patterns.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void matchesAsAwsDocuments(String name, String pattern, String message, boolean expected) {
        assertThat(FilterPattern.parse(pattern).matches(message)).as("%s on %s", pattern, message).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesPatternsThatDoNotParse(String pattern) {
        assertThatThrownBy(() -> FilterPattern.parse(pattern))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(LogsErrors.INVALID_PARAMETER));
    }

    @Test
    void ellipsesOverALongMessageAreSearchedWithoutBlowingUp() {
        // 30,000 fields, three ellipses: conditions are checked as each field is laid, not at the end.
        String message = String.join(" ", java.util.Collections.nCopies(30_000, "INFO")) + " ERROR 500 tail";
        FilterPattern pattern = FilterPattern.parse("[..., level = ERROR, ..., code >= 500, ..., last = tail]");
        FilterPattern never = FilterPattern.parse("[..., level = WARN, ..., code >= 500, ..., last = tail]");

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(pattern.matches(message)).isTrue();
            assertThat(never.matches(message)).isFalse();
        });
    }

    @Test
    void splitsMessagesAtSpacesKeepingBracketsAndQuotesWhole() {
        assertThat(DelimitedPattern.fields("127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 1534"))
                .containsExactly("127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700", "GET /apache_pb.gif HTTP/1.0", "200", "1534");
        assertThat(DelimitedPattern.fields("  a  \"\" b ")).containsExactly("a", "", "b");
    }
}
