package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.RestApiControlPlaneIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;

/** API keys and usage plans guarding methods that require an API key. */
@StratusTest
class RestApiKeysIT {

    private static HttpResponse<String> get(RestApiFixture api, String path, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.url(path));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return RestApiFixture.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMethodRequiringAKeyServesOnlyEnabledKeysOfTheStagesUsagePlans(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "keys");
        String paid = api.resource("/paid");
        apigw.putMethod(r -> r.restApiId(api.id).resourceId(paid).httpMethod("GET").authorizationType("NONE").apiKeyRequired(true));
        apigw.putIntegration(r -> r.restApiId(api.id).resourceId(paid).httpMethod("GET").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.response("GET", "/paid", "200", null, Map.of("application/json", "{\"paid\": true}"), Map.of());
        api.method("GET", "/free", i -> i.type(IntegrationType.MOCK).requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.response("GET", "/free", "200", null, Map.of("application/json", "{\"free\": true}"), Map.of());
        api.deploy("prod");
        assertThat(apigw.getMethod(r -> r.restApiId(api.id).resourceId(paid).httpMethod("GET")).apiKeyRequired()).isTrue();

        var key = apigw.createApiKey(r -> r.name("customer-1").enabled(true).customerId("c1"));
        var other = apigw.createApiKey(r -> r.name("customer-2").enabled(true).value("a-key-of-my-own-choosing-123"));
        assertThat(key.value()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(other.value()).isEqualTo("a-key-of-my-own-choosing-123");
        var plan = apigw.createUsagePlan(r -> r.name("basic").apiStages(s -> s.apiId(api.id).stage("prod")));
        assertThat(plan.apiStages()).singleElement().satisfies(s -> assertThat(s.stage()).isEqualTo("prod"));
        var planKey = apigw.createUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY"));
        assertThat(planKey.value()).isEqualTo(key.value());

        HttpResponse<String> noKey = get(api, "/prod/paid", null);
        assertThat(noKey.statusCode()).isEqualTo(403);
        assertThat(noKey.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(get(api, "/prod/paid", key.value()).body()).isEqualTo("{\"paid\": true}");
        assertThat(get(api, "/prod/paid", other.value()).statusCode()).as("a key in no plan of the stage").isEqualTo(403);
        assertThat(get(api, "/prod/free", null).body()).isEqualTo("{\"free\": true}");

        apigw.updateApiKey(r -> r.apiKey(key.id()).patchOperations(p -> p.op(Op.REPLACE).path("/enabled").value("false")));
        assertThat(get(api, "/prod/paid", key.value()).statusCode()).as("a disabled key").isEqualTo(403);
        apigw.updateApiKey(r -> r.apiKey(key.id()).patchOperations(p -> p.op(Op.REPLACE).path("/enabled").value("true")));
        apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(p -> p.op(Op.REMOVE).path("/apiStages").value(api.id + ":prod")));
        assertThat(get(api, "/prod/paid", key.value()).statusCode()).as("the plan no longer covers the stage").isEqualTo(403);
        apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(p -> p.op(Op.ADD).path("/apiStages").value(api.id + ":prod")));
        assertThat(get(api, "/prod/paid", key.value()).statusCode()).isEqualTo(200);

        assertThat(apigw.getUsagePlanKeys(r -> r.usagePlanId(plan.id())).items()).extracting(k -> k.id()).containsExactly(key.id());
        assertThat(apigw.getUsagePlans(r -> r.keyId(key.id())).items()).extracting(p -> p.id()).containsExactly(plan.id());
        apigw.deleteUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id()));
        assertThat(get(api, "/prod/paid", key.value()).statusCode()).isEqualTo(403);
    }

    @Test
    void apiKeysAndUsagePlansControlPlane(ApiGatewayClient apigw, Stratus stratus) {
        var key = apigw.createApiKey(r -> r.name("listed").description("d").value("listed-key-value-0123456789"));
        assertThat(key.enabled()).as("keys are disabled unless asked").isFalse();
        assertThat(apigw.getApiKey(r -> r.apiKey(key.id())).value()).isNull();
        assertThat(apigw.getApiKey(r -> r.apiKey(key.id()).includeValue(true)).value()).isEqualTo("listed-key-value-0123456789");
        assertThat(apigw.getApiKeys(r -> r.nameQuery("list").includeValues(true)).items()).extracting(k -> k.value())
                .containsExactly("listed-key-value-0123456789");
        var renamed = apigw.updateApiKey(r -> r.apiKey(key.id()).patchOperations(p -> p.op(Op.REPLACE).path("/name").value("renamed")));
        assertThat(renamed.name()).isEqualTo("renamed");

        assertError(() -> apigw.createApiKey(r -> r.name("dup").value("listed-key-value-0123456789")), 409, "ConflictException", "API Key already exists");
        assertError(() -> apigw.createApiKey(r -> r.name("short").value("short")), 400, "BadRequestException", "at least 20 characters");
        assertError(() -> apigw.getApiKey(r -> r.apiKey("nosuchkey1")), 404, "NotFoundException", "Invalid API Key identifier specified");
        assertError(() -> apigw.getUsagePlan(r -> r.usagePlanId("nosuch")), 404, "NotFoundException", "Invalid Usage Plan ID specified");
        assertError(() -> apigw.createUsagePlan(r -> r.name("p").apiStages(s -> s.apiId("nosuchapi1").stage("prod"))), 404, "NotFoundException",
                "Invalid API identifier specified");

        var plan = apigw.createUsagePlan(r -> r.name("empty"));
        apigw.createUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY"));
        assertError(() -> apigw.createUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY")), 409, "ConflictException",
                "already has API Key");
        apigw.deleteApiKey(r -> r.apiKey(key.id()));
        assertThat(apigw.getUsagePlanKeys(r -> r.usagePlanId(plan.id())).items()).isEmpty();
        apigw.deleteUsagePlan(r -> r.usagePlanId(plan.id()));
        assertError(() -> apigw.deleteUsagePlan(r -> r.usagePlanId(plan.id())), 404, "NotFoundException", "Invalid Usage Plan ID specified");
    }
}
