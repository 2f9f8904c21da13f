package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mapping templates against named cases in {@code templates.json}, modelled on the examples of
 * AWS's reference for {@code $input}, {@code $util}, {@code $context} and {@code $stageVariables}.
 * Every case renders with the path parameter {@code id=7}, the query {@code q=search}, the header
 * {@code x-trace: t-1}, stage {@code prod} and the stage variable {@code color=red}.
 */
class MappingTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Arguments> cases() throws IOException {
        try (InputStream in = MappingTemplatesTest.class.getResourceAsStream("templates.json")) {
            JsonNode all = JSON.readTree(in);
            return StreamSupport.stream(all.spliterator(), false)
                    .map(c -> Arguments.of(Named.of(c.get("name").asText(), c.get("template").asText()), c.get("body").asText(), c.get("expected").asText()))
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void renders(String template, String body, String expected) throws Exception {
        TemplateInput input = new TemplateInput(body, Map.of("id", "7"), Map.of("q", "search"), Map.of("x-trace", "t-1"));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("stage", "prod");
        context.put("requestId", "req-1");
        context.put("resourcePath", "/items/{id}");
        context.put("identity", Map.of("sourceIp", "127.0.0.1"));

        String rendered = MappingTemplates.render(template, input, context, Map.of("color", "red"));

        assertThat(rendered).isEqualTo(expected);
    }
}
