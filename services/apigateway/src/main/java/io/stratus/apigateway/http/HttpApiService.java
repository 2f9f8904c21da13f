package io.stratus.apigateway.http;

import static io.stratus.apigateway.http.HttpApiRules.badRequest;
import static io.stratus.apigateway.http.HttpApiRules.notYet;
import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.ApiInvoker;
import io.stratus.apigateway.http.HttpApiModel.ApiRequest;
import io.stratus.apigateway.http.HttpApiModel.ApiResponse;
import io.stratus.apigateway.http.HttpApiModel.AuthorizerRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateApiRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateAuthorizerRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateDeploymentRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateIntegrationRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateRouteRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateStageRequest;
import io.stratus.apigateway.http.HttpApiModel.DeploymentRequest;
import io.stratus.apigateway.http.HttpApiModel.Empty;
import io.stratus.apigateway.http.HttpApiModel.GetApisRequest;
import io.stratus.apigateway.http.HttpApiModel.GetApisResponse;
import io.stratus.apigateway.http.HttpApiModel.GetTagsRequest;
import io.stratus.apigateway.http.HttpApiModel.GetTagsResponse;
import io.stratus.apigateway.http.HttpApiModel.IntegrationRequest;
import io.stratus.apigateway.http.HttpApiModel.ListRequest;
import io.stratus.apigateway.http.HttpApiModel.RouteRequest;
import io.stratus.apigateway.http.HttpApiModel.StageRequest;
import io.stratus.apigateway.http.HttpApiModel.TagResourceRequest;
import io.stratus.apigateway.http.HttpApiModel.UntagResourceRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateApiRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateAuthorizerRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateDeploymentRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateIntegrationRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateRouteRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateStageRequest;
import io.stratus.apigateway.http.HttpApiResources.Api;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.http.HttpApiResources.Stage;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.storage.Store;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP APIs (API Gateway v2, {@code /v2/apis/…}): the control plane of APIs, routes, integrations,
 * stages, deployments, authorizers and tags, and the invoke URLs of the APIs ({@link HttpApiInvoker}).
 * WebSocket APIs are refused clearly. Thread-safe.
 */
public final class HttpApiService implements StratusService, ApiInvoker {

    static final String HTTP = "HTTP";
    private static final Pattern API_ARN = Pattern.compile("arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/apis/([a-z0-9]+)(/stages/([^/]+))?");

    private final HttpApiStore store;
    private final Clock clock;
    private final ApiDirectory directory;
    private final RouteOperations routes;
    private final StageOperations stages;
    private final AuthorizerOperations authorizers;
    private final HttpApiInvoker invoker;
    private final ServiceDefinition definition;

