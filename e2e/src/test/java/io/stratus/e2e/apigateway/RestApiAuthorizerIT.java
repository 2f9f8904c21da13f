package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.RestApiControlPlaneIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Lambda authorizers (TOKEN and REQUEST) in front of REST API methods, with real node and python functions. */
@StratusTest
class RestApiAuthorizerIT {

    private static final String NODE_TOKEN_AUTHORIZER = """
            let calls = 0;
            const policy = (principalId, effect, resource) => ({
              principalId,
              policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
            });
            exports.handler = async (event) => {
              calls++;
              const token = event.authorizationToken;
              if (token === 'deny') return policy('user-deny', 'Deny', event.methodArn);
              if (token === 'bad') throw new Error('Unauthorized');
              if (token === 'broken') return { nothing: true };
              if (token === 'other') return policy('user-other', 'Allow', 'arn:aws:execute-api:*:*:*/*/DELETE/*');
              const stageWide = event.methodArn.split('/').slice(0, 2).join('/') + '/*';
              return { ...policy('user-' + token, 'Allow', stageWide), context: { tier: 'gold', calls, type: event.type } };
            };
            """;

    private static final String PYTHON_REQUEST_AUTHORIZER = """
            def handler(event, context):
                allowed = event["queryStringParameters"]["key"] == "open"
                return {
                    "principalId": "request-user",
                    "policyDocument": {"Version": "2012-10-17", "Statement": [
                        {"Action": "execute-api:Invoke", "Effect": "Allow" if allowed else "Deny", "Resource": event["methodArn"]}]},
                    "context": {"seenPath": event["path"], "seenMethod": event["httpMethod"], "seenType": event["type"]},
                }
            """;

    private static String lambdaUri(String function) {
        return "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:" + function
                + "/invocations";
    }

