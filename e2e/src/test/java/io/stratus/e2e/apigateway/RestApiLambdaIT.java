package io.stratus.e2e.apigateway;

import io.stratus.e2e.lambda.FunctionStates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** REST APIs in front of real node and python functions: Lambda proxy (AWS_PROXY) and Lambda custom (AWS) integrations. */
@StratusTest
class RestApiLambdaIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String NODE_PROXY = """
            exports.handler = async (event) => {
              if (event.queryStringParameters && event.queryStringParameters.mode === 'malformed') {
                return { hello: 'world' };
              }
              if (event.queryStringParameters && event.queryStringParameters.mode === 'throw') {
                throw new Error('boom');
              }
              return {
                statusCode: 200,
                headers: { 'Content-Type': 'application/json', 'X-Fn': 'node' },
                multiValueHeaders: { 'X-Many': ['a', 'b'] },
                body: JSON.stringify(event),
              };
            };
            """;

    private static final String PYTHON_PROXY = """
            import json

            def handler(event, context):
                return {"statusCode": 201, "headers": {"Content-Type": "text/plain"},
                        "body": "created " + event["pathParameters"]["id"] + " via " + event["requestContext"]["stage"]}
            """;

    private static final String NODE_GREETER = """
            exports.handler = async (event) => {
              if (event.fail) {
                throw new Error('Bad input: ' + event.name);
              }
              return { greeting: 'Hello ' + event.name, tags: ['a', 'b'] };
            };
            """;

    private static String lambdaUri(String function) {
        return "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:" + function
                + "/invocations";
    }

    @Test
    void proxyIntegrationSendsTheVersionOneEventAndReturnsTheFunctionsResponse(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus)
            throws Exception {
        FunctionZips.create(lambda, "rest-proxy-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_PROXY));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "proxy");
        api.method("POST", "/items/{id}", i -> i.type(IntegrationType.AWS_PROXY).integrationHttpMethod("POST").uri(lambdaUri("rest-proxy-node")));
        String resourceId = api.resource("/items/{id}");
        api.deploy("prod");

        HttpResponse<String> response = api.send("POST", "/prod/items/42?q=x&q=y", "application/json", "{\"a\":1}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Fn")).hasValue("node");
        assertThat(response.headers().allValues("X-Many")).containsExactly("a", "b");
        JsonNode event = JSON.readTree(response.body());
        assertThat(event.get("resource").asText()).isEqualTo("/items/{id}");
        assertThat(event.get("path").asText()).isEqualTo("/items/42");
        assertThat(event.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(event.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(event.get("multiValueHeaders").get("Content-Type").get(0).asText()).isEqualTo("application/json");
        assertThat(event.get("queryStringParameters").get("q").asText()).isEqualTo("y");
        assertThat(event.get("multiValueQueryStringParameters").get("q")).hasSize(2);
        assertThat(event.get("pathParameters").get("id").asText()).isEqualTo("42");
        assertThat(event.get("stageVariables").isNull()).isTrue();
        assertThat(event.get("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("resourceId").asText()).isEqualTo(resourceId);
        assertThat(context.get("resourcePath").asText()).isEqualTo("/items/{id}");
        assertThat(context.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(context.get("path").asText()).isEqualTo("/prod/items/42");
        assertThat(context.get("stage").asText()).isEqualTo("prod");
        assertThat(context.get("apiId").asText()).isEqualTo(api.id);
        assertThat(context.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(context.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(context.get("requestId").asText()).isNotBlank();
        assertThat(context.get("requestTimeEpoch").asLong()).isPositive();
        assertThat(context.get("identity").get("sourceIp").asText()).isNotBlank();

        // What a client writes in X-Forwarded-For is passed on with its address added, never taken as its sourceIp.
        JsonNode forwarded = JSON.readTree(api.send("POST", "/prod/items/42", "application/json", "{}", "X-Forwarded-For", "203.0.113.9").body());
        assertThat(forwarded.get("requestContext").get("identity").get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(forwarded.get("headers").get("X-Forwarded-For").asText()).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(forwarded.get("headers").get("X-Forwarded-Proto").asText()).isEqualTo("http");

        HttpResponse<String> malformed = api.send("POST", "/prod/items/1?mode=malformed", "application/json", "{}");
        assertThat(malformed.statusCode()).isEqualTo(502);
        assertThat(malformed.body()).isEqualTo("{\"message\":\"Internal server error\"}");
        HttpResponse<String> thrown = api.send("POST", "/prod/items/1?mode=throw", "application/json", "{}");
        assertThat(thrown.statusCode()).isEqualTo(502);
        assertThat(thrown.body()).isEqualTo("{\"message\":\"Internal server error\"}");
    }

    @Test
    void pythonProxyFunctionBehindAGreedyProxyResource(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "rest-proxy-python", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_PROXY));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "python");
        api.method("ANY", "/{id+}", i -> i.type(IntegrationType.AWS_PROXY).integrationHttpMethod("POST").uri(lambdaUri("rest-proxy-python")));
        api.deploy("dev");

        HttpResponse<String> response = api.send("PUT", "/dev/a/b/c", null, null);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo("created a/b/c via dev");
    }

    @Test
    void aMissingFunctionIsAnInternalServerError(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "nofunction");
        api.method("GET", "/x", i -> i.type(IntegrationType.AWS_PROXY).integrationHttpMethod("POST").uri(lambdaUri("no-such-function")));
        api.deploy("prod");

        HttpResponse<String> response = api.get("/prod/x");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}");
    }

    @Test
    void customIntegrationMapsTheRequestAndSelectsResponsesByErrorMessage(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus)
            throws Exception {
        FunctionZips.create(lambda, "rest-greeter", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_GREETER));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "custom");
        api.method("GET", "/greet/{name}", i -> i.type(IntegrationType.AWS).integrationHttpMethod("POST").uri(lambdaUri("rest-greeter"))
                .requestTemplates(Map.of("application/json",
                        "{\"name\": \"$util.escapeJavaScript($input.params('name'))\", \"fail\": #if($input.params('fail') == 'yes')true#{else}false#end}")));
        api.response("GET", "/greet/{name}", "200", null,
                Map.of("application/json", "{\"message\": \"$input.path('$.greeting')\", \"tags\": $input.json('$.tags')}"), Map.of());
        api.response("GET", "/greet/{name}", "400", "Bad input.*",
                Map.of("application/json", "{\"error\": \"$input.path('$.errorMessage')\"}"), Map.of());
        api.deploy("prod");

        HttpResponse<String> ok = api.get("/prod/greet/Ada");
        HttpResponse<String> bad = api.get("/prod/greet/Bob?fail=yes");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"message\": \"Hello Ada\", \"tags\": [\"a\",\"b\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\": \"Bad input: Bob\"}");
    }

    private static final String NODE_SLOW_OR_BINARY = """
            exports.handler = async (event) => {
              if (event.path === '/slow') {
                await new Promise((resolve) => setTimeout(resolve, 1500));
              }
              return { statusCode: 200, body: JSON.stringify({ isBase64Encoded: event.isBase64Encoded, body: event.body }) };
            };
            """;

    @Test
    void anIntegrationTimeoutIs504AndBinaryMediaTypesArriveBase64Encoded(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus)
            throws Exception {
        lambda.createFunction(FunctionZips.request("rest-slow", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_SLOW_OR_BINARY))
                .timeout(10).build());
        FunctionStates.awaitUpdated(lambda, "rest-slow");
        RestApiFixture api = new RestApiFixture(apigw, stratus, "slow");
        apigw.updateRestApi(r -> r.restApiId(api.id).patchOperations(p -> p.op(software.amazon.awssdk.services.apigateway.model.Op.ADD)
                .path("/binaryMediaTypes/application~1octet-stream")));
        api.method("GET", "/slow", i -> i.type(IntegrationType.AWS_PROXY).integrationHttpMethod("POST").uri(lambdaUri("rest-slow"))
                .timeoutInMillis(500));
        api.method("POST", "/upload", i -> i.type(IntegrationType.AWS_PROXY).integrationHttpMethod("POST").uri(lambdaUri("rest-slow")));
        api.deploy("prod");

        HttpResponse<String> binary = api.send("POST", "/prod/upload", "application/octet-stream", "raw bytes");
        HttpResponse<String> text = api.send("POST", "/prod/upload", "text/plain", "plain");
        HttpResponse<String> slow = api.get("/prod/slow");

        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(slow.body()).isEqualTo("{\"message\":\"Endpoint request timed out\"}");
        assertThat(binary.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(binary.body()).get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(JSON.readTree(binary.body()).get("body").asText()).isEqualTo(java.util.Base64.getEncoder().encodeToString("raw bytes".getBytes()));
        assertThat(JSON.readTree(text.body()).get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(JSON.readTree(text.body()).get("body").asText()).isEqualTo("plain");
    }
}
