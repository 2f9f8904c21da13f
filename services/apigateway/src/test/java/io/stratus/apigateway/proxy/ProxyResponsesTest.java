package io.stratus.apigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyResponsesTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> header(HttpResponse response, String name) {
        return response.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    @Test
    void v1TakesStatusHeadersAndBody() throws Exception {
        HttpResponse response = ProxyResponses.fromV1(bytes("""
                {"statusCode": 201, "headers": {"Content-Type": "text/plain", "X-One": "a"},
                 "multiValueHeaders": {"x-one": ["b", "c"], "X-Two": ["d"]}, "body": "made", "isBase64Encoded": false}
                """), true);

        assertThat(response.status()).isEqualTo(201);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("made");
        assertThat(header(response, "content-type")).containsExactly("text/plain");
        assertThat(header(response, "x-one")).as("multiValueHeaders win over headers").containsExactly("b", "c");
        assertThat(header(response, "x-two")).containsExactly("d");
    }

    @Test
    void v1DecodesABase64Body() throws Exception {
        HttpResponse response = ProxyResponses.fromV1(bytes("{\"statusCode\": \"200\", \"body\": \"AAEC\", \"isBase64Encoded\": true}"), true);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).containsExactly(0, 1, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "\"a string\"", "[1]", "{}", "{\"body\": \"x\"}", "{\"statusCode\": \"abc\"}", "{\"statusCode\": 42}",
        "{\"statusCode\": 200, \"body\": {\"a\": 1}}", "{\"statusCode\": 200, \"headers\": []}",
        "{\"statusCode\": 200, \"multiValueHeaders\": {\"a\": \"b\"}}", "{\"statusCode\": 200, \"isBase64Encoded\": \"yes\"}",
        "{\"statusCode\": 200, \"body\": \"!!\", \"isBase64Encoded\": true}", "{\"statusCode\": 200, \"extra\": 1}"
    })
    void v1RefusesWhatIsNotAProxyResponse(String answer) {
        assertThatThrownBy(() -> ProxyResponses.fromV1(bytes(answer), true)).isInstanceOf(ProxyResponses.MalformedResponseException.class);
    }

    @Test
    void v1OfHttpApisToleratesOtherMembers() throws Exception {
        assertThat(ProxyResponses.fromV1(bytes("{\"statusCode\": 204, \"extra\": 1}"), false).status()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"message\": \"hi\"}", "42", "[1,2]", "{\"statuscode\": 500}"})
    void v2TakesAnyJsonWithoutStatusCodeAsA200JsonBody(String answer) throws Exception {
        HttpResponse response = ProxyResponses.fromV2(bytes(answer));

        assertThat(response.status()).isEqualTo(200);
        assertThat(header(response, "content-type")).containsExactly("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(answer);
    }

    @Test
    void v2TakesABareStringAsTheBodyWithoutItsQuotes() throws Exception {
        HttpResponse response = ProxyResponses.fromV2(bytes("\"Hello from Lambda!\""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("Hello from Lambda!");
    }

    @Test
    void v2TurnsCookiesIntoSetCookieHeaders() throws Exception {
        HttpResponse response = ProxyResponses.fromV2(bytes("""
                {"statusCode": 302, "headers": {"location": "/next"}, "cookies": ["a=1; Path=/", "b=2"]}
                """));

        assertThat(response.status()).isEqualTo(302);
        assertThat(header(response, "location")).containsExactly("/next");
        assertThat(header(response, "set-cookie")).containsExactly("a=1; Path=/", "b=2");
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"statusCode\": 200, \"cookies\": \"a=1\"}", "{\"statusCode\": \"x\"}"})
    void v2RefusesBrokenAnswers(String answer) {
        assertThatThrownBy(() -> ProxyResponses.fromV2(bytes(answer))).isInstanceOf(ProxyResponses.MalformedResponseException.class);
    }
}
