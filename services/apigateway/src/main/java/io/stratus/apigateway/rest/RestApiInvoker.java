package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.DecodedCache;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.apigateway.proxy.IamCaller;
import io.stratus.apigateway.rest.RestApiModel.Authorizer;
import io.stratus.apigateway.rest.RestApiModel.GatewayResponse;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.RequestValidator;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiModel.Stage;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.QueryString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invoke URL of REST APIs: {@code /<stage>/<path>} to the deployment the stage points at, the
 * resource and method there, and its integration. Answers as API Gateway does when it cannot:
 * 403 {@code Forbidden} for an unknown stage, 403 {@code Missing Authentication Token} for an
 * unknown resource or method. Before the integration it runs the method's Lambda authorizer, its
 * request validator and its API key check; every answer the gateway makes itself goes through the
 * deployment's gateway responses. Thread-safe: deployments never change, so what they serve is cached.
 */
final class RestApiInvoker {

    private static final int MAX_CACHED_DEPLOYMENTS = 1024;
    private static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

    private final RestApiStore store;
    private final Clock clock;
    private final LambdaIntegration lambda;
    private final HttpIntegration http = new HttpIntegration();
    private final Map<String, Deployed> matchers = new ConcurrentHashMap<>();
    private final LambdaAuthorizers authorizers;
    private final DecodedCache decoded = new DecodedCache();
    private final UsageMeter meter;

    RestApiInvoker(RestApiStore store, Clock clock, FunctionInvoker functions, UsageMeter meter) {
        this.meter = requireNonNull(meter, "meter is null");
        this.store = requireNonNull(store, "store is null");
        store.onCommit(decoded::invalidate, RestApiStore.Kind.API, RestApiStore.Kind.STAGE);
        this.clock = requireNonNull(clock, "clock is null");
        this.lambda = new LambdaIntegration(functions);
        this.authorizers = new LambdaAuthorizers(functions, clock);
    }

    HttpResponse invoke(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request) {
        HttpResponse response = route(context, apiId, location, request);
        return response.header("x-amzn-RequestId", context.requestId()).header("x-amz-apigw-id", context.requestId().substring(0, 8));
    }

    private HttpResponse route(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request) {
        ApiKey key = new ApiKey(location.accountId(), location.region(), apiId);
        Optional<RestApi> api = decoded.get(key, () -> RestApiStore.api(store.reader(), key));
        if (api.isEmpty()) {
            return GatewayResponses.message(404, "Not Found").header("x-amzn-ErrorType", "NotFoundException");
        }
        if (Boolean.TRUE.equals(api.get().disableExecuteApiEndpoint())) {
            return forbidden();
        }
        List<String> segments = segments(request.rawPath());
        if (segments.isEmpty()) {
            return forbidden();
        }
        String stageName = segments.getFirst();
        Optional<Stage> stage = decoded.get(java.util.List.of(key, stageName), () -> RestApiStore.stage(store.reader(), key, stageName));
        if (stage.isEmpty()) {
            return forbidden();
        }
        Optional<Deployed> deployed = deployed(key, stage.get().deploymentId());
        List<String> path = segments.subList(1, segments.size());
        Optional<ResourceMatcher.Match> match = deployed.flatMap(d -> d.matcher().match(request.method(), path));
        Map<String, String> stageVariables = stage.get().variables() == null ? Map.of() : stage.get().variables();
        try {
            if (match.isEmpty() || match.get().method().methodIntegration() == null) {
                throw GatewayError.missingAuthenticationToken();
            }
            byte[] body = request.bodyBytes(MAX_BODY_BYTES);
            var call = new Invocation(location.accountId(), location.region(), apiId, stageName, stageVariables, match.get(), request, body,
                    "/" + String.join("/", path), context.requestId(), clock.instant(),
                    request.header("host").orElse(apiId + ".execute-api.localhost"), request.sourceIp(),
                    binary(api.get(), request.mediaType()), Map.of(), IamCaller.of(context).orElse(null));
            throttle(call, stage.get());
            return integrate(call, deployed.get(), stage.get().deploymentId());
        } catch (GatewayError error) {
            var sources = new GatewayResponseRenderer.Sources(request, apiId, stageName, stageVariables,
                    match.map(ResourceMatcher.Match::pathParameters).orElse(Map.of()), context.requestId());
            return GatewayResponseRenderer.render(error, deployed.map(Deployed::gatewayResponses).orElse(Map.of()), sources);
        }
    }

