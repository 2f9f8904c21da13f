package io.stratus.apigateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyEventV2Test {

    private static HttpApiCall call(Map<String, List<String>> headers, String rawQuery, byte[] body) {
        return new HttpApiCall("000000000000", "a1b2c3d4e5", "prod", "GET /items/{id}", "GET", "/prod/items/7%20x", rawQuery, headers, body,
                Map.of("id", "7 x"), Map.of("color", "blue"), "req1234567890a=", "a1b2c3d4e5.execute-api.localhost", "10.0.0.1",
                Instant.parse("2020-03-12T19:03:58.123Z"));
    }

    @Test
    void carriesTheCallAsAwsDocumentsFormat2() {
        JsonNode event = ProxyEventV2.of(call(Map.of("cookie", List.of("a=1; b=2", "c=3"), "x-many", List.of("1", "2"), "content-type",
                List.of("application/json")), "q=1&q=2&r=a+b&flag", "{\"k\":1}".getBytes(StandardCharsets.UTF_8)));

        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(event.get("rawPath").asText()).isEqualTo("/prod/items/7%20x");
        assertThat(event.get("rawQueryString").asText()).isEqualTo("q=1&q=2&r=a+b&flag");
        assertThat(event.get("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\",\"c=3\"]");
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.get("headers").get("x-many").asText()).isEqualTo("1,2");
        assertThat(event.get("queryStringParameters").toString()).isEqualTo("{\"q\":\"1,2\",\"r\":\"a b\",\"flag\":\"\"}");
        assertThat(event.get("pathParameters").toString()).isEqualTo("{\"id\":\"7 x\"}");
        assertThat(event.get("stageVariables").toString()).isEqualTo("{\"color\":\"blue\"}");
        assertThat(event.get("body").asText()).isEqualTo("{\"k\":1}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("http").get("path").asText()).isEqualTo("/prod/items/7 x");
        assertThat(context.get("http").get("sourceIp").asText()).isEqualTo("10.0.0.1");
        assertThat(context.get("http").get("userAgent").asText()).isEmpty();
        assertThat(context.get("time").asText()).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(context.get("timeEpoch").asLong()).isEqualTo(1584039838123L);
        assertThat(context.get("domainPrefix").asText()).isEqualTo("a1b2c3d4e5");
        assertThat(context.get("stage").asText()).isEqualTo("prod");
    }

    @Test
    void aForwardedForTheClientSentGetsItsAddressAdded() {
        JsonNode event = ProxyEventV2.of(call(Map.of("x-forwarded-for", List.of("203.0.113.9, 198.51.100.4")), "", new byte[0]));
        assertThat(event.get("headers").get("x-forwarded-for").asText()).isEqualTo("203.0.113.9, 198.51.100.4, 10.0.0.1");
        assertThat(event.get("requestContext").get("http").get("sourceIp").asText()).isEqualTo("10.0.0.1");
        assertThat(ProxyEventV2.of(call(Map.of(), "", new byte[0])).get("headers").get("x-forwarded-for").asText()).isEqualTo("10.0.0.1");
    }

    @Test
    void leavesOutWhatTheCallDoesNotHave() {
        JsonNode event = ProxyEventV2.of(call(Map.of(), "", new byte[0]));

        assertThat(event.has("cookies")).isFalse();
        assertThat(event.has("queryStringParameters")).isFalse();
        assertThat(event.has("body")).isFalse();
        assertThat(event.get("rawQueryString").asText()).isEmpty();
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void encodesABinaryBody() {
        JsonNode event = ProxyEventV2.of(call(Map.of("content-type", List.of("image/png")), "", new byte[] {0, 1, 2}));

        assertThat(event.get("body").asText()).isEqualTo("AAEC");
        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"text/plain,true", "text/html; charset=utf-8,true", "application/json,true",
            "application/vnd.api+json,true", "application/xml,true", "application/soap+xml,true", "application/javascript,true",
            "application/octet-stream,false", "image/png,false", "application/x-www-form-urlencoded,false", "null,false"})
    void textualMediaTypes(String contentType, boolean text) {
        assertThat(ProxyEventV2.isText(contentType)).isEqualTo(text);
    }
}
