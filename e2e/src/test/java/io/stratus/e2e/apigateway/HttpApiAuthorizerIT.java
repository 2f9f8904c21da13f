package io.stratus.e2e.apigateway;

import io.stratus.e2e.lambda.FunctionStates;

import static io.stratus.e2e.apigateway.HttpApiLambdaIT.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** JWT authorizers against a real issuer (a loopback OpenID configuration and JWKS of the test) and Lambda authorizers in node. */
@StratusTest
class HttpApiAuthorizerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ECHO = """
            exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ event }) });
            """;

    private static final String AUTHORIZERS = """
            exports.simple = async (event) => {
              if (event.headers['x-key'] === 'explode') throw new Error('authorizer failed');
              return { isAuthorized: event.headers['x-key'] === 'open-sesame',
                       context: { user: 'u-' + event.headers['x-key'], routeArn: event.routeArn, type: event.type,
                                  sources: event.identitySource.join('|'), hasBody: 'body' in event } };
            };
            let calls = 0;
            exports.counting = async (event) => { calls++; return { isAuthorized: true, context: { calls } }; };
            exports.policy = async (event) => ({
              principalId: 'p1',
              policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke',
                  Effect: event.headers['x-key'] === 'ok' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
              context: { tier: 'gold', methodArn: event.methodArn }
            });
            """;

    private HttpServer issuer;
    private KeyPair key;
    private KeyPair otherKey;
    private KeyPair ecKey;

    @BeforeEach
    void startIssuer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
        otherKey = generator.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        ecKey = ec.generateKeyPair();
        issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/.well-known/openid-configuration", exchange -> {
            byte[] body = JSON.writeValueAsBytes(Map.of("issuer", issuerUrl(), "jwks_uri", issuerUrl() + "/jwks"));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.createContext("/jwks", exchange -> {
            RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
            java.security.interfaces.ECPublicKey ecPublic = (java.security.interfaces.ECPublicKey) ecKey.getPublic();
            byte[] body = JSON.writeValueAsBytes(Map.of("keys", List.of(
                    Map.of("kty", "RSA", "kid", "k1", "use", "sig", "alg", "RS256",
                            "n", unsigned(publicKey.getModulus()), "e", unsigned(publicKey.getPublicExponent())),
                    Map.of("kty", "EC", "kid", "e1", "use", "sig", "alg", "ES256", "crv", "P-256",
                            "x", coordinate(ecPublic.getW().getAffineX()), "y", coordinate(ecPublic.getW().getAffineY())))));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.createContext("/backend", exchange -> {
            byte[] body = ("user=" + exchange.getRequestHeaders().getFirst("x-user")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
    }

    @AfterEach
    void stopIssuer() {
        issuer.stop(0);
    }

    private String issuerUrl() {
        return "http://127.0.0.1:" + issuer.getAddress().getPort();
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A P-256 coordinate as JWK writes it: 32 bytes, unsigned, base64url. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static String es256Token(KeyPair signer, Map<String, Object> claims) throws Exception {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "ES256", "kid", "e1", "typ", "JWT")));
        String payload = encoder.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(signer.getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + encoder.encodeToString(signature.sign());
    }

    private static String token(KeyPair signer, Map<String, Object> claims) throws Exception {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "kid", "k1", "typ", "JWT")));
        String payload = encoder.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(signer.getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + encoder.encodeToString(signature.sign());
    }

    private Map<String, Object> claims(String audience, long expiresIn, String scope) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuerUrl());
        claims.put("sub", "user1");
        claims.put("aud", audience);
        claims.put("exp", Instant.now().getEpochSecond() + expiresIn);
        claims.put("iat", Instant.now().getEpochSecond());
        if (scope != null) {
            claims.put("scope", scope);
        }
        return claims;
    }

    private static String echo(LambdaClient lambda, String name) {
        String arn = lambda.createFunction(FunctionZips.request(name, Runtime.NODEJS20_X, "index.handler", Map.of("index.js", ECHO)).build()).functionArn();
        FunctionStates.awaitActive(lambda, name);
        return arn;
    }

    private static HttpResponse<String> get(Stratus stratus, String apiId, String path, Map<String, String> headers) throws Exception {
        return call(stratus, "GET", apiId, path, headers, null);
    }

    @Test
    void jwtAuthorizerChecksSignatureIssuerAudienceExpiryAndScopes(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String arn = echo(lambda, "jwt-echo");
        String apiId = apis.createApi(r -> r.name("jwt").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(arn)
                .payloadFormatVersion("2.0")).integrationId();
        String authorizerId = apis.createAuthorizer(r -> r.apiId(apiId).name("jwt").authorizerType("JWT").identitySource("$request.header.Authorization")
                .jwtConfiguration(j -> j.issuer(issuerUrl()).audience("my-app"))).authorizerId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /open").target("integrations/" + integrationId)
                .authorizationType("JWT").authorizerId(authorizerId));
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /scoped").target("integrations/" + integrationId)
                .authorizationType("JWT").authorizerId(authorizerId).authorizationScopes("orders:read"));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        String good = token(key, claims("my-app", 3600, "orders:read profile"));
        HttpResponse<String> allowed = get(stratus, apiId, "/scoped", Map.of("Authorization", "Bearer " + good));
        assertThat(allowed.statusCode()).isEqualTo(200);
        JsonNode jwt = JSON.readTree(allowed.body()).get("event").get("requestContext").get("authorizer").get("jwt");
        assertThat(jwt.get("claims").get("sub").asText()).isEqualTo("user1");
        assertThat(jwt.get("claims").get("aud").asText()).isEqualTo("my-app");
        assertThat(jwt.get("scopes")).extracting(JsonNode::asText).containsExactly("orders:read", "profile");
        assertThat(get(stratus, apiId, "/open", Map.of("Authorization", good)).statusCode()).as("without Bearer").isEqualTo(200);

        HttpResponse<String> missing = get(stratus, apiId, "/open", Map.of());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("{\"message\":\"Unauthorized\"}");

        HttpResponse<String> expired = get(stratus, apiId, "/open", Map.of("Authorization", "Bearer " + token(key, claims("my-app", -10, null))));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token").contains("expired"));
        assertThat(get(stratus, apiId, "/open", Map.of("Authorization", token(key, claims("other-app", 3600, null)))).statusCode()).isEqualTo(401);
        assertThat(get(stratus, apiId, "/open", Map.of("Authorization", token(otherKey, claims("my-app", 3600, null)))).statusCode()).isEqualTo(401);
        Map<String, Object> wrongIssuer = claims("my-app", 3600, null);
        wrongIssuer.put("iss", "https://elsewhere.example");
        assertThat(get(stratus, apiId, "/open", Map.of("Authorization", token(key, wrongIssuer))).statusCode()).isEqualTo(401);
        assertThat(get(stratus, apiId, "/open", Map.of("Authorization", "Bearer not.a.jwt")).statusCode()).isEqualTo(401);

        assertThat(get(stratus, apiId, "/open", Map.of("Authorization", es256Token(ecKey, claims("my-app", 3600, null)))).statusCode())
                .as("ES256").isEqualTo(200);

        HttpResponse<String> unscoped = get(stratus, apiId, "/scoped", Map.of("Authorization", token(key, claims("my-app", 3600, "profile"))));
        assertThat(unscoped.statusCode()).isEqualTo(403);
        assertThat(unscoped.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void lambdaAuthorizersWithSimpleResponsesAndPolicies(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String echoArn = echo(lambda, "custom-echo");
        String simpleArn = lambda.createFunction(FunctionZips.request("auth-simple", Runtime.NODEJS20_X, "index.simple",
                Map.of("index.js", AUTHORIZERS)).build()).functionArn();
        FunctionStates.awaitUpdated(lambda, "auth-simple");
        String policyArn = lambda.createFunction(FunctionZips.request("auth-policy", Runtime.NODEJS20_X, "index.policy",
                Map.of("index.js", AUTHORIZERS)).build()).functionArn();
        FunctionStates.awaitUpdated(lambda, "auth-policy");
        String apiId = apis.createApi(r -> r.name("custom").protocolType(ProtocolType.HTTP)).apiId();
        String v2 = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(echoArn)
                .payloadFormatVersion("2.0")).integrationId();
        String v1 = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(echoArn)
                .payloadFormatVersion("1.0")).integrationId();
        String simple = apis.createAuthorizer(r -> r.apiId(apiId).name("simple").authorizerType("REQUEST")
                .authorizerUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + simpleArn + "/invocations")
                .authorizerPayloadFormatVersion("2.0").enableSimpleResponses(true).identitySource("$request.header.x-key")).authorizerId();
        String policy = apis.createAuthorizer(r -> r.apiId(apiId).name("policy").authorizerType("REQUEST")
                .authorizerUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + policyArn + "/invocations")
                .authorizerPayloadFormatVersion("1.0").identitySource("$request.header.x-key")).authorizerId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /simple/{id}").target("integrations/" + v2).authorizationType("CUSTOM").authorizerId(simple));
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /policy").target("integrations/" + v1).authorizationType("CUSTOM").authorizerId(policy));
        apis.createStage(r -> r.apiId(apiId).stageName("prod").autoDeploy(true));

        HttpResponse<String> allowed = get(stratus, apiId, "/prod/simple/7", Map.of("x-key", "open-sesame"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        JsonNode context = JSON.readTree(allowed.body()).get("event").get("requestContext").get("authorizer").get("lambda");
        assertThat(context.get("user").asText()).isEqualTo("u-open-sesame");
        assertThat(context.get("type").asText()).isEqualTo("REQUEST");
        assertThat(context.get("sources").asText()).isEqualTo("open-sesame");
        assertThat(context.get("routeArn").asText()).isEqualTo("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/prod/GET/simple/7");
        assertThat(context.get("hasBody").asBoolean()).isFalse();

        HttpResponse<String> refused = get(stratus, apiId, "/prod/simple/7", Map.of("x-key", "wrong"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        HttpResponse<String> missing = get(stratus, apiId, "/prod/simple/7", Map.of());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        HttpResponse<String> failed = get(stratus, apiId, "/prod/simple/7", Map.of("x-key", "explode"));
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");

        HttpResponse<String> byPolicy = get(stratus, apiId, "/prod/policy", Map.of("x-key", "ok"));
        assertThat(byPolicy.statusCode()).isEqualTo(200);
        JsonNode v1Context = JSON.readTree(byPolicy.body()).get("event").get("requestContext").get("authorizer");
        assertThat(v1Context.get("tier").asText()).isEqualTo("gold");
        assertThat(v1Context.get("principalId").asText()).isEqualTo("p1");
        assertThat(v1Context.get("methodArn").asText()).isEqualTo("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/prod/GET/policy");
        assertThat(get(stratus, apiId, "/prod/policy", Map.of("x-key", "no")).statusCode()).isEqualTo(403);
    }

    @Test
    void lambdaAuthorizerAnswersAreCachedPerIdentityForTheTtl(ApiGatewayV2Client apis, LambdaClient lambda, Stratus stratus) throws Exception {
        String echoArn = echo(lambda, "cached-echo");
        String countingArn = lambda.createFunction(FunctionZips.request("auth-counting", Runtime.NODEJS20_X, "index.counting",
                Map.of("index.js", AUTHORIZERS)).build()).functionArn();
        FunctionStates.awaitUpdated(lambda, "auth-counting");
        String apiId = apis.createApi(r -> r.name("cached").protocolType(ProtocolType.HTTP)).apiId();
        String integration = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(echoArn)
                .payloadFormatVersion("2.0")).integrationId();
        String authorizer = apis.createAuthorizer(r -> r.apiId(apiId).name("counting").authorizerType("REQUEST").authorizerUri(countingArn)
                .authorizerPayloadFormatVersion("2.0").enableSimpleResponses(true).identitySource("$request.header.x-key")
                .authorizerResultTtlInSeconds(300)).authorizerId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /c").target("integrations/" + integration).authorizationType("CUSTOM").authorizerId(authorizer));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        assertThat(calls(stratus, apiId, "a")).isEqualTo(1);
        assertThat(calls(stratus, apiId, "a")).as("cached for the same identity").isEqualTo(1);
        assertThat(calls(stratus, apiId, "b")).as("another identity asks the function").isEqualTo(2);
        stratus.clock().advance(java.time.Duration.ofSeconds(301));
        assertThat(calls(stratus, apiId, "a")).as("the TTL is over").isEqualTo(3);
    }

    private static int calls(Stratus stratus, String apiId, String key) throws Exception {
        HttpResponse<String> response = get(stratus, apiId, "/c", Map.of("x-key", key));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("event").get("requestContext").get("authorizer").get("lambda").get("calls").asInt();
    }

    @Test
    void jwtClaimsReachAnHttpBackendThroughParameterMapping(ApiGatewayV2Client apis, Stratus stratus) throws Exception {
        String apiId = apis.createApi(r -> r.name("claims").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("GET")
                .integrationUri(issuerUrl() + "/backend").requestParameters(Map.of("overwrite:header.x-user", "$context.authorizer.claims.sub")))
                .integrationId();
        String authorizerId = apis.createAuthorizer(r -> r.apiId(apiId).name("jwt").authorizerType("JWT").identitySource("$request.header.Authorization")
                .jwtConfiguration(j -> j.issuer(issuerUrl()).audience("my-app"))).authorizerId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /me").target("integrations/" + integrationId).authorizationType("JWT").authorizerId(authorizerId));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        HttpResponse<String> response = get(stratus, apiId, "/me", Map.of("Authorization", "Bearer " + token(key, claims("my-app", 3600, null)),
                "x-user", "spoofed"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("user=user1");
    }
}
