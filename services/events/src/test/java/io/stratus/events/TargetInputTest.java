package io.stratus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.AwsException;
import io.stratus.events.EventsModel.InputTransformer;
import io.stratus.events.EventsModel.Target;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input transformers against the named cases of {@code input-transformers.json}, and the other input forms. */
class TargetInputTest {

    private static final String EVENT = "{\"id\":\"1\",\"source\":\"s\",\"detail\":{\"state\":\"running\",\"instance\":\"i-1\",\"count\":3,"
            + "\"obj\":{\"a\":[1,2]},\"quote\":\"say \\\"hi\\\"\",\"list\":[10,20],\"odd key\":\"yes\"}}";
    private static final String RULE_ARN = "arn:aws:events:us-east-1:000000000000:rule/r";

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = TargetInputTest.class.getResourceAsStream("/input-transformers.json")) {
            List<Arguments> arguments = new ArrayList<>();
            for (JsonNode c : EventStore.JSON.readTree(in)) {
                Map<String, String> paths = new LinkedHashMap<>();
                c.get("paths").properties().forEach(p -> paths.put(p.getKey(), p.getValue().asText()));
                arguments.add(Arguments.of(c.get("name").asText(), paths, c.get("template").asText(), c.get("expected").asText()));
            }
            return arguments.stream();
        }
    }

    private static Target target(String input, String inputPath, InputTransformer transformer) {
        return new Target("t", "arn:aws:sqs:us-east-1:000000000000:q", null, input, inputPath, transformer, null, null, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void transforms(String name, Map<String, String> paths, String template, String expected) {
        Target target = target(null, null, new InputTransformer(paths, template));
        TargetInput.validate(target);
        assertThat(TargetInput.render(target, EVENT, RULE_ARN, "r", "2026-12-03T12:00:00Z")).isEqualTo(expected);
    }

    @Test
    void withoutInputTheTargetGetsTheWholeEvent() {
        assertThat(TargetInput.render(target(null, null, null), EVENT, RULE_ARN, "r", "t")).isEqualTo(EVENT);
    }

    @Test
    void inputIsSentAsItIsAndInputPathSelects() {
        assertThat(TargetInput.render(target("{\"k\": 1}", null, null), EVENT, RULE_ARN, "r", "t")).isEqualTo("{\"k\": 1}");
        assertThat(TargetInput.render(target(null, "$.detail.obj", null), EVENT, RULE_ARN, "r", "t")).isEqualTo("{\"a\":[1,2]}");
        assertThat(TargetInput.render(target(null, "$", null), EVENT, RULE_ARN, "r", "t")).isEqualTo(EVENT);
    }

    @Test
    void badInputsAreRefused() {
        assertThatThrownBy(() -> TargetInput.validate(target("{", null, null))).isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> TargetInput.validate(target(null, "detail", null))).isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> TargetInput.validate(target("{}", "$.detail", null)))
                .hasMessage("Only one of Input, InputPath, or InputTransformer must be provided.");
        assertThatThrownBy(() -> TargetInput.validate(target(null, null, new InputTransformer(Map.of("a", "$..x"), "<a>"))))
                .isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> TargetInput.validate(target(null, null, new InputTransformer(Map.of("aws.x", "$.x"), "<aws.x>"))))
                .isInstanceOf(AwsException.class);
    }
}