    public HttpApiService(Store store, Clock clock, ApiDirectory directory, FunctionInvoker functions) {
        this.store = new HttpApiStore(requireNonNull(store, "store is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.routes = new RouteOperations(this.store, clock);
        this.stages = new StageOperations(this.store, clock);
        this.authorizers = new AuthorizerOperations(this.store, clock);
        this.invoker = new HttpApiInvoker(this.store, clock, requireNonNull(functions, "functions is null"));
        this.definition = UnsupportedOperations.declare(ServiceDefinition.builder("apigatewayv2"))
                .signingName("apigateway")
                .protocol(Protocol.REST_JSON_1)
                .naming(MemberNaming.CAMEL_CASE)
                .operation("CreateApi", "POST", "/v2/apis", 201, CreateApiRequest.class, this::createApi)
                .operation("GetApi", "GET", "/v2/apis/{apiId}", 200, ApiRequest.class, this::getApi)
                .operation("GetApis", "GET", "/v2/apis", 200, GetApisRequest.class, this::getApis)
                .operation("UpdateApi", "PATCH", "/v2/apis/{apiId}", 200, UpdateApiRequest.class, this::updateApi)
                .operation("DeleteApi", "DELETE", "/v2/apis/{apiId}", 204, ApiRequest.class, this::deleteApi)
                .operation("DeleteCorsConfiguration", "DELETE", "/v2/apis/{apiId}/cors", 204, ApiRequest.class, this::deleteCorsConfiguration)
                .operation("CreateRoute", "POST", "/v2/apis/{apiId}/routes", 201, CreateRouteRequest.class, routes::createRoute)
                .operation("GetRoute", "GET", "/v2/apis/{apiId}/routes/{routeId}", 200, RouteRequest.class, routes::getRoute)
                .operation("GetRoutes", "GET", "/v2/apis/{apiId}/routes", 200, ListRequest.class, routes::getRoutes)
                .operation("UpdateRoute", "PATCH", "/v2/apis/{apiId}/routes/{routeId}", 200, UpdateRouteRequest.class, routes::updateRoute)
                .operation("DeleteRoute", "DELETE", "/v2/apis/{apiId}/routes/{routeId}", 204, RouteRequest.class, routes::deleteRoute)
                .operation("CreateIntegration", "POST", "/v2/apis/{apiId}/integrations", 201, CreateIntegrationRequest.class, routes::createIntegration)
                .operation("GetIntegration", "GET", "/v2/apis/{apiId}/integrations/{integrationId}", 200, IntegrationRequest.class, routes::getIntegration)
                .operation("GetIntegrations", "GET", "/v2/apis/{apiId}/integrations", 200, ListRequest.class, routes::getIntegrations)
                .operation("UpdateIntegration", "PATCH", "/v2/apis/{apiId}/integrations/{integrationId}", 200,
                        UpdateIntegrationRequest.class, routes::updateIntegration)
                .operation("DeleteIntegration", "DELETE", "/v2/apis/{apiId}/integrations/{integrationId}", 204,
                        IntegrationRequest.class, routes::deleteIntegration)
                .operation("CreateStage", "POST", "/v2/apis/{apiId}/stages", 201, CreateStageRequest.class, stages::createStage)
                .operation("GetStage", "GET", "/v2/apis/{apiId}/stages/{stageName}", 200, StageRequest.class, stages::getStage)
                .operation("GetStages", "GET", "/v2/apis/{apiId}/stages", 200, ListRequest.class, stages::getStages)
                .operation("UpdateStage", "PATCH", "/v2/apis/{apiId}/stages/{stageName}", 200, UpdateStageRequest.class, stages::updateStage)
                .operation("DeleteStage", "DELETE", "/v2/apis/{apiId}/stages/{stageName}", 204, StageRequest.class, stages::deleteStage)
                .operation("CreateDeployment", "POST", "/v2/apis/{apiId}/deployments", 201, CreateDeploymentRequest.class, stages::createDeployment)
                .operation("GetDeployment", "GET", "/v2/apis/{apiId}/deployments/{deploymentId}", 200, DeploymentRequest.class, stages::getDeployment)
                .operation("GetDeployments", "GET", "/v2/apis/{apiId}/deployments", 200, ListRequest.class, stages::getDeployments)
                .operation("UpdateDeployment", "PATCH", "/v2/apis/{apiId}/deployments/{deploymentId}", 200,
                        UpdateDeploymentRequest.class, stages::updateDeployment)
                .operation("DeleteDeployment", "DELETE", "/v2/apis/{apiId}/deployments/{deploymentId}", 204,
                        DeploymentRequest.class, stages::deleteDeployment)
                .operation("TagResource", "POST", "/v2/tags/{resource-arn}", 201, TagResourceRequest.class, this::tagResource)
                .operation("GetTags", "GET", "/v2/tags/{resource-arn}", 200, GetTagsRequest.class, this::getTags)
                .operation("UntagResource", "DELETE", "/v2/tags/{resource-arn}", 204, UntagResourceRequest.class, this::untagResource)
                .operation("CreateAuthorizer", "POST", "/v2/apis/{apiId}/authorizers", 201, CreateAuthorizerRequest.class, authorizers::createAuthorizer)
                .operation("GetAuthorizer", "GET", "/v2/apis/{apiId}/authorizers/{authorizerId}", 200, AuthorizerRequest.class, authorizers::getAuthorizer)
                .operation("GetAuthorizers", "GET", "/v2/apis/{apiId}/authorizers", 200, ListRequest.class, authorizers::getAuthorizers)
                .operation("UpdateAuthorizer", "PATCH", "/v2/apis/{apiId}/authorizers/{authorizerId}", 200,
                        UpdateAuthorizerRequest.class, authorizers::updateAuthorizer)
                .operation("DeleteAuthorizer", "DELETE", "/v2/apis/{apiId}/authorizers/{authorizerId}", 204,
                        AuthorizerRequest.class, authorizers::deleteAuthorizer)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    @Override
    public HttpResponse invoke(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request) {
        return invoker.invoke(context, apiId, location, request);
    }

    ApiResponse createApi(RequestContext context, CreateApiRequest request) {
        HttpApiRules.checkName(request.name());
        String protocolType = HttpApiRules.required(request.protocolType(), "protocolType");
        if (protocolType.equals("WEBSOCKET")) {
            throw io.stratus.core.AwsException.of(io.stratus.apigateway.ApiGatewayErrors.NOT_IMPLEMENTED,
                    "WebSocket APIs are not supported by Stratus yet: only the protocolType HTTP is.");
        }
        if (!protocolType.equals(HTTP)) {
            throw badRequest("Invalid protocolType: %s (HTTP or WEBSOCKET)", protocolType);
        }
        checkSelectionExpressions(request.routeSelectionExpression(), request.apiKeySelectionExpression());
        notYet("disableExecuteApiEndpoint", Boolean.TRUE.equals(request.disableExecuteApiEndpoint()));
        notYet("ipAddressType " + request.ipAddressType(), request.ipAddressType() != null && !request.ipAddressType().equals("ipv4"));
        if (request.target() == null && (request.routeKey() != null || request.credentialsArn() != null)) {
            throw badRequest("routeKey and credentialsArn are only allowed with a target (quick create).");
        }
        HttpApiResources.Cors cors = HttpApiRules.checkCors(request.corsConfiguration());
        Map<String, String> tags = HttpApiRules.checkTags(request.tags());
        String now = HttpApiRules.now(clock);
        QuickCreate quick = request.target() == null ? null : quickCreate(request.target(), request.routeKey(), now);
        Api api = store.transaction(writes -> {
            String apiId = directory.register(writes.transaction(),
                    new ApiDirectory.Location(context.accountId(), context.region(), ApiDirectory.Kind.HTTP));
            Api created = new Api(apiId, context.accountId(), context.region(), request.name(), HTTP, request.description(),
                    request.version(), "$request.method $request.path", "$request.header.x-api-key", cors, false,
                    Boolean.TRUE.equals(request.disableSchemaValidation()), now, tags);
            writes.putApi(created);
            if (quick != null) {
                writes.putPart(context.accountId(), context.region(), apiId, HttpApiStore.Kind.INTEGRATION, quick.integration().integrationId(), quick.integration());
                writes.putPart(context.accountId(), context.region(), apiId, HttpApiStore.Kind.ROUTE, quick.route().routeId(), quick.route());
                RouteOperations.claimKey(writes, context, apiId, quick.route().routeKey(), quick.route().routeId(), null);
                AutoDeployments.deploy(writes, context.accountId(), context.region(), apiId, quick.stage(), now);
            }
            return created;
        });
        return response(api, request.host());
    }

    private record QuickCreate(Integration integration, Route route, Stage stage) {}

    /** The integration, route and auto-deployed {@code $default} stage AWS makes for an API created with a target. */
    private QuickCreate quickCreate(String target, String routeKey, String now) {
        String key = routeKey == null ? RouteKey.DEFAULT : routeKey;
        if (RouteKey.parse(key).isEmpty()) {
            throw badRequest("Invalid route key: %s", key);
        }
        String integrationId = Ids.lowerAlphanumeric(7);
        Integration integration = IntegrationRules.isFunction(target)
                ? IntegrationRules.check(integrationId, IntegrationRules.AWS_PROXY, target, null, "2.0", null, null, null, null, true)
                : IntegrationRules.check(integrationId, IntegrationRules.HTTP_PROXY, target, "ANY", null, null, null, null, null, true);
        Route route = new Route(Ids.lowerAlphanumeric(7), key, "integrations/" + integrationId, "NONE", null, List.of(), false, null, true);
        Stage stage = new Stage(Stage.DEFAULT, true, null, null, Map.of(), now, now, Map.of(), true);
        return new QuickCreate(integration, route, stage);
    }

    private static void checkSelectionExpressions(String routeSelection, String apiKeySelection) {
        if (routeSelection != null && !routeSelection.equals("$request.method $request.path")) {
            throw badRequest("HTTP APIs support only the routeSelectionExpression $request.method $request.path.");
        }
        if (apiKeySelection != null && !apiKeySelection.equals("$request.header.x-api-key") && !apiKeySelection.equals("$context.authorizer.usageIdentifierKey")) {
            throw badRequest("Invalid apiKeySelectionExpression: %s", apiKeySelection);
        }
    }

    ApiResponse getApi(RequestContext context, ApiRequest request) {
        return response(HttpApiRules.requireApi(store, context, request.apiId()), request.host());
    }

    GetApisResponse getApis(RequestContext context, GetApisRequest request) {
        HttpApiRules.Page page = HttpApiRules.page(request.maxResults(), request.nextToken());
        List<Api> apis = store.apis(context.accountId(), context.region(), page.after(), page.fetch());
        return new GetApisResponse(page.items(apis).stream().map(api -> response(api, request.host())).toList(),
                page.nextToken(apis, Api::apiId));
    }

    ApiResponse updateApi(RequestContext context, UpdateApiRequest request) {
        if (request.name() != null) {
            HttpApiRules.checkName(request.name());
        }
        checkSelectionExpressions(request.routeSelectionExpression(), request.apiKeySelectionExpression());
        notYet("disableExecuteApiEndpoint", Boolean.TRUE.equals(request.disableExecuteApiEndpoint()));
        notYet("Changing the target of a quick-created API", request.target() != null || request.routeKey() != null || request.credentialsArn() != null);
        HttpApiResources.Cors cors = HttpApiRules.checkCors(request.corsConfiguration());
        Api api = store.transaction(writes -> {
            Api current = HttpApiRules.requireApi(writes, context, request.apiId());
            Api updated = new Api(current.apiId(), current.accountId(), current.region(),
                    request.name() != null ? request.name() : current.name(), current.protocolType(),
                    request.description() != null ? request.description() : current.description(),
                    request.version() != null ? request.version() : current.version(),
                    current.routeSelectionExpression(), current.apiKeySelectionExpression(),
                    cors != null ? cors : current.corsConfiguration(), current.disableExecuteApiEndpoint(),
                    request.disableSchemaValidation() != null ? request.disableSchemaValidation() : current.disableSchemaValidation(),
                    current.createdDate(), current.tags());
            writes.putApi(updated);
            return updated;
        });
        return response(api, request.host());
    }

    Empty deleteApi(RequestContext context, ApiRequest request) {
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            writes.deleteApi(context.accountId(), context.region(), request.apiId());
            directory.unregister(writes.transaction(), request.apiId());
            return null;
        });
        return new Empty();
    }

    Empty deleteCorsConfiguration(RequestContext context, ApiRequest request) {
        store.transaction(writes -> {
            Api current = HttpApiRules.requireApi(writes, context, request.apiId());
            writes.putApi(new Api(current.apiId(), current.accountId(), current.region(), current.name(), current.protocolType(),
                    current.description(), current.version(), current.routeSelectionExpression(), current.apiKeySelectionExpression(),
                    null, current.disableExecuteApiEndpoint(), current.disableSchemaValidation(), current.createdDate(), current.tags()));
            return null;
        });
        return new Empty();
    }

    Empty tagResource(RequestContext context, TagResourceRequest request) {
        Map<String, String> added = HttpApiRules.checkTags(request.tags());
        changeTags(context, request.resourceArn(), tags -> tags.putAll(added));
        return new Empty();
    }

    GetTagsResponse getTags(RequestContext context, GetTagsRequest request) {
        return new GetTagsResponse(changeTags(context, request.resourceArn(), tags -> {}));
    }

    Empty untagResource(RequestContext context, UntagResourceRequest request) {
        List<String> keys = HttpApiRules.orEmpty(request.tagKeys());
        changeTags(context, request.resourceArn(), tags -> keys.forEach(tags::remove));
        return new Empty();
    }

    /** Applies {@code change} to the tags of the API or stage the ARN names; returns the tags after. */
    private Map<String, String> changeTags(RequestContext context, String resourceArn, java.util.function.Consumer<Map<String, String>> change) {
        Matcher arn = API_ARN.matcher(resourceArn == null ? "" : resourceArn);
        if (!arn.matches()) {
            throw badRequest("Invalid resource ARN: %s", resourceArn);
        }
        if (!arn.group(1).equals(context.region())) {
            throw HttpApiRules.notFound("Invalid resource ARN: %s is not in %s", resourceArn, context.region());
        }
        String apiId = arn.group(2);
        String stageName = arn.group(4);
        return store.transaction(writes -> {
            Api api = HttpApiRules.requireApi(writes, context, apiId);
            if (stageName == null) {
                Map<String, String> tags = new HashMap<>(api.tags());
                change.accept(tags);
                HttpApiRules.checkTags(tags);
                writes.putApi(new Api(api.apiId(), api.accountId(), api.region(), api.name(), api.protocolType(), api.description(),
                        api.version(), api.routeSelectionExpression(), api.apiKeySelectionExpression(), api.corsConfiguration(),
                        api.disableExecuteApiEndpoint(), api.disableSchemaValidation(), api.createdDate(), tags));
                return Map.copyOf(tags);
            }
            Stage stage = writes.<Stage>part(context.accountId(), context.region(), apiId, HttpApiStore.Kind.STAGE, stageName)
                    .orElseThrow(() -> HttpApiRules.notFound("Invalid stage identifier specified"));
            Map<String, String> tags = new HashMap<>(stage.tags());
            change.accept(tags);
            HttpApiRules.checkTags(tags);
            writes.putPart(context.accountId(), context.region(), apiId, HttpApiStore.Kind.STAGE, stageName,
                    new Stage(stage.stageName(), stage.autoDeploy(), stage.deploymentId(), stage.description(), stage.stageVariables(),
                            stage.createdDate(), stage.lastUpdatedDate(), tags, stage.apiGatewayManaged()));
            return Map.copyOf(tags);
        });
    }

    /** The invoke URL's host form, on the port the caller reached Stratus on. */
    static String apiEndpoint(String apiId, String host) {
        String port = "";
        if (host != null) {
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && !host.endsWith("]")) {
                port = host.substring(colon);
            }
        }
        return "http://" + apiId + ".execute-api.localhost" + port;
    }

    private static ApiResponse response(Api api, String host) {
        return new ApiResponse(apiEndpoint(api.apiId(), host), null, api.apiId(), api.apiKeySelectionExpression(), api.corsConfiguration(),
                api.createdDate(), api.description(), api.disableSchemaValidation(), api.disableExecuteApiEndpoint(), api.name(),
                api.protocolType(), api.routeSelectionExpression(), api.tags(), api.version(), "ipv4");
    }
}
