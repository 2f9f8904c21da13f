package io.stratus.apigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.protocol.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyEventV1Test {

    private static final Instant TIME = Instant.parse("2026-03-04T19:15:17.135Z");

    private static ProxyCall call(String pathAndQuery, Map<String, List<String>> headers, String body, boolean base64) {
        HttpRequest request = HttpRequest.of("POST", pathAndQuery, headers, body.getBytes(StandardCharsets.UTF_8));
        return new ProxyCall("000000000000", "a1b2c3d4e5", "a1b2c3d4e5.execute-api.localhost:4566", "prod", "req-1", TIME,
                "127.0.0.1", "/items/7", "/items/{id}", Map.of("id", "7"), Map.of("table", "items"), request,
                body.getBytes(StandardCharsets.UTF_8), base64);
    }

    @Test
    void restEventKeepsTheLastValueAndAllValues() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("x-multi", List.of("a", "b"));
        headers.put("user-agent", List.of("curl/8"));

        JsonNode event = ProxyEventV1.of(call("/items/7?q=1&q=2&x=y", headers, "{\"a\":1}", false), ProxyEventV1.Flavor.REST);

        assertThat(event.has("version")).isFalse();
        assertThat(event.get("resource").asText()).isEqualTo("/items/{id}");
        assertThat(event.get("path").asText()).isEqualTo("/items/7");
        assertThat(event.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(event.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(event.get("headers").get("X-Multi").asText()).isEqualTo("b");
        assertThat(event.get("headers").get("X-Forwarded-For").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get("multiValueHeaders").get("X-Multi")).hasSize(2);
        assertThat(event.get("queryStringParameters").get("q").asText()).isEqualTo("2");
        assertThat(event.get("multiValueQueryStringParameters").get("q").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(event.get("pathParameters").get("id").asText()).isEqualTo("7");
        assertThat(event.get("stageVariables").get("table").asText()).isEqualTo("items");
        assertThat(event.get("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("path").asText()).isEqualTo("/prod/items/7");
        assertThat(context.get("stage").asText()).isEqualTo("prod");
        assertThat(context.get("requestTime").asText()).isEqualTo("04/Mar/2026:19:15:17 +0000");
        assertThat(context.get("requestTimeEpoch").asLong()).isEqualTo(TIME.toEpochMilli());
        assertThat(context.get("identity").get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.get("identity").get("userAgent").asText()).isEqualTo("curl/8");
        assertThat(context.get("resourcePath").asText()).isEqualTo("/items/{id}");
        assertThat(context.get("apiId").asText()).isEqualTo("a1b2c3d4e5");
    }

    @Test
    void aForwardedForTheClientSentGetsItsAddressAddedAndIsNotItsSourceIp() {
        Map<String, List<String>> headers = Map.of("x-forwarded-for", List.of("203.0.113.9"));
        for (ProxyEventV1.Flavor flavor : ProxyEventV1.Flavor.values()) {
            JsonNode event = ProxyEventV1.of(call("/items/7", headers, "", false), flavor);
            String name = flavor == ProxyEventV1.Flavor.REST ? "X-Forwarded-For" : "x-forwarded-for";
            assertThat(event.get("headers").get(name).asText()).isEqualTo("203.0.113.9, 127.0.0.1");
            assertThat(event.get("multiValueHeaders").get(name).toString()).isEqualTo("[\"203.0.113.9, 127.0.0.1\"]");
            assertThat(event.get("requestContext").get("identity").get("sourceIp").asText()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void httpEventJoinsRepeatedValuesAndSaysItsVersion() {
        JsonNode event = ProxyEventV1.of(call("/items/7?q=1&q=2", Map.of("x-multi", List.of("a", "b")), "", false), ProxyEventV1.Flavor.HTTP);

        assertThat(event.get("version").asText()).isEqualTo("1.0");
        assertThat(event.get("headers").get("x-multi").asText()).isEqualTo("a,b");
        assertThat(event.get("queryStringParameters").get("q").asText()).isEqualTo("1,2");
        assertThat(event.get("body").isNull()).isTrue();
    }

    @Test
    void absentPartsAreNullAndBinaryBodiesBase64() {
        HttpRequest request = HttpRequest.of("GET", "/", Map.of(), new byte[] {1, 2});
        ProxyCall call = new ProxyCall("000000000000", "a1b2c3d4e5", "localhost", "$default", "r", TIME, "::1", "/", "/", Map.of(),
                Map.of(), request, new byte[] {1, 2}, true);

        JsonNode event = ProxyEventV1.of(call, ProxyEventV1.Flavor.REST);

        assertThat(event.get("queryStringParameters").isNull()).isTrue();
        assertThat(event.get("multiValueQueryStringParameters").isNull()).isTrue();
        assertThat(event.get("pathParameters").isNull()).isTrue();
        assertThat(event.get("stageVariables").isNull()).isTrue();
        assertThat(event.get("body").asText()).isEqualTo("AQI=");
        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(event.get("requestContext").get("path").asText()).isEqualTo("/");
    }

    @Test
    void headerNamesAreWrittenAsClientsWriteThem() {
        assertThat(ProxyEventV1.titleCase("content-type")).isEqualTo("Content-Type");
        assertThat(ProxyEventV1.titleCase("x-amz-date")).isEqualTo("X-Amz-Date");
        assertThat(ProxyEventV1.titleCase("host")).isEqualTo("Host");
    }
}
