package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.RestApiControlPlaneIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GatewayResponseType;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;
import software.amazon.awssdk.services.apigateway.model.ThrottleSettings;

/** Usage plan throttling and quotas on methods that require an API key; quota counts survive a restart. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class RestApiUsagePlansIT {

    private static HttpResponse<String> get(RestApiFixture api, String path, String apiKey) throws Exception {
        return RestApiFixture.HTTP.send(HttpRequest.newBuilder(api.url(path)).header("x-api-key", apiKey).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An API with GET /paid and GET /other, both requiring a key, deployed to prod. */
    private static RestApiFixture paidApi(ApiGatewayClient apigw, Stratus stratus, String name) {
        RestApiFixture api = new RestApiFixture(apigw, stratus, name);
        for (String path : List.of("/paid", "/other")) {
            String resource = api.resource(path);
            apigw.putMethod(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").authorizationType("NONE").apiKeyRequired(true));
            apigw.putIntegration(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").type(IntegrationType.MOCK)
                    .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
            api.response("GET", path, "200", null, Map.of("application/json", "{\"ok\": true}"), Map.of());
        }
        api.deploy("prod");
        return api;
    }

    private static String key(ApiGatewayClient apigw, String planId, String name) {
        var key = apigw.createApiKey(r -> r.name(name).enabled(true));
        apigw.createUsagePlanKey(r -> r.usagePlanId(planId).keyId(key.id()).keyType("API_KEY"));
        return key.value();
    }

    @Test
    void throttlingLetsABurstThroughThenAnswersTooManyRequests(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = paidApi(apigw, stratus, "throttled");
        var plan = apigw.createUsagePlan(r -> r.name("slow").throttle(t -> t.burstLimit(2).rateLimit(0.01))
                .apiStages(s -> s.apiId(api.id).stage("prod").throttle(Map.of("/other/GET", ThrottleSettings.builder().burstLimit(1).rateLimit(0.01).build()))));
        assertThat(plan.throttle().burstLimit()).isEqualTo(2);
        assertThat(plan.apiStages().getFirst().throttle()).containsKey("/other/GET");
        String key = key(apigw, plan.id(), "throttled-key");
        String otherKey = key(apigw, plan.id(), "throttled-key-2");

        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(200);
        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = get(api, "/prod/paid", key);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(get(api, "/prod/paid", otherKey).statusCode()).as("each key has its own bucket").isEqualTo(200);
        assertThat(get(api, "/prod/other", key).statusCode()).as("the method's own limits").isEqualTo(200);
        assertThat(get(api, "/prod/other", key).statusCode()).isEqualTo(429);

        stratus.clock().advance(Duration.ofMinutes(2));
        assertThat(get(api, "/prod/paid", key).statusCode()).as("the bucket refilled").isEqualTo(200);

        apigw.putGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.THROTTLED)
                .responseTemplates(Map.of("application/json", "{\"slow\": \"$context.error.responseType\"}")));
        api.deploy("prod");
        get(api, "/prod/paid", key);
        assertThat(get(api, "/prod/paid", key).body()).isEqualTo("{\"slow\": \"THROTTLED\"}");

        var updated = apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(
                p -> p.op(Op.REPLACE).path("/throttle/burstLimit").value("100"),
                p -> p.op(Op.REPLACE).path("/throttle/rateLimit").value("100"),
                p -> p.op(Op.REMOVE).path("/apiStages/" + api.id + ":prod/throttle/~1other/GET")));
        assertThat(updated.throttle().burstLimit()).isEqualTo(100);
        assertThat(updated.apiStages().getFirst().throttle()).isNullOrEmpty();
        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(200);
        assertThat(get(api, "/prod/other", key).statusCode()).isEqualTo(200);
    }

    @Test
    void aQuotaAnswersLimitExceededUntilTheNextPeriodAndSurvivesARestart(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = paidApi(apigw, stratus, "quota");
        var plan = apigw.createUsagePlan(r -> r.name("daily").quota(q -> q.limit(3).period(QuotaPeriodType.DAY))
                .apiStages(s -> s.apiId(api.id).stage("prod")));
        assertThat(plan.quota().limit()).isEqualTo(3);
        assertThat(plan.quota().periodAsString()).isEqualTo("DAY");
        String key = key(apigw, plan.id(), "quota-key");
        String keyId = apigw.getApiKeys(r -> r.nameQuery("quota-key")).items().getFirst().id();

        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(200);
        assertThat(get(api, "/prod/other", key).statusCode()).isEqualTo(200);
        stratus.restart();
        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(200);
        HttpResponse<String> exceeded = get(api, "/prod/paid", key);
        assertThat(exceeded.statusCode()).isEqualTo(429);
        assertThat(exceeded.body()).isEqualTo("{\"message\":\"Limit Exceeded\"}");

        String today = LocalDate.ofInstant(stratus.clock().instant(), ZoneOffset.UTC).toString();
        var usage = apigw.getUsage(r -> r.usagePlanId(plan.id()).startDate(today).endDate(today));
        assertThat(usage.items()).containsEntry(keyId, List.of(List.of(3L, 0L)));
        var extended = apigw.updateUsage(r -> r.usagePlanId(plan.id()).keyId(keyId).patchOperations(p -> p.op(Op.REPLACE).path("/remaining").value("1")));
        assertThat(extended.items().get(keyId).getLast()).containsExactly(3L, 1L);
        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(200);
        assertThat(get(api, "/prod/paid", key).statusCode()).isEqualTo(429);

        stratus.clock().advance(Duration.ofDays(1));
        assertThat(get(api, "/prod/paid", key).statusCode()).as("a new day, a new quota").isEqualTo(200);

        assertError(() -> apigw.getUsage(r -> r.usagePlanId(plan.id()).startDate("yesterday").endDate(today)), 400, "BadRequestException",
                "Invalid start date specified");
        assertError(() -> apigw.getUsage(r -> r.usagePlanId(plan.id()).startDate(today).endDate("2020-01-01")), 400, "BadRequestException",
                "end date");
        assertError(() -> apigw.getUsage(r -> r.usagePlanId("nosuch").startDate(today).endDate(today)), 404, "NotFoundException",
                "Invalid Usage Plan ID specified");
        assertError(() -> apigw.updateUsage(r -> r.usagePlanId(plan.id()).keyId("nosuchkey").patchOperations(p -> p.op(Op.REPLACE).path("/remaining").value("1"))),
                404, "NotFoundException", "Invalid Usage Plan Key identifier specified");
    }

    @Test
    void limitsAreCheckedAndPatched(ApiGatewayClient apigw, Stratus stratus) {
        RestApiFixture api = paidApi(apigw, stratus, "limits");
        assertError(() -> apigw.createUsagePlan(r -> r.name("p").quota(q -> q.limit(0).period(QuotaPeriodType.DAY))), 400, "BadRequestException",
                "Invalid quota limit specified");
        assertError(() -> apigw.createUsagePlan(r -> r.name("p").quota(q -> q.limit(10))), 400, "BadRequestException", "Invalid quota period specified");
        assertError(() -> apigw.createUsagePlan(r -> r.name("p").quota(q -> q.limit(10).period(QuotaPeriodType.DAY).offset(1))), 400,
                "BadRequestException", "Invalid quota offset specified");
        assertError(() -> apigw.createUsagePlan(r -> r.name("p").throttle(t -> t.burstLimit(-1))), 400, "BadRequestException",
                "Invalid throttle burst limit specified");
        assertError(() -> apigw.createUsagePlan(r -> r.name("p").apiStages(s -> s.apiId(api.id).stage("prod")
                .throttle(Map.of("pets", ThrottleSettings.builder().rateLimit(1.0).build())))), 400, "BadRequestException",
                "Invalid method throttle path specified");

        var plan = apigw.createUsagePlan(r -> r.name("patched").apiStages(s -> s.apiId(api.id).stage("prod")));
        var patched = apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(
                p -> p.op(Op.REPLACE).path("/quota/limit").value("500"),
                p -> p.op(Op.REPLACE).path("/quota/period").value("MONTH"),
                p -> p.op(Op.REPLACE).path("/quota/offset").value("2"),
                p -> p.op(Op.REPLACE).path("/throttle/rateLimit").value("5.5"),
                p -> p.op(Op.REPLACE).path("/apiStages/" + api.id + ":prod/throttle/~1paid/GET/burstLimit").value("3")));
        assertThat(patched.quota().limit()).isEqualTo(500);
        assertThat(patched.quota().offset()).isEqualTo(2);
        assertThat(patched.throttle().rateLimit()).isEqualTo(5.5);
        assertThat(patched.apiStages().getFirst().throttle().get("/paid/GET").burstLimit()).isEqualTo(3);
        assertThat(apigw.getUsagePlan(r -> r.usagePlanId(plan.id())).quota().periodAsString()).isEqualTo("MONTH");
        var removed = apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(p -> p.op(Op.REMOVE).path("/quota")));
        assertThat(removed.quota()).isNull();
        assertError(() -> apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(p -> p.op(Op.REPLACE).path("/quota/period").value("YEAR"))),
                400, "BadRequestException", "Invalid quota");
        assertError(() -> apigw.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(p -> p.op(Op.REPLACE).path("/throttle/nope").value("1"))),
                400, "BadRequestException", "Invalid patch path");
    }

    @Test
    void stageMethodSettingsThrottleEveryCallToTheStage(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "stage-throttled");
        for (String path : List.of("/open", "/busy")) {
            api.method("GET", path, i -> i.type(IntegrationType.MOCK).requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
            api.response("GET", path, "200", null, Map.of("application/json", "{}"), Map.of());
        }
        api.deploy("prod");
        var stage = apigw.updateStage(r -> r.restApiId(api.id).stageName("prod").patchOperations(
                p -> p.op(Op.REPLACE).path("/*/*/throttling/burstLimit").value("3"),
                p -> p.op(Op.REPLACE).path("/*/*/throttling/rateLimit").value("0.01"),
                p -> p.op(Op.REPLACE).path("/~1busy/GET/throttling/burstLimit").value("1"),
                p -> p.op(Op.REPLACE).path("/~1busy/GET/throttling/rateLimit").value("0.01")));
        assertThat(stage.methodSettings().get("*/*").throttlingBurstLimit()).isEqualTo(3);
        assertThat(stage.methodSettings().get("~1busy/GET").throttlingRateLimit()).isEqualTo(0.01);

        assertThat(api.get("/prod/busy").statusCode()).isEqualTo(200);
        HttpResponse<String> busy = api.get("/prod/busy");
        assertThat(busy.statusCode()).as("the method's own setting").isEqualTo(429);
        assertThat(busy.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/prod/open").statusCode()).isEqualTo(200);
        }
        assertThat(api.get("/prod/open").statusCode()).as("*/* for the rest of the stage").isEqualTo(429);
        stratus.clock().advance(Duration.ofMinutes(5));
        assertThat(api.get("/prod/open").statusCode()).isEqualTo(200);

        apigw.updateStage(r -> r.restApiId(api.id).stageName("prod").patchOperations(
                p -> p.op(Op.REMOVE).path("/~1busy/GET/throttling/burstLimit"),
                p -> p.op(Op.REMOVE).path("/~1busy/GET/throttling/rateLimit")));
        assertThat(apigw.getStage(r -> r.restApiId(api.id).stageName("prod")).methodSettings()).containsOnlyKeys("*/*");
        assertError(() -> apigw.updateStage(r -> r.restApiId(api.id).stageName("prod").patchOperations(
                p -> p.op(Op.REPLACE).path("/*/*/throttling/rateLimit").value("-1"))), 400, "BadRequestException", "throttlingRateLimit");
        assertError(() -> apigw.updateStage(r -> r.restApiId(api.id).stageName("prod").patchOperations(
                p -> p.op(Op.REPLACE).path("/*/*/metrics/enabled").value("true"))), 501, "NotImplemented", "not supported by Stratus yet");
    }
}
