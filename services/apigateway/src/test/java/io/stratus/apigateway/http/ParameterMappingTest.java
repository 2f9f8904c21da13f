package io.stratus.apigateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParameterMappingTest {

    private static final HttpApiCall CALL = new HttpApiCall("000000000000", "a1b2c3d4e5", "live", "ANY /files/{proxy+}", "GET",
            "/live/files/a/b c", "id=9&tag=x&tag=y", Map.of("x-client", List.of("c1"), "x-secret", List.of("s")), new byte[0],
            Map.of("proxy", "a/b c"), Map.of("host", "backend.example"), "req=", "a1b2c3d4e5.execute-api.localhost", "10.0.0.1",
            Instant.EPOCH);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$request.header.x-client|c1",
            "$request.header.absent|''",
            "$request.querystring.tag|x,y",
            "$request.path.proxy|a/b c",
            "$request.path|/live/files/a/b c",
            "$context.stage|live",
            "$context.requestId|req=",
            "$stageVariables.host|backend.example",
            "static|static",
            "v1/$request.querystring.id/$context.stage|v1/9/live"})
    void evaluatesVariables(String expression, String value) {
        assertThat(ParameterMapping.evaluate(expression, CALL)).isEqualTo(value);
    }

    @Test
    void appliesHeaderQueryAndPathMappings() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("overwrite:path", "/v2/$request.querystring.id");
        parameters.put("append:header.x-client", "extra");
        parameters.put("remove:header.x-secret", "''");
        parameters.put("overwrite:querystring.tag", "z");
        parameters.put("append:querystring.new", "$context.stage");

        ParameterMapping.Mapped mapped = ParameterMapping.apply(parameters, CALL, null, "/base", Map.of("tag", List.of("x", "y"), "id", List.of("9")),
                Map.of("x-client", List.of("c1"), "x-secret", List.of("s")));

        assertThat(mapped.path()).isEqualTo("/v2/9");
        assertThat(mapped.headers()).containsEntry("x-client", List.of("c1", "extra")).doesNotContainKey("x-secret");
        assertThat(mapped.query()).containsEntry("tag", List.of("z")).containsEntry("new", List.of("live")).containsEntry("id", List.of("9"));
    }

    @Test
    void evaluatesAuthorizerVariables() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var jwt = mapper.readTree("{\"jwt\": {\"claims\": {\"sub\": \"user1\", \"cognito:groups\": \"admins\"}, \"scopes\": null}}");
        var lambda = mapper.readTree("{\"lambda\": {\"tenant\": \"t1\", \"level\": 3}}");

        assertThat(ParameterMapping.evaluate("$context.authorizer.claims.sub", CALL, jwt)).isEqualTo("user1");
        assertThat(ParameterMapping.evaluate("$context.authorizer.claims.cognito:groups", CALL, jwt)).isEqualTo("admins");
        assertThat(ParameterMapping.evaluate("t=$context.authorizer.tenant", CALL, lambda)).isEqualTo("t=t1");
        assertThat(ParameterMapping.evaluate("$context.authorizer.level", CALL, lambda)).isEqualTo("3");
        assertThat(ParameterMapping.evaluate("$context.authorizer.tenant", CALL, null)).isEmpty();
    }

    @Test
    void expandsStageVariablesAndPathParametersInTheUri() {
        assertThat(ParameterMapping.expandUri("https://${stageVariables.host}/files/{proxy}", CALL))
                .isEqualTo("https://backend.example/files/a/b%20c");
        assertThat(ParameterMapping.expandUri("https://h.example/{unknown}", CALL)).isEqualTo("https://h.example/{unknown}");
    }
}