    /**
     * An {@code AWS_IAM} method takes signed requests only (the edge checked the signature with
     * {@code --auth sigv4}), from the API's own account: Stratus has no IAM policies to grant more,
     * and no API resource policies to let other accounts in.
     */
    private static void authorizeSigner(Invocation call) throws GatewayError {
        if (call.signer() == null) {
            throw GatewayError.missingAuthenticationToken();
        }
        if (!call.signer().accountId().equals(call.accountId())) {
            throw GatewayError.accessDenied("User: " + call.signer().userArn() + " is not authorized to perform: execute-api:Invoke on resource: "
                    + call.methodArn());
        }
    }

    /** The method's authorizer and API key check, then its integration. */
    private HttpResponse integrate(Invocation call, Deployed deployed, String deploymentId) throws GatewayError {
        var method = call.match().method();
        if ("AWS_IAM".equals(method.authorizationType())) {
            authorizeSigner(call);
        }
        if ("CUSTOM".equals(method.authorizationType())) {
            Authorizer authorizer = deployed.authorizers().get(method.authorizerId());
            if (authorizer == null) {
                throw GatewayError.authorizerConfiguration();
            }
            switch (authorizers.authorize(call, authorizer, deploymentId)) {
                case LambdaAuthorizers.Decision.Refused refused -> throw refused.error();
                case LambdaAuthorizers.Decision.Allowed allowed -> call = call.withAuthorizer(allowed.authorizer());
            }
        }
        if (Boolean.TRUE.equals(method.apiKeyRequired())) {
            meter(call);
        }
        RequestValidator validator = method.requestValidatorId() == null ? null : deployed.validators().get(method.requestValidatorId());
        if (validator != null && Boolean.TRUE.equals(validator.validateRequestParameters())) {
            List<String> missing = RequestValidatorOperations.missingParameters(method, call.request(), call.match().pathParameters());
            if (!missing.isEmpty()) {
                throw GatewayError.missingParameters(missing);
            }
        }
        if (validator != null && Boolean.TRUE.equals(validator.validateRequestBody())) {
            Optional<String> model = ModelSchemas.modelFor(method.requestModels(), call.request().mediaType());
            if (model.isPresent()) {
                ModelSchemas.Result result = deployed.schemas().validate(model.get(), call.body());
                if (!result.valid()) {
                    throw GatewayError.badRequestBody(result.validationErrorString());
                }
            }
        }
        return switch (method.methodIntegration().type()) {
            case "MOCK" -> mock(call);
            case "AWS_PROXY" -> lambda.proxy(call);
            case "AWS" -> lambda.custom(call);
            case "HTTP_PROXY" -> http.proxy(call);
            case "HTTP" -> http.custom(call);
            default -> throw GatewayError.internalError();
        };
    }

    /** The stage's throttling method settings, for every call whether or not it has an API key. */
    private void throttle(Invocation call, Stage stage) throws GatewayError {
        var limits = StageThrottling.limits(stage.methodSettings(), call.match().resource().path(), call.match().method().httpMethod());
        if (limits != null && !meter.take("stage|" + call.accountId() + "|" + call.region() + "|" + call.apiId() + "|" + call.stage() + "|" + limits.getKey(),
                limits.getValue())) {
            throw GatewayError.throttled();
        }
    }

    /**
     * The API key check of a method that requires one: an enabled key in a usage plan of the stage,
     * within the plan's throttling (the stage's limits for the method, if the plan sets some, else
     * the plan's) and quota.
     */
    private void meter(Invocation call) throws GatewayError {
        var admission = UsagePlanOperations.admission(store.reader(), call.accountId(), call.region(), call.apiId(), call.stage(),
                call.request().header("x-api-key").orElse(null));
        if (admission.isEmpty()) {
            throw GatewayError.invalidApiKey();
        }
        String methodKey = call.match().resource().path() + "/" + call.match().method().httpMethod();
        var methods = admission.get().stage().throttle();
        UsagePlanModel.ThrottleSettings methodThrottle = methods == null ? null
                : methods.getOrDefault(methodKey, methods.get("*/*"));
        UsageMeter.Refusal refusal = meter.admit(call.accountId(), call.region(), admission.get().plan(), admission.get().key().id(),
                methods != null && methods.containsKey(methodKey) ? methodKey : "*/*", methodThrottle);
        if (refusal != null) {
            throw switch (refusal) {
                case THROTTLED -> GatewayError.throttled();
                case QUOTA_EXCEEDED -> GatewayError.quotaExceeded();
            };
        }
    }

