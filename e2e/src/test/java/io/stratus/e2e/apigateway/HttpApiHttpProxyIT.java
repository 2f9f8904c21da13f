package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.HttpApiLambdaIT.call;
import static io.stratus.e2e.apigateway.HttpApiLambdaIT.get;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** HTTP APIs in front of a real HTTP backend (a loopback server of the test): forwarding, parameter mapping, timeouts, CORS. */
@StratusTest
class HttpApiHttpProxyIT {

    /** What the backend received. */
    record Received(String method, String uri, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> String.join(",", e.getValue()))
                    .findFirst().orElse(null);
        }
    }

    private HttpServer backend;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/", this::answer);
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), body));
        if (exchange.getRequestURI().getPath().startsWith("/slow")) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = ("backend saw " + exchange.getRequestMethod() + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Backend", "yes");
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "https://backend-says.example");
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(207, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private String backendUrl() {
        return "http://127.0.0.1:" + backend.getAddress().getPort();
    }

    private Received next() throws InterruptedException {
        Received request = received.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("the backend was called").isNotNull();
        return request;
    }

    @Test
    void quickCreatedProxyForwardsMethodQueryHeadersAndBody(ApiGatewayV2Client apis, Stratus stratus) throws Exception {
        String apiId = apis.createApi(r -> r.name("proxy").protocolType(ProtocolType.HTTP).target(backendUrl() + "/base")).apiId();

        HttpResponse<String> response = call(stratus, "PATCH", apiId, "/anything?a=1&b=x%20y", Map.of("X-Client", "c1"), "payload");

        assertThat(response.statusCode()).isEqualTo(207);
        assertThat(response.body()).isEqualTo("backend saw PATCH /base?a=1&b=x%20y");
        assertThat(response.headers().firstValue("x-backend")).hasValue("yes");
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
        Received request = next();
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.header("x-client")).isEqualTo("c1");
        assertThat(request.body()).isEqualTo("payload");
    }

    @Test
    void greedyPathParameterAndParameterMapping(ApiGatewayV2Client apis, Stratus stratus) throws Exception {
        String apiId = apis.createApi(r -> r.name("mapped").protocolType(ProtocolType.HTTP)).apiId();
        String proxy = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("ANY")
                .integrationUri(backendUrl() + "/files/{proxy}")).integrationId();
        String mapped = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("POST")
                .integrationUri(backendUrl() + "/ignored")
                .requestParameters(Map.of(
                        "overwrite:path", "/users/$request.path.id",
                        "append:header.x-stage", "$context.stage",
                        "overwrite:header.x-client", "mapped-$request.header.x-client",
                        "remove:header.x-secret", "''",
                        "overwrite:querystring.color", "$stageVariables.color",
                        "remove:querystring.drop", "''"))).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("ANY /files/{proxy+}").target("integrations/" + proxy));
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /users/{id}").target("integrations/" + mapped));
        apis.createStage(r -> r.apiId(apiId).stageName("live").autoDeploy(true).stageVariables(Map.of("color", "green")));

        HttpResponse<String> files = get(stratus, apiId, "/live/files/a/b.txt");
        assertThat(files.statusCode()).isEqualTo(207);
        assertThat(next().uri()).isEqualTo("/files/a/b.txt");

        HttpResponse<String> user = call(stratus, "GET", apiId, "/live/users/7?drop=1&keep=2", Map.of("X-Client", "c", "X-Secret", "s"), null);
        assertThat(user.statusCode()).isEqualTo(207);
        Received request = next();
        assertThat(request.method()).as("the integration's method, not the call's").isEqualTo("POST");
        assertThat(request.uri()).startsWith("/users/7?").contains("keep=2").contains("color=green").doesNotContain("drop");
        assertThat(request.header("x-stage")).isEqualTo("live");
        assertThat(request.header("x-client")).isEqualTo("mapped-c");
        assertThat(request.header("x-secret")).isNull();
    }

    @Test
    void slowBackendTimesOutWith504AndUnreachableOneIs500(ApiGatewayV2Client apis, Stratus stratus) throws Exception {
        String apiId = apis.createApi(r -> r.name("slow").protocolType(ProtocolType.HTTP)).apiId();
        String slow = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("GET")
                .integrationUri(backendUrl() + "/slow").timeoutInMillis(500)).integrationId();
        String dead = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("GET")
                .integrationUri("http://127.0.0.1:1/nothing")).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /slow").target("integrations/" + slow));
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /dead").target("integrations/" + dead));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        HttpResponse<String> timedOut = get(stratus, apiId, "/slow");
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(timedOut.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");

        HttpResponse<String> unreachable = get(stratus, apiId, "/dead");
        assertThat(unreachable.statusCode()).isEqualTo(500);
        assertThat(unreachable.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void corsPreflightIsAnsweredByTheGatewayAndResponsesCarryItsHeaders(ApiGatewayV2Client apis, Stratus stratus) throws Exception {
        String apiId = apis.createApi(r -> r.name("cors").protocolType(ProtocolType.HTTP).target(backendUrl())
                .corsConfiguration(c -> c.allowOrigins("https://app.example").allowMethods("GET", "POST").allowHeaders("content-type", "x-token")
                        .exposeHeaders("x-backend").maxAge(600).allowCredentials(true))).apiId();

        HttpResponse<String> preflight = call(stratus, "OPTIONS", apiId, "/items",
                Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-token"), null);
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("content-type,x-token");
        assertThat(preflight.headers().firstValue("access-control-max-age")).hasValue("600");
        assertThat(preflight.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(received).as("the preflight never reaches the backend").isEmpty();

        HttpResponse<String> allowed = call(stratus, "GET", apiId, "/items", Map.of("Origin", "https://app.example"), null);
        assertThat(allowed.statusCode()).isEqualTo(207);
        assertThat(allowed.headers().allValues("access-control-allow-origin")).containsExactly("https://app.example");
        assertThat(allowed.headers().firstValue("access-control-expose-headers")).hasValue("x-backend");

        HttpResponse<String> other = call(stratus, "GET", apiId, "/items", Map.of("Origin", "https://evil.example"), null);
        assertThat(other.statusCode()).isEqualTo(207);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    }
}
