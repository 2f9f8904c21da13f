package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FunctionUrlEventsTest {

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("an object without statusCode is a JSON body", "{\"a\":1}", 200, "{\"a\":1}", "application/json"),
                Arguments.of("a JSON string keeps its quotes", "\"hi\"", 200, "\"hi\"", "application/json"),
                Arguments.of("a number is the body", "42", 200, "42", "application/json"),
                Arguments.of("nothing is an empty 200", "", 200, "", "application/json"),
                Arguments.of("statusCode with a text body", "{\"statusCode\":418,\"body\":\"tea\",\"headers\":{\"Content-Type\":\"text/plain\"}}",
                        418, "tea", "text/plain"),
                Arguments.of("base64 body", "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"aGk=\"}", 200, "hi", "application/json"),
                Arguments.of("no body", "{\"statusCode\":204}", 204, "", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answersBecomeResponses(String name, String payload, int status, String body, String contentType) throws Exception {
        HttpResponse response = FunctionUrlEvents.response(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(status);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(header(response, "Content-Type")).isEqualTo(contentType);
    }

    static Stream<String> malformed() {
        return Stream.of("not json", "{\"statusCode\":\"x\"}", "{\"statusCode\":99}", "{\"statusCode\":200,\"headers\":[]}",
                "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"***\"}", "{\"statusCode\":200,\"cookies\":\"a=1\"}");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void impossibleAnswersAreMalformed(String payload) {
        assertThatThrownBy(() -> FunctionUrlEvents.response(payload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FunctionUrlEvents.MalformedResponse.class);
    }

    @Test
    void aStreamedResponsesPreludeGivesStatusHeadersAndCookies() throws Exception {
        byte[] prelude = "{\"statusCode\":202,\"headers\":{\"x-a\":\"1\"},\"cookies\":[\"c=1\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = "the body".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[prelude.length + 8 + body.length];
        System.arraycopy(prelude, 0, bytes, 0, prelude.length);
        System.arraycopy(body, 0, bytes, prelude.length + 8, body.length);
        HttpResponse response = FunctionUrlEvents.streamedResponse(ended(FunctionUrlEvents.HTTP_INTEGRATION_RESPONSE, bytes));
        assertThat(response.status()).isEqualTo(202);
        assertThat(response.bodyLength()).isEqualTo(-1);
        assertThat(new String(response.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("the body");
        assertThat(response.headers()).contains(Map.entry("x-a", "1"), Map.entry("Set-Cookie", "c=1"));

        HttpResponse plain = FunctionUrlEvents.streamedResponse(ended("text/csv", body));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.headers()).contains(Map.entry("Content-Type", "text/csv"));
        assertThatThrownBy(() -> FunctionUrlEvents.streamedResponse(ended(FunctionUrlEvents.HTTP_INTEGRATION_RESPONSE, body)))
                .isInstanceOf(FunctionUrlEvents.MalformedResponse.class);
    }

    private static StreamedResponse ended(String contentType, byte[] bytes) {
        return StreamedResponse.of(contentType, bytes);
    }

    @Test
    void aStreamedResponseIsSentFromTheFirstBytesOnAsTheyCome() throws Exception {
        StreamedResponse stream = new StreamedResponse(FunctionUrlEvents.HTTP_INTEGRATION_RESPONSE, 1024, 1024);
        byte[] prelude = "{\"statusCode\":201}".getBytes(StandardCharsets.UTF_8);
        stream.append(prelude, 0, prelude.length);
        stream.append(new byte[8], 0, 8);
        stream.append("first ".getBytes(StandardCharsets.UTF_8), 0, 6);
        HttpResponse response = FunctionUrlEvents.streamedResponse(stream);
        assertThat(response.status()).isEqualTo(201);
        byte[] read = new byte[64];
        assertThat(new String(read, 0, response.stream().read(read), StandardCharsets.UTF_8)).isEqualTo("first ");
        stream.append("second".getBytes(StandardCharsets.UTF_8), 0, 6);
        stream.end();
        assertThat(new String(response.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
    }

    @Test
    void aStreamWhosePreludeIsMalformedNoLongerHoldsTheFunctionBack() throws Exception {
        StreamedResponse stream = new StreamedResponse(FunctionUrlEvents.HTTP_INTEGRATION_RESPONSE, Long.MAX_VALUE, 0);
        stream.follow();
        byte[] prelude = "[1]".getBytes(StandardCharsets.UTF_8);
        stream.append(prelude, 0, prelude.length);
        stream.append(new byte[8], 0, 8);
        assertThatThrownBy(() -> FunctionUrlEvents.streamedResponse(stream)).isInstanceOf(FunctionUrlEvents.MalformedResponse.class);
        // Nobody reads it any more: a window's worth and more goes through at once.
        byte[] more = new byte[2 * StreamedResponse.WINDOW_BYTES];
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                stream.append(more, 0, more.length);
                stream.append(more, 0, more.length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void cookiesBecomeSetCookieHeaders() throws Exception {
        HttpResponse response = FunctionUrlEvents.response("{\"statusCode\":200,\"cookies\":[\"a=1\",\"b=2\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.headers().stream().filter(h -> h.getKey().equals("Set-Cookie")).map(Map.Entry::getValue)).containsExactly("a=1", "b=2");
    }

    @Test
    void eventHasFunctionUrlFields() throws Exception {
        HttpRequest request = HttpRequest.of("GET", "/p?a=1", Map.of("host", List.of("x:4566"), "cookie", List.of("c=1; d=2")), new byte[0]);
        var event = FunctionUrlEvents.JSON.readTree(FunctionUrlEvents.event(request, new byte[0], "id", "eu-west-1", "req",
                Instant.parse("2026-01-02T03:04:05Z"), Optional.empty()));
        assertThat(event.get("requestContext").get("domainName").asText()).isEqualTo("id.lambda-url.eu-west-1.on.aws");
        assertThat(event.get("requestContext").get("time").asText()).isEqualTo("02/Jan/2026:03:04:05 +0000");
        assertThat(event.get("headers").get("x-forwarded-port").asText()).isEqualTo("4566");
        assertThat(event.get("headers").get("x-amzn-trace-id").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}");
        assertThat(event.get("cookies")).hasSize(2);
        assertThat(event.has("body")).isFalse();
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
    }

    private static String header(HttpResponse response, String name) {
        return response.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
