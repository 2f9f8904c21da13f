package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;

/** Invoke URLs of REST APIs with MOCK integrations: routing, stages, mapping templates, and what API Gateway answers itself. */
@StratusTest
class RestApiMockIT {

    private static final Map<String, String> STATUS_200 = Map.of("application/json", "{\"statusCode\": 200}");

    @Test
    void mockRendersTheResponseTemplateWithParamsContextAndStageVariables(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "mock");
        api.method("GET", "/items/{id}", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("GET", "/items/{id}", "200", null, Map.of("application/json", """
                {"id": "$input.params('id')", "q": "$input.params('q')", "all": "$input.params().querystring.q",
                 "stage": "$context.stage", "resource": "$context.resourcePath", "method": "$context.httpMethod",
                 "color": "$stageVariables.color", "missing": "$input.params('nothing')$stageVariables.none"}"""),
                Map.of("method.response.header.X-Kind", "'mocked'"));
        api.deploy("prod");
        apigw.updateStage(r -> r.restApiId(api.id).stageName("prod").patchOperations(p -> p.op(Op.REPLACE).path("/variables/color").value("red")));

        HttpResponse<String> response = api.get("/prod/items/42?q=hello");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-Kind")).hasValue("mocked");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.body()).isEqualToIgnoringWhitespace("""
                {"id": "42", "q": "hello", "all": "hello", "stage": "prod", "resource": "/items/{id}", "method": "GET",
                 "color": "red", "missing": ""}""");
    }

    @Test
    void theRequestTemplatesStatusCodeSelectsTheIntegrationResponse(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "select");
        api.method("POST", "/orders", i -> i.type(IntegrationType.MOCK).requestTemplates(Map.of("application/json",
                "#if($input.path('$.quantity') > 0){\"statusCode\": 201}#else{\"statusCode\": 400}#end")));
        api.response("POST", "/orders", "201", null, Map.of("application/json", "{\"created\": true}"), Map.of());
        api.response("POST", "/orders", "400", "4\\d\\d", Map.of("application/json", "{\"message\": \"quantity must be positive\"}"), Map.of());
        api.deploy("v1");

        HttpResponse<String> created = api.send("POST", "/v1/orders", "application/json", "{\"quantity\": 3}");
        HttpResponse<String> refused = api.send("POST", "/v1/orders", "application/json", "{\"quantity\": 0}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"created\": true}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo("{\"message\": \"quantity must be positive\"}");
    }

    @Test
    void literalsWinOverParametersAndProxiesAndAnyIsTheFallbackMethod(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "routing");
        for (String path : new String[] {"/pets/mine", "/pets/{petId}", "/{proxy+}"}) {
            api.method("GET", path, i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
            api.response("GET", path, "200", null, Map.of("application/json", "{\"resource\": \"$context.resourcePath\", \"path\": \"$context.path\"}"),
                    Map.of());
        }
        api.method("ANY", "/pets/mine", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("ANY", "/pets/mine", "200", null, Map.of("application/json", "{\"any\": \"$context.httpMethod\"}"), Map.of());
        api.deploy("prod");

        assertThat(api.get("/prod/pets/mine").body()).isEqualTo("{\"resource\": \"/pets/mine\", \"path\": \"/prod/pets/mine\"}");
        assertThat(api.get("/prod/pets/7").body()).isEqualTo("{\"resource\": \"/pets/{petId}\", \"path\": \"/prod/pets/7\"}");
        assertThat(api.get("/prod/pets/7/toys/1").body()).startsWith("{\"resource\": \"/{proxy+}\"");
        assertThat(api.get("/prod/other").body()).startsWith("{\"resource\": \"/{proxy+}\"");
        assertThat(api.send("DELETE", "/prod/pets/mine", null, null).body()).isEqualTo("{\"any\": \"DELETE\"}");

        HttpResponse<String> noMethod = api.send("POST", "/prod/pets/7", null, null);
        assertThat(noMethod.statusCode()).isEqualTo(403);
        assertThat(noMethod.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(noMethod.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        HttpResponse<String> root = api.get("/prod");
        assertThat(root.statusCode()).isEqualTo(403);
        assertThat(root.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        HttpResponse<String> noStage = api.get("/staging/pets/7");
        assertThat(noStage.statusCode()).isEqualTo(403);
        assertThat(noStage.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void aStageServesItsDeploymentUntilRedeployed(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "snapshot");
        api.method("GET", "/hello", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("GET", "/hello", "200", null, Map.of("application/json", "{\"version\": 1}"), Map.of());
        api.deploy("prod");

        api.response("GET", "/hello", "200", null, Map.of("application/json", "{\"version\": 2}"), Map.of());
        api.method("GET", "/later", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));

        assertThat(api.get("/prod/hello").body()).isEqualTo("{\"version\": 1}");
        assertThat(api.get("/prod/later").statusCode()).isEqualTo(403);

        api.deploy("prod");
        assertThat(api.get("/prod/hello").body()).isEqualTo("{\"version\": 2}");
        assertThat(api.get("/prod/later").statusCode()).isEqualTo(500);
    }

    @Test
    void passthroughBehaviorNeverRefusesAnUnmappedContentType(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "passthrough");
        api.method("POST", "/strict", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200).passthroughBehavior("NEVER"));
        api.response("POST", "/strict", "200", null, Map.of("application/json", "{\"ok\": true}"), Map.of());
        api.deploy("prod");

        HttpResponse<String> json = api.send("POST", "/prod/strict", "application/json", "{}");
        HttpResponse<String> xml = api.send("POST", "/prod/strict", "application/xml", "<a/>");

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(xml.body()).isEqualTo("{\"message\":\"Unsupported Media Type\"}");
    }

    @Test
    void theHostFormReachesTheSameStage(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "host");
        api.method("GET", "/ping", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("GET", "/ping", "200", null, Map.of("application/json", "{\"domain\": \"$context.domainName\"}"), Map.of());
        api.deploy("prod");

        String response;
        try (RawHttp http = new RawHttp(stratus.port())) {
            String host = api.id + ".execute-api.localhost:" + stratus.port();
            response = http.send("GET /prod/ping HTTP/1.1\r\nHost: " + host + "\r\n\r\n").readResponse();
        }

        assertThat(response).startsWith("HTTP/1.1 200").endsWith("{\"domain\": \"" + api.id + ".execute-api.localhost:" + stratus.port() + "\"}");
    }

    @Test
    void theAcceptHeaderChoosesTheResponseTemplate(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "accept");
        api.method("GET", "/doc", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("GET", "/doc", "200", null, Map.of("application/json", "{\"kind\": \"json\"}", "application/xml", "<kind>xml</kind>"), Map.of());
        api.deploy("prod");

        HttpResponse<String> xml = RestApiFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(api.url("/prod/doc"))
                .header("Accept", "text/html, application/xml;q=0.9").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> json = api.get("/prod/doc");

        assertThat(xml.body()).isEqualTo("<kind>xml</kind>");
        assertThat(xml.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(json.body()).isEqualTo("{\"kind\": \"json\"}");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void testInvokeMethodRunsTheUndeployedIntegration(ApiGatewayClient apigw, Stratus stratus) {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "test-invoke");
        api.method("GET", "/items/{id}", i -> i.type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("GET", "/items/{id}", "200", null, Map.of("application/json", "{\"id\": \"$input.params('id')\", \"q\": \"$input.params('q')\"}"),
                Map.of("method.response.header.X-Kind", "'tested'"));

        var result = apigw.testInvokeMethod(r -> r.restApiId(api.id).resourceId(api.resource("/items/{id}")).httpMethod("GET")
                .pathWithQueryString("/items/5?q=x"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("{\"id\": \"5\", \"q\": \"x\"}");
        assertThat(result.headers()).containsEntry("X-Kind", "tested");
        assertThat(result.log()).isNotBlank();
    }

    @Test
    void aRequestValidatorRefusesCallsWithoutRequiredParameters(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "validated");
        String validator = apigw.createRequestValidator(r -> r.restApiId(api.id).name("params").validateRequestParameters(true)).id();
        String resource = api.resource("/search");
        apigw.putMethod(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").authorizationType("NONE").requestValidatorId(validator)
                .requestParameters(Map.of("method.request.querystring.q", true, "method.request.header.X-Tenant", true,
                        "method.request.querystring.page", false)));
        apigw.putIntegration(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").type(IntegrationType.MOCK).requestTemplates(STATUS_200));
        api.response("GET", "/search", "200", null, Map.of("application/json", "{\"q\": \"$input.params('q')\"}"), Map.of());
        api.deploy("prod");
        assertThat(apigw.getMethod(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET")).requestValidatorId()).isEqualTo(validator);

        HttpResponse<String> missing = api.get("/prod/search");
        HttpResponse<String> ok = RestApiFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(api.url("/prod/search?q=cats"))
                .header("X-Tenant", "t1").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).startsWith("{\"message\":\"Missing required request parameters: [").contains("q").contains("X-Tenant");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"q\": \"cats\"}");
    }
}
