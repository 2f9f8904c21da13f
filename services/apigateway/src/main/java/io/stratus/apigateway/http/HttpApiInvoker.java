package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.apigateway.http.HttpApiResources.Api;
import io.stratus.apigateway.http.HttpApiResources.Deployment;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.http.HttpApiResources.Stage;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.QueryString;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the invoke URLs of HTTP APIs: picks the stage ({@code $default} at the root, a named
 * stage as the first path segment), answers CORS preflights, picks the route ({@link RouteMatcher})
 * among the stage's deployed routes (an {@code autoDeploy} stage serves the current ones), and runs
 * its integration: a Lambda proxy in payload format 2.0 or 1.0, or an HTTP proxy. Thread-safe;
 * calls block on the integration, on the caller's virtual thread.
 */
final class HttpApiInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiInvoker.class);
    private static final long MAX_BODY = 10L * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpApiStore store;
    private final Clock clock;
    private final FunctionInvoker functions;
    private final HttpProxy httpProxy;
    private final ExecutorService integrationThreads = Executors.newVirtualThreadPerTaskExecutor();

    HttpApiInvoker(HttpApiStore store, Clock clock, FunctionInvoker functions) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.httpProxy = new HttpProxy(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }

    HttpResponse invoke(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request) {
        String requestId = requestId();
        HttpResponse response = serve(context, apiId, location, request, requestId);
        return response.header("apigw-requestid", requestId);
    }

    private HttpResponse serve(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request, String requestId) {
        Optional<Api> api = store.api(location.accountId(), location.region(), apiId);
        if (api.isEmpty()) {
            return notFound();
        }
        List<Stage> stages = store.parts(location.accountId(), location.region(), apiId, HttpApiStore.Kind.STAGE, null, Integer.MAX_VALUE);
        List<String> rawSegments = segments(request.rawPath());
        Stage stage = null;
        List<String> routePath = rawSegments;
        if (!rawSegments.isEmpty()) {
            String first = QueryString.decodePath(rawSegments.getFirst());
            stage = stages.stream().filter(s -> !s.stageName().equals(Stage.DEFAULT) && s.stageName().equals(first)).findFirst().orElse(null);
            if (stage != null) {
                routePath = rawSegments.subList(1, rawSegments.size());
            }
        }
        if (stage == null) {
            stage = stages.stream().filter(s -> s.stageName().equals(Stage.DEFAULT)).findFirst().orElse(null);
        }
        if (stage == null) {
            return notFound();
        }
        CorsPolicy cors = new CorsPolicy(api.get().corsConfiguration());
        if (cors.isPreflight(request)) {
            return cors.preflight(request);
        }
        List<Route> routes;
        List<Integration> integrations;
        if (stage.autoDeploy()) {
            routes = store.parts(location.accountId(), location.region(), apiId, HttpApiStore.Kind.ROUTE, null, Integer.MAX_VALUE);
            integrations = store.parts(location.accountId(), location.region(), apiId, HttpApiStore.Kind.INTEGRATION, null, Integer.MAX_VALUE);
        } else {
            Optional<Deployment> deployment = stage.deploymentId() == null ? Optional.empty()
                    : store.part(location.accountId(), location.region(), apiId, HttpApiStore.Kind.DEPLOYMENT, stage.deploymentId());
            routes = deployment.map(Deployment::routes).orElse(List.of());
            integrations = deployment.map(Deployment::integrations).orElse(List.of());
        }
        List<String> decoded = routePath.stream().map(QueryString::decodePath).toList();
        Optional<RouteMatcher.Match> match = new RouteMatcher(routes).match(request.method(), decoded);
        if (match.isEmpty() || match.get().route().integrationId() == null) {
            return cors.apply(request, notFound());
        }
        String integrationId = match.get().route().integrationId();
        Optional<Integration> integration = integrations.stream().filter(i -> i.integrationId().equals(integrationId)).findFirst();
        if (integration.isEmpty()) {
            return cors.apply(request, ProxyResponses.internalError());
        }
        ProxyCall call = new ProxyCall(location.accountId(), apiId, stage.stageName(), match.get().route().routeKey(), request.method(),
                request.rawPath(), request.rawQuery(), request.headers(), request.bodyBytes(MAX_BODY), match.get().pathParameters(),
                stage.stageVariables(), requestId, domainName(apiId, request), sourceIp(request), clock.instant());
        return cors.apply(request, integrate(integration.get(), call));
    }

    private HttpResponse integrate(Integration integration, ProxyCall call) {
        return switch (integration.integrationType()) {
            case IntegrationRules.AWS_PROXY -> withTimeout(integration, () -> invokeFunction(integration, call));
            case IntegrationRules.HTTP_PROXY -> httpProxy.forward(integration, call);
            default -> ProxyResponses.internalError();
        };
    }

    private HttpResponse invokeFunction(Integration integration, ProxyCall call) {
        String functionArn = IntegrationRules.functionArn(integration.integrationUri());
        String[] arn = functionArn.split(":");
        boolean v2 = integration.payloadFormatVersion().equals("2.0");
        byte[] event = (v2 ? ProxyEvents.v2(call) : ProxyEvents.v1(call)).toString().getBytes(StandardCharsets.UTF_8);
        FunctionInvoker.Result result;
        try {
            result = functions.invoke(arn[4], arn[3], functionArn, event);
        } catch (AwsException e) {
            LOG.debug("Integration {} could not invoke {}: {}", integration.integrationId(), functionArn, e.getMessage());
            return ProxyResponses.internalError();
        }
        if (result.failed()) {
            return ProxyResponses.internalError();
        }
        return (v2 ? ProxyResponses.v2(result.payload()) : ProxyResponses.v1(result.payload())).orElseGet(ProxyResponses::internalError);
    }

    /** Runs a call on its own virtual thread, answering 504 when it outlasts the integration's timeout. */
    private HttpResponse withTimeout(Integration integration, java.util.concurrent.Callable<HttpResponse> call) {
        Future<HttpResponse> future = integrationThreads.submit(call);
        try {
            return future.get(integration.timeoutInMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return GatewayResponses.message(504, "Service Unavailable");
        } catch (ExecutionException e) {
            LOG.warn("Integration {} failed", integration.integrationId(), e.getCause());
            return ProxyResponses.internalError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProxyResponses.internalError();
        }
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

    private static String sourceIp(HttpRequest request) {
        return request.header("x-forwarded-for").map(value -> value.split(",")[0].strip()).orElse("127.0.0.1");
    }

    /** An id in the form of API Gateway's {@code apigw-requestid}, e.g. {@code Jx2bTg3DoAMEbXw=}. */
    private static String requestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).substring(0, 15) + "=";
    }
}
