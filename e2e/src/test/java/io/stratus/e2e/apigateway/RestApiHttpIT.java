package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

/** REST APIs in front of a loopback HTTP backend: HTTP_PROXY forwarding and HTTP integrations with mapping templates. */
@StratusTest
class RestApiHttpIT {

    /** What the backend last received: method, path with query, a header and the body. */
    private record Received(String method, String uri, String header, String contentType, String body) {}

    private HttpServer backend;
    private final AtomicReference<Received> received = new AtomicReference<>();

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", this::answer);
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.set(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("X-Client"), exchange.getRequestHeaders().getFirst("Content-Type"), body));
        String path = exchange.getRequestURI().getPath();
        int status = path.endsWith("/missing") ? 404 : path.endsWith("/created") ? 201 : 200;
        byte[] answer = ("{\"backend\": \"" + path + "\", \"size\": " + body.length() + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Backend", "loopback");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private String backendUrl() {
        return "http://127.0.0.1:" + backend.getAddress().getPort();
    }

    @Test
    void httpProxyForwardsMethodPathQueryHeadersAndBody(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "http-proxy");
        api.method("ANY", "/api/{proxy+}", i -> i.type(IntegrationType.HTTP_PROXY).integrationHttpMethod("ANY")
                .uri(backendUrl() + "/v1/{proxy}").requestParameters(Map.of("integration.request.path.proxy", "method.request.path.proxy")));
        api.deploy("prod");

        HttpResponse<String> response = RestApiFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(api.url("/prod/api/orders/created?x=1&y=two"))
                        .header("X-Client", "test").header("Content-Type", "text/plain")
                        .method("PUT", java.net.http.HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Backend")).hasValue("loopback");
        assertThat(response.body()).isEqualTo("{\"backend\": \"/v1/orders/created\", \"size\": 5}");
        assertThat(received.get()).isEqualTo(new Received("PUT", "/v1/orders/created?x=1&y=two", "test", "text/plain", "hello"));

        HttpResponse<String> missing = api.get("/prod/api/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void httpIntegrationMapsParametersTemplatesAndStatusSelection(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "http-custom");
        api.method("POST", "/things/{kind}", i -> i.type(IntegrationType.HTTP).integrationHttpMethod("POST")
                .uri(backendUrl() + "/store/{kind}")
                .requestParameters(Map.of(
                        "integration.request.path.kind", "method.request.path.kind",
                        "integration.request.querystring.source", "'gateway'",
                        "integration.request.header.X-Client", "method.request.header.X-Caller"))
                .requestTemplates(Map.of("application/json", "{\"wrapped\": $input.json('$'), \"id\": \"$context.requestId\"}")));
        api.response("POST", "/things/{kind}", "200", null,
                Map.of("application/json", "{\"stored\": \"$input.path('$.backend')\"}"),
                Map.of("method.response.header.X-From", "integration.response.header.X-Backend"));
        api.response("POST", "/things/{kind}", "404", "404", Map.of("application/json", "{\"message\": \"no such kind\"}"), Map.of());
        api.deploy("prod");

        HttpResponse<String> ok = RestApiFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(api.url("/prod/things/books"))
                        .header("X-Caller", "mapped").header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"Dune\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"stored\": \"/store/books\"}");
        assertThat(ok.headers().firstValue("X-From")).hasValue("loopback");
        Received sent = received.get();
        assertThat(sent.uri()).isEqualTo("/store/books?source=gateway");
        assertThat(sent.header()).isEqualTo("mapped");
        assertThat(sent.body()).startsWith("{\"wrapped\": {\"title\":\"Dune\"}, \"id\": \"");

        HttpResponse<String> missing = api.send("POST", "/prod/things/missing", "application/json", "{}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"message\": \"no such kind\"}");
    }

    @Test
    void anUnreachableBackendIsAnInternalServerError(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "http-down");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        api.method("GET", "/down", i -> i.type(IntegrationType.HTTP_PROXY).integrationHttpMethod("GET").uri(url + "/down"));
        api.deploy("prod");

        HttpResponse<String> response = api.get("/prod/down");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}");
    }
}
