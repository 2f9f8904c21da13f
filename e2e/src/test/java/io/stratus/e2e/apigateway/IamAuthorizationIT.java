package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.protocol.auth.SignableRequest;
import io.stratus.protocol.auth.SigV4Signer;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * {@code AWS_IAM} methods and routes: an unsigned call is refused, a call signed for
 * {@code execute-api} by the API's own account gets through with its caller in the event, and
 * another account's signed call is refused.
 */
@StratusTest
class IamAuthorizationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String MIRROR = """
            exports.handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' },
                                                 body: JSON.stringify(event.requestContext) });
            """;

    /** A GET of {@code path}, signed for execute-api with {@code accessKey} (secret "test"), or unsigned when it is null. */
    private static HttpResponse<String> get(Stratus stratus, String path, String accessKey) throws Exception {
        URI uri = stratus.endpoint().resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (accessKey != null) {
            String host = uri.getHost() + ":" + uri.getPort();
            SignableRequest.Snapshot signed = new SigV4Signer(accessKey, "test", Optional.empty())
                    .sign(SignableRequest.Snapshot.of("GET", uri.getRawPath(), "").withHeader("host", host), "us-east-1", "execute-api",
                            Instant.now(), EMPTY_SHA256);
            signed.headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) {
                    values.forEach(value -> request.header(name, value));
                }
            });
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restMethodsWithAwsIamTakeSignedCallsOfTheirAccount(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "iam-mirror-rest", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", MIRROR));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "iam-rest");
        String resource = api.resource("/whoami");
        apigw.putMethod(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").authorizationType("AWS_IAM"));
        apigw.putIntegration(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").type(IntegrationType.AWS_PROXY)
                .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                        + "arn:aws:lambda:us-east-1:000000000000:function:iam-mirror-rest/invocations"));
        api.deploy("prod");
        String path = "/_aws/execute-api/" + api.id + "/prod/whoami";

        HttpResponse<String> unsigned = get(stratus, path, null);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");

        HttpResponse<String> signed = get(stratus, path, "test");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode identity = JSON.readTree(signed.body()).get("identity");
        assertThat(identity.get("accessKey").asText()).isEqualTo("test");
        assertThat(identity.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(identity.get("userArn").asText()).isEqualTo("arn:aws:iam::000000000000:root");

        HttpResponse<String> stranger = get(stratus, path, "222222222222");
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(stranger.body()).get("Message").asText())
                .startsWith("User: arn:aws:iam::222222222222:root is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:");
    }

    @Test
    void httpRoutesWithAwsIamTakeSignedCallsOfTheirAccount(ApiGatewayV2Client apigw, LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "iam-mirror-http", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", MIRROR));
        String apiId = apigw.createApi(r -> r.name("iam-http").protocolType("HTTP")).apiId();
        String integration = apigw.createIntegration(r -> r.apiId(apiId).integrationType("AWS_PROXY").payloadFormatVersion("2.0")
                .integrationUri("arn:aws:lambda:us-east-1:000000000000:function:iam-mirror-http")).integrationId();
        apigw.createRoute(r -> r.apiId(apiId).routeKey("GET /whoami").authorizationType(AuthorizationType.AWS_IAM).target("integrations/" + integration));
        apigw.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
        String path = "/_aws/execute-api/" + apiId + "/whoami";

        HttpResponse<String> unsigned = get(stratus, path, null);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).isEqualTo("{\"message\":\"Forbidden\"}");

        HttpResponse<String> signed = get(stratus, path, "test");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode iam = JSON.readTree(signed.body()).get("authorizer").get("iam");
        assertThat(iam.get("accessKey").asText()).isEqualTo("test");
        assertThat(iam.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(iam.get("userArn").asText()).isEqualTo("arn:aws:iam::000000000000:root");

        assertThat(get(stratus, path, "222222222222").statusCode()).isEqualTo(403);
    }
}
