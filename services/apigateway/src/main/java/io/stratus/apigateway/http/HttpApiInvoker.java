package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.apigateway.http.HttpApiResources.Api;
import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.http.HttpApiResources.Deployment;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.http.HttpApiResources.Stage;
import io.stratus.apigateway.proxy.IamCaller;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.QueryString;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the invoke URLs of HTTP APIs: picks the stage ({@code $default} at the root, a named
 * stage as the first path segment), answers CORS preflights, picks the route ({@link RouteMatcher})
 * among the routes of the stage's deployment ({@link AutoDeployments} keeps those of {@code autoDeploy}
 * stages current), runs its
 * authorizer (JWT or Lambda) and its integration: a Lambda proxy in payload format 2.0 or 1.0, or an HTTP proxy. Thread-safe;
 * calls block on the integration, on the caller's virtual thread.
 */
final class HttpApiInvoker {

    private static final long MAX_BODY = 10L * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpApiStore store;
    private final Clock clock;
    private final LambdaProxy lambdaProxy;
    private final HttpProxy httpProxy;
    private final JwtAuthorizer jwtAuthorizer;
    private final LambdaAuthorizer lambdaAuthorizer;

    HttpApiInvoker(HttpApiStore store, Clock clock, FunctionInvoker functions) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.lambdaProxy = new LambdaProxy(functions);
        this.httpProxy = new HttpProxy(client);
        this.jwtAuthorizer = new JwtAuthorizer(client, clock);
        this.lambdaAuthorizer = new LambdaAuthorizer(functions, clock);
    }

    HttpResponse invoke(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request) {
        String requestId = requestId();
        HttpResponse response = serve(IamCaller.of(context).orElse(null), apiId, location, request, requestId);
        return response.header("apigw-requestid", requestId);
    }

    /** @param signer who signed the request, or null: what an {@code AWS_IAM} route needs */
    private HttpResponse serve(IamCaller signer, String apiId, ApiDirectory.Location location, HttpRequest request, String requestId) {
        Optional<Api> api = store.api(location.accountId(), location.region(), apiId);
        if (api.isEmpty()) {
            return notFound();
        }
        Optional<StagePath> stagePath = stagePath(location, apiId, request.rawPath());
        if (stagePath.isEmpty()) {
            return notFound();
        }
        Stage stage = stagePath.get().stage();
        List<String> routePath = stagePath.get().path();
        CorsPolicy cors = new CorsPolicy(api.get().corsConfiguration());
        if (cors.isPreflight(request)) {
            return cors.preflight(request);
        }
        Optional<Deployment> deployment = stage.deploymentId() == null ? Optional.empty()
                : store.part(location.accountId(), location.region(), apiId, HttpApiStore.Kind.DEPLOYMENT, stage.deploymentId());
        List<Route> routes = deployment.map(Deployment::routes).orElse(List.of());
        List<Integration> integrations = deployment.map(Deployment::integrations).orElse(List.of());
        List<Authorizer> authorizers = deployment.map(Deployment::authorizers).orElse(List.of());
        // The stage's root with a trailing slash (/prod/) is its root.
        List<String> decoded = routePath.equals(List.of("")) ? List.of() : routePath.stream().map(QueryString::decodePath).toList();
        Optional<RouteMatcher.Match> match = new RouteMatcher(routes).match(request.method(), decoded);
        if (match.isEmpty() || match.get().route().integrationId() == null) {
            return cors.apply(request, notFound());
        }
        String integrationId = match.get().route().integrationId();
        Optional<Integration> integration = integrations.stream().filter(i -> i.integrationId().equals(integrationId)).findFirst();
        if (integration.isEmpty()) {
            return cors.apply(request, LambdaProxy.internalError());
        }
        byte[] body;
        try {
            body = request.bodyBytes(MAX_BODY);
        } catch (AwsException e) {
            return cors.apply(request, GatewayResponses.message(413, "Request Entity Too Large"));
        }
        // The protocol the client came by, as API Gateway's front end says it to integrations (whatever the client sent).
        Map<String, List<String>> headers = new java.util.HashMap<>(request.headers());
        headers.put("x-forwarded-proto", List.of(request.secure() ? "https" : "http"));
        HttpApiCall call = new HttpApiCall(location.accountId(), apiId, stage.stageName(), match.get().route().routeKey(), request.method(),
                request.rawPath(), request.rawQuery(), headers, body, match.get().pathParameters(),
                stage.stageVariables(), requestId, domainName(apiId, request), request.sourceIp(), clock.instant());
        String path = "/" + String.join("/", decoded);
        AuthorizerDecision decision = match.get().route().authorizationType().equals("AWS_IAM")
                ? iam(signer, location.accountId())
                : authorize(match.get().route(), authorizers, call, request, path, location.region());
        return switch (decision) {
            case AuthorizerDecision.Deny deny -> cors.apply(request, deny.response());
            case AuthorizerDecision.Allow allow -> cors.apply(request, integrate(integration.get(), call, request, path, allow));
        };
    }

    /** The stage a call is for, and its path after the stage as raw segments. */
    private record StagePath(Stage stage, List<String> path) {}

    /** A named stage when the path's first segment names one, else the {@code $default} stage (with the whole path), if any. */
    private Optional<StagePath> stagePath(ApiDirectory.Location location, String apiId, String rawPath) {
        List<Stage> stages = store.parts(location.accountId(), location.region(), apiId, HttpApiStore.Kind.STAGE, null, Integer.MAX_VALUE);
        List<String> segments = segments(rawPath);
        if (!segments.isEmpty()) {
            String first = QueryString.decodePath(segments.getFirst());
            Optional<Stage> named = stages.stream().filter(s -> !s.stageName().equals(Stage.DEFAULT) && s.stageName().equals(first)).findFirst();
            if (named.isPresent()) {
                return Optional.of(new StagePath(named.get(), segments.subList(1, segments.size())));
            }
        }
        return stages.stream().filter(s -> s.stageName().equals(Stage.DEFAULT)).findFirst().map(stage -> new StagePath(stage, segments));
    }

    /**
     * An {@code AWS_IAM} route takes signed requests only (the edge checked the signature with
     * {@code --auth sigv4}), from the API's own account (Stratus has no IAM policies to grant more);
     * a format 2.0 event reports the caller in {@code authorizer.iam}.
     */
    private static AuthorizerDecision iam(IamCaller signer, String apiAccount) {
        if (signer == null || !signer.accountId().equals(apiAccount)) {
            return AuthorizerDecision.forbidden();
        }
        ObjectNode v2 = JsonNodeFactory.instance.objectNode();
        ObjectNode iam = v2.putObject("iam");
        iam.put("accessKey", signer.accessKey());
        iam.put("accountId", signer.accountId());
        iam.put("callerId", signer.callerId());
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", signer.userArn());
        iam.put("userId", signer.callerId());
        return new AuthorizerDecision.Allow(v2, null);
    }

    /** The decision of the route's authorizer; an empty allow for a route without one. */
    private AuthorizerDecision authorize(Route route, List<Authorizer> authorizers, HttpApiCall call, HttpRequest request, String path, String region) {
        if (route.authorizationType().equals("NONE")) {
            return new AuthorizerDecision.Allow(null, null);
        }
        Optional<Authorizer> authorizer = authorizers.stream().filter(a -> a.authorizerId().equals(route.authorizerId())).findFirst();
        if (authorizer.isEmpty()) {
            return AuthorizerDecision.internalError();
        }
        return switch (authorizer.get().authorizerType()) {
            case AuthorizerOperations.JWT -> jwtAuthorizer.authorize(authorizer.get(), route, call);
            case AuthorizerOperations.REQUEST -> lambdaAuthorizer.authorize(authorizer.get(), call, request, path, region);
            default -> AuthorizerDecision.internalError();
        };
    }

    private HttpResponse integrate(Integration integration, HttpApiCall call, HttpRequest request, String path, AuthorizerDecision.Allow authorized) {
        return switch (integration.integrationType()) {
            case IntegrationRules.AWS_PROXY -> lambdaProxy.invoke(integration, call, request, path, authorized);
            case IntegrationRules.HTTP_PROXY -> httpProxy.forward(integration, call, authorized.v2());
            default -> LambdaProxy.internalError();
        };
    }

    private static HttpResponse notFound() {
        return GatewayResponses.message(404, "Not Found");
    }

    private static List<String> segments(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.asList(path.split("/", -1)));
    }

    /** The host the client addressed; for the path form of the URL, the host form's name. */
    private static String domainName(String apiId, HttpRequest request) {
        String host = request.host();
        return host.startsWith(apiId + ".") ? host : apiId + ".execute-api.localhost";
    }


    /** An id in the form of API Gateway's {@code apigw-requestid}, e.g. {@code Jx2bTg3DoAMEbXw=}. */
    private static String requestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).substring(0, 15) + "=";
    }
}