    /**
     * Runs a method's integration as the resource tree is now, for TestInvokeMethod: no stage, no
     * authorizer, no API key.
     */
    HttpResponse testInvoke(RequestContext context, ApiKey key, Resource resource, Method method, Map<String, String> pathParameters,
            HttpRequest request, Map<String, String> stageVariables) {
        RestApi api = RestApiOperations.api(store.reader(), key);
        var match = new ResourceMatcher.Match(resource, method, pathParameters);
        var call = new Invocation(key.accountId(), key.region(), key.apiId(), "test-invoke-stage", stageVariables, match, request,
                request.bodyBytes(MAX_BODY_BYTES), request.path(), context.requestId(), clock.instant(),
                key.apiId() + ".execute-api.localhost", "test-invoke-source-ip", binary(api, request.mediaType()), Map.of(),
                IamCaller.of(context).orElse(null));
        try {
            return switch (method.methodIntegration().type()) {
                case "MOCK" -> mock(call);
                case "AWS_PROXY" -> lambda.proxy(call);
                case "AWS" -> lambda.custom(call);
                case "HTTP_PROXY" -> http.proxy(call);
                case "HTTP" -> http.custom(call);
                default -> throw GatewayError.internalError();
            };
        } catch (GatewayError error) {
            return error.response();
        }
    }

    /** Releases the HTTP integrations' client; calls in flight fail. */
    void close() {
        http.close();
        lambda.close();
    }

    /** A MOCK integration: the request template's {@code statusCode} chooses the integration response. */
    /** The status each rendered MOCK request template asks for: most are the same text call after call. */
    private static final Map<String, Integer> MOCK_STATUSES = new java.util.concurrent.ConcurrentHashMap<>();

    private static HttpResponse mock(Invocation call) throws GatewayError {
        String rendered = IntegrationMapping.requestBody(call);
        int status = 200;
        if (!call.integration().templates().isEmpty()) {
            Integer known = MOCK_STATUSES.get(rendered);
            if (known == null) {
                Object parsed = TemplateValues.toJava(TemplateValues.parse(rendered));
                if (!(parsed instanceof Map<?, ?> map) || !(map.get("statusCode") instanceof Number number)) {
                    throw GatewayError.internalError();
                }
                known = number.intValue();
                if (MOCK_STATUSES.size() >= 1024) {
                    MOCK_STATUSES.clear();
                }
                MOCK_STATUSES.put(rendered, known);
            }
            status = known;
        }
        return IntegrationMapping.respond(call, Integer.toString(status), "", Map.of());
    }

    /** What a deployment serves, made ready for calls. */
    private record Deployed(ResourceMatcher matcher, Map<String, Authorizer> authorizers, Map<String, GatewayResponse> gatewayResponses,
            Map<String, RequestValidator> validators, ModelSchemas schemas) {}

    private Optional<Deployed> deployed(ApiKey key, String deploymentId) {
        String cacheKey = key.accountId() + "/" + key.region() + "/" + key.apiId() + "/" + deploymentId;
        Deployed cached = matchers.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Deployed> loaded = RestApiStore.deployment(store.reader(), key, deploymentId)
                .map(deployed -> new Deployed(new ResourceMatcher(deployed.resources()),
                        deployed.authorizers().stream().collect(java.util.stream.Collectors.toMap(Authorizer::id, a -> a)),
                        deployed.gatewayResponses().stream().collect(java.util.stream.Collectors.toMap(GatewayResponse::responseType, r -> r)),
                        deployed.validators().stream().collect(java.util.stream.Collectors.toMap(RequestValidator::id, v -> v)),
                        new ModelSchemas(key.apiId(), deployed.models())));
        loaded.ifPresent(m -> {
            if (matchers.size() >= MAX_CACHED_DEPLOYMENTS) {
                matchers.clear();
            }
            matchers.put(cacheKey, m);
        });
        return loaded;
    }

    /** The path's segments, percent-decoded; a trailing slash adds none. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.isEmpty()) {
            return segments;
        }
        String[] parts = path.split("/", -1);
        int count = parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
        for (int i = 0; i < count; i++) {
            segments.add(QueryString.decodePath(parts[i]));
        }
        return segments;
    }

    private static boolean binary(RestApi api, String mediaType) {
        if (api.binaryMediaTypes() == null || mediaType.isEmpty()) {
            return false;
        }
        for (String type : api.binaryMediaTypes()) {
            String wanted = type.toLowerCase(java.util.Locale.ROOT);
            if (wanted.equals("*/*") || wanted.equals(mediaType)
                    || (wanted.endsWith("/*") && mediaType.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                return true;
            }
        }
        return false;
    }


    private static HttpResponse forbidden() {
        return GatewayResponses.message(403, "Forbidden").header("x-amzn-ErrorType", "ForbiddenException");
    }
}
