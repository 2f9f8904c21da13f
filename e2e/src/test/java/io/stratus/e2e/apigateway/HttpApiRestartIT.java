package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.HttpApiLambdaIT.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** Acknowledged means durable: HTTP APIs, their parts and their invoke URLs survive a restart on the RocksDB store. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class HttpApiRestartIT {

    @Test
    void apisRoutesStagesAndDeploymentsSurviveRestart(Stratus stratus, ApiGatewayV2Client apis) throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = ("saw " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        try {
            String apiId = apis.createApi(r -> r.name("durable").protocolType(ProtocolType.HTTP).tags(Map.of("keep", "me"))).apiId();
            String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("GET")
                    .integrationUri("http://127.0.0.1:" + backend.getAddress().getPort() + "/{proxy}")).integrationId();
            apis.createRoute(r -> r.apiId(apiId).routeKey("GET /{proxy+}").target("integrations/" + integrationId));
            String deploymentId = apis.createDeployment(r -> r.apiId(apiId)).deploymentId();
            apis.createStage(r -> r.apiId(apiId).stageName("prod").deploymentId(deploymentId));
            assertThat(get(stratus, apiId, "/prod/a/b").body()).isEqualTo("saw /a/b");

            stratus.restart();

            assertThat(apis.getApi(r -> r.apiId(apiId)).tags()).containsEntry("keep", "me");
            assertThat(apis.getRoutes(r -> r.apiId(apiId)).items()).singleElement().satisfies(route -> assertThat(route.routeKey()).isEqualTo("GET /{proxy+}"));
            assertThat(apis.getStage(r -> r.apiId(apiId).stageName("prod")).deploymentId()).isEqualTo(deploymentId);
            assertThat(get(stratus, apiId, "/prod/a/b").body()).isEqualTo("saw /a/b");

            apis.deleteApi(r -> r.apiId(apiId));
            stratus.restart();
            assertThat(get(stratus, apiId, "/prod/a/b").statusCode()).isEqualTo(404);
            assertThat(apis.getApis(r -> r.maxResults("500")).items()).noneMatch(api -> api.apiId().equals(apiId));
        } finally {
            backend.stop(0);
        }
    }
}
