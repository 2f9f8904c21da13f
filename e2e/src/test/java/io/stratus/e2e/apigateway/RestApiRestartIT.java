package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

/** REST APIs, their deployments and stages survive a restart of a durable server, and so does their invoke URL. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class RestApiRestartIT {

    @Test
    void aDeployedStageServesAfterRestart(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "durable");
        api.method("GET", "/ping", i -> i.type(IntegrationType.MOCK).requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.response("GET", "/ping", "200", null, Map.of("application/json", "{\"pong\": \"$context.stage\"}"), Map.of());
        String deployment = api.deploy("prod");
        assertThat(api.get("/prod/ping").body()).isEqualTo("{\"pong\": \"prod\"}");

        stratus.restart();

        assertThat(api.get("/prod/ping").body()).isEqualTo("{\"pong\": \"prod\"}");
        assertThat(apigw.getRestApi(r -> r.restApiId(api.id)).name()).isEqualTo("durable");
        assertThat(apigw.getStage(r -> r.restApiId(api.id).stageName("prod")).deploymentId()).isEqualTo(deployment);
        assertThat(apigw.getResources(r -> r.restApiId(api.id)).items()).extracting(r -> r.path()).containsExactlyInAnyOrder("/", "/ping");
    }
}
