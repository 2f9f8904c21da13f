package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Cors;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvokeMode;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Function URLs: the control plane (Create, Get, Update, Delete, ListFunctionUrlConfigs and their
 * errors) and calls through both URL forms to real Node.js and Python functions: the payload
 * format 2.0 event, response mapping, CORS, AWS_IAM, aliases, errors.
 */
@StratusTest
class FunctionUrlIT {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Answers with the event it got, as a structured response with a header and a cookie. */
    static final String NODE_MIRROR = """
            exports.handler = async (event, context) => ({
              statusCode: 201,
              headers: { 'content-type': 'application/json', 'x-custom': 'yes', 'x-function-request-id': context.awsRequestId, 'access-control-allow-origin': 'https://evil.example' },
              cookies: ['a=1; Path=/', 'b=2'],
              body: JSON.stringify(event),
            });
            """;

    static String urlId(String functionUrl) {
        String host = URI.create(functionUrl).getHost();
        return host.substring(0, host.indexOf('.'));
    }

    static HttpResponse<String> call(Stratus stratus, String urlId, String method, String pathAndQuery, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/_aws/lambda-url/" + urlId + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a URL; a NONE URL also gets the public policy AWS requires before it answers anyone. */
    static String create(LambdaClient lambda, String function, FunctionUrlAuthType authType) {
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(function).authType(authType)).functionUrl();
        if (authType == FunctionUrlAuthType.NONE) {
            allowPublic(lambda, function, null);
        }
        return url;
    }

