package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.e2e.RawHttp;
import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** HTTP APIs in front of real node and python functions: payload formats 2.0 and 1.0, responses, errors, stages. */
@StratusTest
class HttpApiLambdaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Answers by the last path segment: an inferred response, a string, a failure, a malformed response, or the event itself. */
    private static final String NODE_ROUTER = """
            exports.handler = async (event) => {
              const path = event.rawPath || event.path;
              if (path.endsWith('/infer')) return { hello: 'world', n: 1 };
              if (path.endsWith('/text')) return 'plain words';
              if (path.endsWith('/fail')) throw new Error('boom');
              if (path.endsWith('/malformed')) return { statusCode: 'abc' };
              if (path.endsWith('/slow')) { await new Promise(r => setTimeout(r, 3000)); return 'late'; }
              if (path.endsWith('/binary')) return { statusCode: 201, isBase64Encoded: true,
                  headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('bin').toString('base64') };
              return { statusCode: 202, headers: { 'x-fn': 'yes', 'content-type': 'application/json' },
                  multiValueHeaders: { 'x-multi': ['a', 'b'] }, cookies: ['c1=v1', 'c2=v2; Path=/'], body: JSON.stringify(event) };
            };
            """;

    private static final String PYTHON_ECHO = """
            import json

            def handler(event, context):
                return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}
            """;

    private static String function(LambdaClient lambda, String name, Runtime runtime, String handler, Map<String, String> files) {
        String arn = lambda.createFunction(FunctionZips.request(name, runtime, handler, files).timeout(10).build()).functionArn();
        FunctionStates.awaitActive(lambda, name);
        return arn;
    }

    static HttpResponse<String> call(Stratus stratus, String method, String apiId, String pathAndQuery, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/_aws/execute-api/" + apiId + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(Stratus stratus, String apiId, String pathAndQuery) throws Exception {
        return call(stratus, "GET", apiId, pathAndQuery, Map.of(), null);
    }

    @Test
    void payloadFormat2EventAndStructuredResponse(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = function(lambda, "router-v2", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("v2").protocolType(ProtocolType.HTTP).target(arn)).apiId();

        HttpResponse<String> response = call(stratus, "POST", apiId, "/items/7?x=1&x=2&y=a%20b",
                Map.of("Cookie", "k1=v1; k2=v2", "X-Custom", "one", "Content-Type", "application/json", "User-Agent", "stratus-test",
                        "X-Forwarded-For", "203.0.113.9"),
                "{\"hello\":true}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("x-fn")).hasValue("yes");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("c1=v1", "c2=v2; Path=/");
        assertThat(response.headers().firstValue("apigw-requestid")).hasValueSatisfying(id -> assertThat(id).hasSize(16).endsWith("="));
        JsonNode event = JSON.readTree(response.body());
        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("$default");
        assertThat(event.get("rawPath").asText()).isEqualTo("/items/7");
        assertThat(event.get("rawQueryString").asText()).isEqualTo("x=1&x=2&y=a%20b");
        assertThat(event.get("cookies")).extracting(JsonNode::asText).containsExactly("k1=v1", "k2=v2");
        assertThat(event.get("headers").get("x-custom").asText()).isEqualTo("one");
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.get("headers").get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(event.get("headers").get("x-forwarded-port").asText()).isEqualTo(Integer.toString(stratus.port()));
        assertThat(event.get("queryStringParameters").get("x").asText()).isEqualTo("1,2");
        assertThat(event.get("queryStringParameters").get("y").asText()).isEqualTo("a b");
        assertThat(event.get("body").asText()).isEqualTo("{\"hello\":true}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.has("pathParameters")).isFalse();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(context.get("apiId").asText()).isEqualTo(apiId);
        assertThat(context.get("domainName").asText()).isEqualTo(apiId + ".execute-api.localhost");
        assertThat(context.get("domainPrefix").asText()).isEqualTo(apiId);
        assertThat(context.get("http").get("method").asText()).isEqualTo("POST");
        assertThat(context.get("http").get("path").asText()).isEqualTo("/items/7");
        assertThat(context.get("http").get("protocol").asText()).isEqualTo("HTTP/1.1");
        // The address the call came from, which API Gateway adds to the X-Forwarded-For a client sends (never trusting the latter).
        assertThat(context.get("http").get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get("headers").get("x-forwarded-for").asText()).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(context.get("http").get("userAgent").asText()).isEqualTo("stratus-test");
        assertThat(context.get("requestId").asText()).isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(context.get("routeKey").asText()).isEqualTo("$default");
        assertThat(context.get("stage").asText()).isEqualTo("$default");
        assertThat(context.get("time").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(context.get("timeEpoch").asLong()).isPositive();
    }

    @Test
    void format2InfersResponsesAndMapsFailuresTo500(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = function(lambda, "router-infer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("infer").protocolType(ProtocolType.HTTP).target(arn)).apiId();

        HttpResponse<String> inferred = get(stratus, apiId, "/infer");
        assertThat(inferred.statusCode()).isEqualTo(200);
        assertThat(inferred.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JSON.readTree(inferred.body())).isEqualTo(JSON.readTree("{\"hello\":\"world\",\"n\":1}"));

        HttpResponse<String> text = get(stratus, apiId, "/text");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).isEqualTo("plain words");

        HttpResponse<byte[]> binary = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/_aws/execute-api/" + apiId + "/binary")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(binary.statusCode()).isEqualTo(201);
        assertThat(new String(binary.body())).isEqualTo("bin");

        for (String path : new String[] {"/fail", "/malformed"}) {
            HttpResponse<String> failed = get(stratus, apiId, path);
            assertThat(failed.statusCode()).as(path).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        }
    }

    @Test
    void integrationTimeoutAnswers504(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = function(lambda, "router-slow", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("slow").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(arn)
                .payloadFormatVersion("2.0").timeoutInMillis(1000)).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /slow").target("integrations/" + integrationId));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        HttpResponse<String> response = get(stratus, apiId, "/slow");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void namedStageServesItsDeploymentWithPathParametersAndStageVariables(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus)
            throws Exception {
        String arn = function(lambda, "router-stage", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("staged").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(arn)
                .payloadFormatVersion("2.0")).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /items/{id}").target("integrations/" + integrationId));
        String deploymentId = apis.createDeployment(r -> r.apiId(apiId)).deploymentId();
        apis.createStage(r -> r.apiId(apiId).stageName("prod").deploymentId(deploymentId).stageVariables(Map.of("color", "blue")));
        // Added after the deployment: not served by prod until it is deployed again.
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /later").target("integrations/" + integrationId));

        HttpResponse<String> item = get(stratus, apiId, "/prod/items/42");
        assertThat(item.statusCode()).isEqualTo(202);
        JsonNode event = JSON.readTree(item.body());
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(event.get("rawPath").asText()).isEqualTo("/prod/items/42");
        assertThat(event.get("pathParameters").get("id").asText()).isEqualTo("42");
        assertThat(event.get("stageVariables").get("color").asText()).isEqualTo("blue");
        assertThat(event.get("requestContext").get("stage").asText()).isEqualTo("prod");

        HttpResponse<String> later = get(stratus, apiId, "/prod/later");
        assertThat(later.statusCode()).isEqualTo(404);
        assertThat(later.body()).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(get(stratus, apiId, "/nostage/items/1").statusCode()).isEqualTo(404);
        assertThat(call(stratus, "POST", apiId, "/prod/items/42", Map.of(), "x").statusCode()).as("only GET is routed").isEqualTo(404);

        apis.createDeployment(r -> r.apiId(apiId).stageName("prod"));
        assertThat(get(stratus, apiId, "/prod/later").statusCode()).isEqualTo(202);

        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /").target("integrations/" + integrationId));
        apis.createDeployment(r -> r.apiId(apiId).stageName("prod"));
        assertThat(JSON.readTree(get(stratus, apiId, "/prod").body()).get("routeKey").asText()).isEqualTo("GET /");
        assertThat(JSON.readTree(get(stratus, apiId, "/prod/").body()).get("routeKey").asText()).isEqualTo("GET /");
    }

    @Test
    void aStageVariableNamesTheFunction(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        function(lambda, "router-blue", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("variable").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri("arn:aws:lambda:us-east-1:000000000000:function:${stageVariables.fn}").payloadFormatVersion("2.0")).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /text").target("integrations/" + integrationId));
        apis.createStage(r -> r.apiId(apiId).stageName("blue").autoDeploy(true).stageVariables(Map.of("fn", "router-blue")));
        apis.createStage(r -> r.apiId(apiId).stageName("green").autoDeploy(true).stageVariables(Map.of("fn", "router-green")));

        HttpResponse<String> blue = get(stratus, apiId, "/blue/text");
        assertThat(blue.statusCode()).isEqualTo(200);
        assertThat(blue.body()).isEqualTo("plain words");
        assertThat(get(stratus, apiId, "/green/text").statusCode()).as("no such function").isEqualTo(500);
    }

    @Test
    void payloadFormat1EventAndResponse(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = function(lambda, "router-v1", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("v1").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + arn + "/invocations")
                .payloadFormatVersion("1.0")).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("ANY /things/{proxy+}").target("integrations/" + integrationId));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        HttpResponse<String> response = call(stratus, "PUT", apiId, "/things/a/b?q=1&q=2", Map.of("X-Many", "v"), "raw body");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        JsonNode event = JSON.readTree(response.body());
        assertThat(event.get("version").asText()).isEqualTo("1.0");
        assertThat(event.get("resource").asText()).isEqualTo("/things/{proxy+}");
        assertThat(event.get("path").asText()).isEqualTo("/things/a/b");
        assertThat(event.get("httpMethod").asText()).isEqualTo("PUT");
        assertThat(event.get("headers").get("x-many").asText()).isEqualTo("v");
        assertThat(event.get("multiValueHeaders").get("x-many")).extracting(JsonNode::asText).containsExactly("v");
        assertThat(event.get("queryStringParameters").get("q").asText()).as("HTTP APIs join repeated values").isEqualTo("1,2");
        assertThat(event.get("multiValueQueryStringParameters").get("q")).extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(event.get("pathParameters").get("proxy").asText()).isEqualTo("a/b");
        assertThat(event.get("requestContext").get("stage").asText()).isEqualTo("$default");
        assertThat(event.get("requestContext").get("httpMethod").asText()).isEqualTo("PUT");
        // No content type: API Gateway cannot tell the body is text, so it arrives base64-encoded.
        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(new String(java.util.Base64.getDecoder().decode(event.get("body").asText()))).isEqualTo("raw body");
    }

    @Test
    void pythonFunctionBehindTheHostFormOfTheUrl(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = function(lambda, "py-api", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_ECHO));
        String apiId = apis.createApi(r -> r.name("py").protocolType(ProtocolType.HTTP).target(arn).routeKey("GET /py/{name}")).apiId();

        String response;
        try (RawHttp http = new RawHttp(stratus.port())) {
            response = http.send("GET /py/ada?lang=en HTTP/1.1\r\nHost: " + apiId + ".execute-api.localhost:" + stratus.port() + "\r\n\r\n").readResponse();
        }

        assertThat(response).startsWith("HTTP/1.1 200");
        JsonNode event = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /py/{name}");
        assertThat(event.get("pathParameters").get("name").asText()).isEqualTo("ada");
        assertThat(event.get("requestContext").get("domainName").asText()).isEqualTo(apiId + ".execute-api.localhost");
        assertThat(get(stratus, apiId, "/other").statusCode()).isEqualTo(404);
    }

    @Test
    void deletedFunctionAnswers500AndDeletedApiIsGone(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = function(lambda, "router-gone", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ROUTER));
        String apiId = apis.createApi(r -> r.name("gone").protocolType(ProtocolType.HTTP).target(arn)).apiId();
        assertThat(get(stratus, apiId, "/text").statusCode()).isEqualTo(200);

        lambda.deleteFunction(r -> r.functionName("router-gone"));
        assertThat(get(stratus, apiId, "/text").statusCode()).isEqualTo(500);

        apis.deleteApi(r -> r.apiId(apiId));
        HttpResponse<String> gone = get(stratus, apiId, "/text");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }
}
