package io.stratus.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.ServiceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol codecs against a table of named cases ({@code codec/cases.json}): a request goes in,
 * the operation echoes its decoded input back, and the case states the response that must come
 * out — or the AWS error, with code and status, a bad request must get.
 */
class CodecTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = CodecTableTest.class.getResourceAsStream("/codec/cases.json")) {
            JsonNode root = JSON.readTree(in);
            List<Arguments> cases = new ArrayList<>();
            root.fields().forEachRemaining(entry -> cases.add(Arguments.of(entry.getKey(), entry.getValue())));
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void codecCase(String name, JsonNode testCase) {
        ServiceDefinition service = CodecFixtures.forProtocol(testCase.get("protocol").asText());
        ProtocolCodec codec = ProtocolCodec.of(service.primaryProtocol());
        HttpRequest request = request(testCase.get("request"));
        JsonNode expect = testCase.get("expect");

        if (expect.has("error")) {
            assertThatThrownBy(() -> codec.decode(service, request))
                    .isInstanceOfSatisfying(AwsException.class, e -> {
                        assertThat(e.errorCode().code()).isEqualTo(expect.get("error").asText());
                        assertThat(e.errorCode().httpStatus()).isEqualTo(expect.get("status").asInt());
                    });
            return;
        }
        DecodedRequest decoded = codec.decode(service, request);
        assertThat(decoded.operation().name()).isEqualTo(expect.get("operation").asText());
        HttpResponse response = codec.encode(service, decoded.operation(), decoded.operation().invoke(null, decoded.input()), "req-1");
        assertThat(response.status()).isEqualTo(expect.get("status").asInt());
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (expect.has("body")) {
            assertThat(body).isEqualTo(expect.get("body").asText());
        }
        if (expect.has("headers")) {
            expect.get("headers").fields().forEachRemaining(header -> assertThat(response.headers())
                    .as("header %s", header.getKey())
                    .contains(Map.entry(header.getKey(), header.getValue().asText())));
        }
    }

    private static HttpRequest request(JsonNode request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (request.has("headers")) {
            request.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
        }
        String body = request.has("body") ? request.get("body").asText() : "";
        return HttpRequest.of(request.get("method").asText(), request.get("path").asText(), headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