    /**
     * Adds the two statements the console adds for a NONE URL (this SDK cannot send
     * {@code InvokedViaFunctionUrl}, so the second is a plain {@code lambda:InvokeFunction} for
     * everyone); statements already there are kept.
     */
    static void allowPublic(LambdaClient lambda, String function, String qualifier) {
        try {
            lambda.addPermission(r -> r.functionName(function).qualifier(qualifier).statementId("FunctionURLAllowPublicAccess")
                    .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
            lambda.addPermission(r -> r.functionName(function).qualifier(qualifier).statementId("FunctionURLAllowInvokeAction")
                    .action("lambda:InvokeFunction").principal("*"));
        } catch (ResourceConflictException e) {
            // added by an earlier URL of the same function
        }
    }

    @Test
    void controlPlaneCreatesGetsUpdatesListsAndDeletes(LambdaClient lambda, Stratus stratus) {
        FunctionZips.create(lambda, "urled", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        var created = lambda.createFunctionUrlConfig(r -> r.functionName("urled").authType(FunctionUrlAuthType.NONE)
                .cors(c -> c.allowOrigins("https://app.example").maxAge(60)));
        assertThat(created.functionUrl()).matches("http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:" + stratus.port() + "/");
        assertThat(created.functionArn()).isEqualTo(ARN + "urled");
        assertThat(created.authType()).isEqualTo(FunctionUrlAuthType.NONE);
        assertThat(created.invokeMode()).isEqualTo(InvokeMode.BUFFERED);
        assertThat(created.cors().allowOrigins()).containsExactly("https://app.example");
        assertThat(created.cors().maxAge()).isEqualTo(60);
        assertThat(created.creationTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        var got = lambda.getFunctionUrlConfig(r -> r.functionName("urled"));
        assertThat(got.functionUrl()).isEqualTo(created.functionUrl());
        assertThat(got.lastModifiedTime()).isEqualTo(created.creationTime());
        assertThat(lambda.getFunctionUrlConfig(r -> r.functionName("urled").qualifier("$LATEST")).functionUrl()).isEqualTo(created.functionUrl());

        var updated = lambda.updateFunctionUrlConfig(r -> r.functionName("urled").authType(FunctionUrlAuthType.AWS_IAM));
        assertThat(updated.functionUrl()).isEqualTo(created.functionUrl());
        assertThat(updated.authType()).isEqualTo(FunctionUrlAuthType.AWS_IAM);
        assertThat(updated.cors().allowOrigins()).containsExactly("https://app.example");
        assertThat(updated.creationTime()).isEqualTo(created.creationTime());
        var corsChanged = lambda.updateFunctionUrlConfig(r -> r.functionName("urled").cors(Cors.builder().allowOrigins("*").build()));
        assertThat(corsChanged.cors().allowOrigins()).containsExactly("*");
        assertThat(corsChanged.authType()).isEqualTo(FunctionUrlAuthType.AWS_IAM);

        lambda.publishVersion(r -> r.functionName("urled"));
        lambda.createAlias(r -> r.functionName("urled").name("live").functionVersion("1"));
        String aliasUrl = lambda.createFunctionUrlConfig(r -> r.functionName("urled").qualifier("live").authType(FunctionUrlAuthType.NONE))
                .functionUrl();
        assertThat(aliasUrl).isNotEqualTo(created.functionUrl());
        var all = lambda.listFunctionUrlConfigs(r -> r.functionName("urled"));
        assertThat(all.functionUrlConfigs()).extracting(c -> c.functionArn()).containsExactly(ARN + "urled", ARN + "urled:live");
        assertThat(all.nextMarker()).isNull();
        var first = lambda.listFunctionUrlConfigs(r -> r.functionName("urled").maxItems(1));
        assertThat(first.functionUrlConfigs()).extracting(c -> c.functionUrl()).containsExactly(created.functionUrl());
        var second = lambda.listFunctionUrlConfigs(r -> r.functionName("urled").maxItems(1).marker(first.nextMarker()));
        assertThat(second.functionUrlConfigs()).extracting(c -> c.functionUrl()).containsExactly(aliasUrl);
        assertThat(second.nextMarker()).isNull();

        lambda.deleteFunctionUrlConfig(r -> r.functionName("urled"));
        assertError(() -> lambda.getFunctionUrlConfig(r -> r.functionName("urled")), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
        assertThat(lambda.listFunctionUrlConfigs(r -> r.functionName("urled")).functionUrlConfigs()).extracting(c -> c.functionUrl())
                .containsExactly(aliasUrl);
    }

    @Test
    void badInputsGetAwsErrors(LambdaClient lambda) {
        FunctionZips.create(lambda, "strict", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        lambda.publishVersion(r -> r.functionName("strict"));
        create(lambda, "strict", FunctionUrlAuthType.NONE);
        String pattern = "(^\\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))";

        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").authType(FunctionUrlAuthType.NONE)),
                "ResourceConflictException", 409, "Failed to create function url config for [functionArn = " + ARN
                        + "strict]. Error message:  FunctionUrlConfig exists for this Lambda function");
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("1").authType(FunctionUrlAuthType.NONE)),
                "ValidationException", 400, "1 validation error detected: Value '1' at 'qualifier' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: " + pattern);
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("nosuch").authType(FunctionUrlAuthType.NONE)),
                "ResourceNotFoundException", 404, "Function not found: " + ARN + "strict:nosuch");
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("missing").authType(FunctionUrlAuthType.NONE)),
                "ResourceNotFoundException", 404, "Function not found: " + ARN + "missing");
        lambda.createAlias(r -> r.functionName("strict").name("live").functionVersion("1"));
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("live")),
                "ValidationException", 400, "1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null");
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("live").authType("BOGUS")),
                "ValidationException", 400, "1 validation error detected: Value 'BOGUS' at 'authType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [AWS_IAM, NONE]");
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("live").authType(FunctionUrlAuthType.NONE)
                        .invokeMode("FAST")),
                "ValidationException", 400, "1 validation error detected: Value 'FAST' at 'invokeMode' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]");
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("live").authType(FunctionUrlAuthType.NONE)
                        .cors(c -> c.maxAge(86401))),
                "ValidationException", 400, "1 validation error detected: Value '86401' at 'cors.maxAge' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 86400");
        assertError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("strict").qualifier("live").authType(FunctionUrlAuthType.NONE)
                        .cors(c -> c.allowMethods("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"))),
                "ValidationException", 400, "1 validation error detected: Value '[GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS]' at "
                        + "'cors.allowMethods' failed to satisfy constraint: Member must have length less than or equal to 6");
        assertError(() -> lambda.getFunctionUrlConfig(r -> r.functionName("strict").qualifier("live")),
                "ResourceNotFoundException", 404, "The resource you requested does not exist.");
        assertError(() -> lambda.updateFunctionUrlConfig(r -> r.functionName("strict").qualifier("live").authType(FunctionUrlAuthType.NONE)),
                "ResourceNotFoundException", 404, "The resource you requested does not exist.");
        assertError(() -> lambda.deleteFunctionUrlConfig(r -> r.functionName("strict").qualifier("live")),
                "ResourceNotFoundException", 404, "The resource you requested does not exist.");
        assertError(() -> lambda.updateFunctionUrlConfig(r -> r.functionName("strict").authType("BOGUS")),
                "ValidationException", 400, "1 validation error detected: Value 'BOGUS' at 'authType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [AWS_IAM, NONE]");
        assertError(() -> lambda.listFunctionUrlConfigs(r -> r.functionName("strict").maxItems(0)),
                "ValidationException", 400, "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
        assertError(() -> lambda.listFunctionUrlConfigs(r -> r.functionName("strict").maxItems(51)),
                "ValidationException", 400, "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 50");
        assertError(() -> lambda.listFunctionUrlConfigs(r -> r.functionName("missing")),
                "ResourceNotFoundException", 404, "Function not found: " + ARN + "missing");
    }

    @Test
    void nodeFunctionGetsThePayloadFormat2EventAndItsResponseIsMapped(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "mirror", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        String url = create(lambda, "mirror", FunctionUrlAuthType.NONE);
        String id = urlId(url);

        HttpResponse<String> response = call(stratus, id, "POST", "/items/a%20b?x=1&x=2&y=z", "{\"hello\":\"world\"}",
                "Content-Type", "application/json", "Cookie", "c1=v1; c2=v2", "X-Multi", "one", "User-Agent", "tester/1.0");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-custom")).contains("yes");
        assertThat(response.headers().firstValue("x-function-request-id")).isEqualTo(response.headers().firstValue("x-amzn-RequestId"));
        assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode event = JSON.readTree(response.body());
        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("$default");
        assertThat(event.get("rawPath").asText()).isEqualTo("/items/a%20b");
        assertThat(event.get("rawQueryString").asText()).isEqualTo("x=1&x=2&y=z");
        assertThat(event.get("queryStringParameters").get("x").asText()).isEqualTo("1,2");
        assertThat(event.get("cookies")).extracting(JsonNode::asText).containsExactly("c1=v1", "c2=v2");
        assertThat(event.get("headers").get("x-multi").asText()).isEqualTo("one");
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.get("headers").get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(event.get("body").asText()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.has("pathParameters")).isFalse();
        assertThat(event.has("stageVariables")).isFalse();
        JsonNode context = event.get("requestContext");
        assertThat(context.get("accountId").asText()).isEqualTo("anonymous");
        assertThat(context.get("apiId").asText()).isEqualTo(id);
        assertThat(context.get("domainName").asText()).isEqualTo(id + ".lambda-url.us-east-1.on.aws");
        assertThat(context.get("domainPrefix").asText()).isEqualTo(id);
        assertThat(context.get("routeKey").asText()).isEqualTo("$default");
        assertThat(context.get("stage").asText()).isEqualTo("$default");
        assertThat(context.get("http").get("method").asText()).isEqualTo("POST");
        assertThat(context.get("http").get("path").asText()).isEqualTo("/items/a b");
        assertThat(context.get("http").get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(context.get("http").get("userAgent").asText()).isEqualTo("tester/1.0");
        assertThat(context.get("timeEpoch").asLong()).isPositive();
        assertThat(context.has("authorizer")).isFalse();
        assertThat(context.get("requestId").asText()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());

        HttpResponse<String> binary = call(stratus, id, "PUT", "/", "\u0001\u0002", "Content-Type", "application/octet-stream");
        JsonNode binaryEvent = JSON.readTree(binary.body());
        assertThat(binaryEvent.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(binaryEvent.get("body").asText()).isEqualTo("AQI=");
        assertThat(binaryEvent.get("rawQueryString").asText()).isEmpty();

        // The host form, as a browser or curl sends it; from another address of the machine, which the event names.
        String raw;
        try (RawHttp http = new RawHttp(stratus.port(), "127.0.0.2")) {
            raw = http.send("GET /by/host?q=1 HTTP/1.1\r\nHost: " + id + ".lambda-url.us-east-1.localhost:" + stratus.port() + "\r\n\r\n")
                    .readResponse();
        }
        assertThat(raw).startsWith("HTTP/1.1 201");
        JsonNode hostEvent = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
        assertThat(hostEvent.get("rawPath").asText()).isEqualTo("/by/host");
        assertThat(hostEvent.get("rawQueryString").asText()).isEqualTo("q=1");
        assertThat(hostEvent.get("headers").get("host").asText()).isEqualTo(id + ".lambda-url.us-east-1.localhost:" + stratus.port());
        assertThat(hostEvent.get("requestContext").get("http").get("sourceIp").asText()).isEqualTo("127.0.0.2");
        assertThat(hostEvent.get("headers").get("x-forwarded-for").asText()).isEqualTo("127.0.0.2");

        // What a client says it forwards is kept, followed by its own address, which alone is its sourceIp.
        try (RawHttp http = new RawHttp(stratus.port(), "127.0.0.2")) {
            raw = http.send("GET /by/host HTTP/1.1\r\nHost: " + id + ".lambda-url.us-east-1.localhost:" + stratus.port()
                    + "\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n").readResponse();
        }
        JsonNode forwardedEvent = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
        assertThat(forwardedEvent.get("requestContext").get("http").get("sourceIp").asText()).isEqualTo("127.0.0.2");
        assertThat(forwardedEvent.get("headers").get("x-forwarded-for").asText()).isEqualTo("203.0.113.9, 127.0.0.2");
        assertThat(forwardedEvent.get("headers").get("x-forwarded-proto").asText()).isEqualTo("http");

        // Over HTTPS (the path form, trusting Stratus's authority): the function is told so.
        try (HttpClient https = HttpClient.newBuilder().sslContext(stratus.sslContext()).build()) {
            HttpResponse<String> secure = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + stratus.port() + "/_aws/lambda-url/"
                    + id + "/secure")).header("X-Forwarded-Proto", "gopher").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(secure.statusCode()).isEqualTo(201);
            JsonNode secureEvent = JSON.readTree(secure.body());
            assertThat(secureEvent.get("rawPath").asText()).isEqualTo("/secure");
            assertThat(secureEvent.get("headers").get("x-forwarded-proto").asText()).isEqualTo("https");
        }
    }

    @Test
    void pythonAnswersAreMappedAsFunctionUrlsMapThem(LambdaClient lambda, Stratus stratus) throws Exception {
        String code = """
                import base64
                def handler(event, context):
                    mode = event["rawPath"]
                    if mode == "/bare":
                        return {"hello": "world"}
                    if mode == "/string":
                        return "just text"
                    if mode == "/binary":
                        return {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "isBase64Encoded": True,
                                "body": base64.b64encode(b"PNG!").decode()}
                    if mode == "/missing":
                        return {"statusCode": 404, "body": "nothing here", "headers": {"Content-Type": "text/plain"}}
                    if mode == "/bad":
                        return {"statusCode": "teapot"}
                    raise ValueError("boom")
                """;
        FunctionZips.create(lambda, "answers", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", code));
        String id = urlId(create(lambda, "answers", FunctionUrlAuthType.NONE));

        HttpResponse<String> bare = call(stratus, id, "GET", "/bare", null);
        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.headers().firstValue("content-type")).contains("application/json");
        assertThat(JSON.readTree(bare.body()).get("hello").asText()).isEqualTo("world");
        HttpResponse<String> string = call(stratus, id, "GET", "/string", null);
        assertThat(string.statusCode()).isEqualTo(200);
        assertThat(string.body()).as("the JSON string as it is, as in AWS's example").isEqualTo("\"just text\"");
        HttpResponse<byte[]> binary = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/_aws/lambda-url/" + id + "/binary"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(binary.statusCode()).isEqualTo(200);
        assertThat(binary.headers().firstValue("content-type")).contains("image/png");
        assertThat(new String(binary.body(), StandardCharsets.UTF_8)).isEqualTo("PNG!");
        HttpResponse<String> missing = call(stratus, id, "GET", "/missing", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("nothing here");
        HttpResponse<String> bad = call(stratus, id, "GET", "/bad", null);
        assertThat(bad.statusCode()).isEqualTo(502);
        assertThat(bad.body()).isEqualTo("Internal Server Error");
        HttpResponse<String> error = call(stratus, id, "GET", "/raise", null);
        assertThat(error.statusCode()).isEqualTo(502);
        assertThat(error.body()).isEqualTo("Internal Server Error");

        lambda.putFunctionConcurrency(r -> r.functionName("answers").reservedConcurrentExecutions(0));
        HttpResponse<String> throttled = call(stratus, id, "GET", "/bare", null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).isEqualTo("{\"Message\":\"Rate Exceeded.\"}");

        HttpResponse<String> unknown = call(stratus, "abcdefghijklmnopqrstuvwxyz012345", "GET", "/", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"Message\":\"Not Found\"}");
    }

    @Test
    void corsPreflightIsAnsweredAndResponsesCarryTheGrants(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "corsy", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        String id = urlId(lambda.createFunctionUrlConfig(r -> r.functionName("corsy").authType(FunctionUrlAuthType.NONE)
                .cors(c -> c.allowOrigins("https://app.example").allowMethods("GET", "POST").allowHeaders("x-token")
                        .exposeHeaders("x-custom").allowCredentials(true).maxAge(300))).functionUrl());
        allowPublic(lambda, "corsy", null);

        HttpResponse<String> preflight = call(stratus, id, "OPTIONS", "/items", null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-token");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).contains("GET,POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).contains("x-token");
        assertThat(preflight.headers().firstValue("access-control-allow-credentials")).contains("true");
        assertThat(preflight.headers().firstValue("access-control-max-age")).contains("300");
        assertThat(preflight.body()).isEmpty();

        HttpResponse<String> stranger = call(stratus, id, "OPTIONS", "/items", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");
        assertThat(stranger.statusCode()).isEqualTo(200);
        assertThat(stranger.headers().firstValue("access-control-allow-origin")).isEmpty();

        HttpResponse<String> actual = call(stratus, id, "GET", "/items", null, "Origin", "https://app.example");
        assertThat(actual.statusCode()).isEqualTo(201);
        // The URL's grants replace the function's own CORS headers.
        assertThat(actual.headers().allValues("access-control-allow-origin")).containsExactly("https://app.example");
        assertThat(actual.headers().firstValue("access-control-expose-headers")).contains("x-custom");
        assertThat(actual.headers().firstValue("access-control-allow-credentials")).contains("true");
        HttpResponse<String> foreign = call(stratus, id, "GET", "/items", null, "Origin", "https://evil.example");
        assertThat(foreign.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void awsIamUrlsRefuseUnsignedCalls(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "private", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        String id = urlId(create(lambda, "private", FunctionUrlAuthType.AWS_IAM));

        HttpResponse<String> unsigned = call(stratus, id, "GET", "/", null);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).isEqualTo(FunctionUrlAuthIT.FORBIDDEN);
        assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).contains("AccessDeniedException");
        // Without CORS settings a preflight is a call like any other, and must be signed.
        assertThat(call(stratus, id, "OPTIONS", "/", null, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
                .statusCode()).isEqualTo(403);
        lambda.updateFunctionUrlConfig(r -> r.functionName("private").cors(c -> c.allowOrigins("https://app.example")));
        HttpResponse<String> preflight = call(stratus, id, "OPTIONS", "/", null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
        assertThat(call(stratus, id, "GET", "/", null, "Origin", "https://app.example").statusCode()).isEqualTo(403);

        HttpResponse<String> signed = call(stratus, id, "GET", "/", null, "X-Amz-Date", "20260101T000000Z", "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                        + "0".repeat(64));
        assertThat(signed.statusCode()).isEqualTo(201);
        // Without --auth sigv4 a well-formed signature is taken at its word, as for the AWS APIs.
        JsonNode iam = JSON.readTree(signed.body()).get("requestContext").get("authorizer").get("iam");
        assertThat(iam.get("accessKey").asText()).isEqualTo("AKIAEXAMPLE");
    }

    @Test
    void aliasUrlsRunTheAliasAndDeletingStopsTheUrl(LambdaClient lambda, Stratus stratus) throws Exception {
        String version = "exports.handler = async () => ({ version: process.env.AWS_LAMBDA_FUNCTION_VERSION });";
        FunctionZips.create(lambda, "versioned", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", version));
        lambda.publishVersion(r -> r.functionName("versioned"));
        lambda.createAlias(r -> r.functionName("versioned").name("live").functionVersion("1"));
        String aliasId = urlId(lambda.createFunctionUrlConfig(r -> r.functionName("versioned").qualifier("live")
                .authType(FunctionUrlAuthType.NONE)).functionUrl());
        allowPublic(lambda, "versioned", "live");
        assertThat(lambda.getFunctionUrlConfig(r -> r.functionName("versioned:live")).functionArn()).isEqualTo(ARN + "versioned:live");
        String latestId = urlId(create(lambda, "versioned", FunctionUrlAuthType.NONE));

        assertThat(call(stratus, aliasId, "GET", "/", null).body()).isEqualTo("{\"version\":\"1\"}");
        assertThat(call(stratus, latestId, "GET", "/", null).body()).isEqualTo("{\"version\":\"$LATEST\"}");

        lambda.deleteAlias(r -> r.functionName("versioned").name("live"));
        assertThat(call(stratus, aliasId, "GET", "/", null).statusCode()).isEqualTo(404);
        lambda.createAlias(r -> r.functionName("versioned").name("live").functionVersion("1"));
        assertError(() -> lambda.getFunctionUrlConfig(r -> r.functionName("versioned").qualifier("live")),
                "ResourceNotFoundException", 404, "The resource you requested does not exist.");
        assertThat(call(stratus, aliasId, "GET", "/", null).statusCode()).isEqualTo(404);

        lambda.deleteFunctionUrlConfig(r -> r.functionName("versioned"));
        assertThat(call(stratus, latestId, "GET", "/", null).statusCode()).isEqualTo(404);
        String again = urlId(create(lambda, "versioned", FunctionUrlAuthType.NONE));
        assertThat(again).isNotEqualTo(latestId);
        assertThat(call(stratus, again, "GET", "/", null).statusCode()).isEqualTo(200);
        lambda.deleteFunction(r -> r.functionName("versioned"));
        assertThat(call(stratus, again, "GET", "/", null).statusCode()).isEqualTo(404);
        FunctionZips.create(lambda, "versioned", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", version));
        assertThat(call(stratus, again, "GET", "/", null).statusCode()).isEqualTo(404);
        assertThat(lambda.listFunctionUrlConfigs(r -> r.functionName("versioned")).functionUrlConfigs()).isEmpty();
    }

    @Test
    void aTimeoutIsABadGateway(LambdaClient lambda, Stratus stratus) throws Exception {
        lambda.createFunction(FunctionZips.request("sleepy", Runtime.NODEJS20_X, "index.handler",
                Map.of("index.js", "exports.handler = () => new Promise(resolve => setTimeout(() => resolve('late'), 5000));")).timeout(1).build());
        FunctionStates.awaitUpdated(lambda, "sleepy");
        String id = urlId(create(lambda, "sleepy", FunctionUrlAuthType.NONE));

        HttpResponse<String> response = call(stratus, id, "GET", "/", null);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("Internal Server Error");
    }
}