    private static HttpResponse<String> get(RestApiFixture api, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.url(path));
        if (token != null) {
            request.header("Authorization", token);
        }
        return RestApiFixture.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET method behind the authorizer whose MOCK response shows what the authorizer said. */
    private static void protectedMethod(ApiGatewayClient apigw, RestApiFixture api, String path, String authorizerId, String template) {
        String resource = api.resource(path);
        apigw.putMethod(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").authorizationType("CUSTOM").authorizerId(authorizerId));
        apigw.putIntegration(r -> r.restApiId(api.id).resourceId(resource).httpMethod("GET").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.response("GET", path, "200", null, Map.of("application/json", template), Map.of());
    }

    @Test
    void tokenAuthorizerAllowsDeniesAndPassesItsContext(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "rest-token-authorizer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_TOKEN_AUTHORIZER));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "token-auth");
        var authorizer = apigw.createAuthorizer(r -> r.restApiId(api.id).name("token").type("TOKEN").authorizerUri(lambdaUri("rest-token-authorizer"))
                .identitySource("method.request.header.Authorization").identityValidationExpression("[a-z]+").authorizerResultTtlInSeconds(0));
        assertThat(authorizer.authorizerResultTtlInSeconds()).isZero();
        assertThat(apigw.getAuthorizers(r -> r.restApiId(api.id)).items()).extracting(a -> a.name()).containsExactly("token");
        protectedMethod(apigw, api, "/secret", authorizer.id(),
                "{\"principal\": \"$context.authorizer.principalId\", \"tier\": \"$context.authorizer.tier\", \"type\": \"$context.authorizer.type\"}");
        api.deploy("prod");

        HttpResponse<String> allowed = get(api, "/prod/secret", "alice");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("{\"principal\": \"user-alice\", \"tier\": \"gold\", \"type\": \"TOKEN\"}");

        HttpResponse<String> missing = get(api, "/prod/secret", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(get(api, "/prod/secret", "Not-Valid-1").statusCode()).as("fails the validation expression").isEqualTo(401);
        assertThat(get(api, "/prod/secret", "bad").statusCode()).as("the function says Unauthorized").isEqualTo(401);

        HttpResponse<String> denied = get(api, "/prod/secret", "deny");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"Message\":\"User is not authorized to access this resource with an explicit deny\"}");
        HttpResponse<String> notAllowed = get(api, "/prod/secret", "other");
        assertThat(notAllowed.statusCode()).isEqualTo(403);
        assertThat(notAllowed.body()).isEqualTo("{\"Message\":\"User is not authorized to access this resource\"}");
        HttpResponse<String> broken = get(api, "/prod/secret", "broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.headers().firstValue("x-amzn-ErrorType")).hasValue("AuthorizerConfigurationException");

        assertError(() -> apigw.deleteAuthorizer(r -> r.restApiId(api.id).authorizerId(authorizer.id())), 409, "ConflictException",
                "is referenced in method");
        assertError(() -> apigw.getAuthorizer(r -> r.restApiId(api.id).authorizerId("nosuch")), 404, "NotFoundException",
                "Invalid Authorizer identifier specified");
    }

    @Test
    void authorizerResultsAreCachedForTheirTtlByToken(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "rest-cached-authorizer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_TOKEN_AUTHORIZER));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "cached-auth");
        String authorizerId = apigw.createAuthorizer(r -> r.restApiId(api.id).name("cached").type("TOKEN")
                .authorizerUri(lambdaUri("rest-cached-authorizer")).identitySource("method.request.header.Authorization")).id();
        assertThat(apigw.getAuthorizer(r -> r.restApiId(api.id).authorizerId(authorizerId)).authorizerResultTtlInSeconds()).isEqualTo(300);
        protectedMethod(apigw, api, "/count", authorizerId, "{\"calls\": $context.authorizer.calls}");
        api.deploy("prod");

        String first = get(api, "/prod/count", "alice").body();
        String second = get(api, "/prod/count", "alice").body();
        String otherToken = get(api, "/prod/count", "bob").body();

        assertThat(first).isEqualTo("{\"calls\": 1}");
        assertThat(second).as("the cached policy and context").isEqualTo("{\"calls\": 1}");
        assertThat(otherToken).isEqualTo("{\"calls\": 2}");
    }

    @Test
    void requestAuthorizerSeesTheRequestAndNeedsItsIdentitySources(ApiGatewayClient apigw, LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "rest-request-authorizer", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_REQUEST_AUTHORIZER));
        RestApiFixture api = new RestApiFixture(apigw, stratus, "request-auth");
        String authorizerId = apigw.createAuthorizer(r -> r.restApiId(api.id).name("request").type("REQUEST")
                .authorizerUri(lambdaUri("rest-request-authorizer")).identitySource("method.request.querystring.key").authorizerResultTtlInSeconds(0)).id();
        protectedMethod(apigw, api, "/items/{id}", authorizerId,
                "{\"principal\": \"$context.authorizer.principalId\", \"path\": \"$context.authorizer.seenPath\", \"method\": \"$context.authorizer.seenMethod\", \"type\": \"$context.authorizer.seenType\"}");
        api.deploy("prod");

        HttpResponse<String> open = api.get("/prod/items/9?key=open");
        HttpResponse<String> closed = api.get("/prod/items/9?key=closed");
        HttpResponse<String> missing = api.get("/prod/items/9");

        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).isEqualTo("{\"principal\": \"request-user\", \"path\": \"/items/9\", \"method\": \"GET\", \"type\": \"REQUEST\"}");
        assertThat(closed.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(401);

        var updated = apigw.updateAuthorizer(r -> r.restApiId(api.id).authorizerId(authorizerId)
                .patchOperations(p -> p.op(Op.REPLACE).path("/name").value("renamed")));
        assertThat(updated.name()).isEqualTo("renamed");
        assertError(() -> apigw.createAuthorizer(r -> r.restApiId(api.id).name("x").type("TOKEN").authorizerUri("not-an-arn")
                .identitySource("method.request.header.Authorization")), 400, "BadRequestException", "Invalid Authorizer URI");
    }
}
