package io.stratus.apigateway.http;

import static io.stratus.apigateway.http.HttpApiRules.badRequest;
import static io.stratus.apigateway.http.HttpApiRules.notYet;
import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.http.HttpApiModel.CreateIntegrationRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateRouteRequest;
import io.stratus.apigateway.http.HttpApiModel.Empty;
import io.stratus.apigateway.http.HttpApiModel.GetIntegrationsResponse;
import io.stratus.apigateway.http.HttpApiModel.GetRoutesResponse;
import io.stratus.apigateway.http.HttpApiModel.IntegrationRequest;
import io.stratus.apigateway.http.HttpApiModel.IntegrationResponse;
import io.stratus.apigateway.http.HttpApiModel.ListRequest;
import io.stratus.apigateway.http.HttpApiModel.RouteRequest;
import io.stratus.apigateway.http.HttpApiModel.RouteResponse;
import io.stratus.apigateway.http.HttpApiModel.UpdateIntegrationRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateRouteRequest;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The route and integration operations of the HTTP API control plane. Thread-safe. */
final class RouteOperations {

    private static final int ID_LENGTH = 7;

    private final HttpApiStore store;
    private final Clock clock;

    RouteOperations(HttpApiStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Deploys the API to its auto-deploying stages, inside the transaction that changed it. */
    private void autoDeploy(HttpApiStore.Writes writes, RequestContext context, String apiId) {
        AutoDeployments.deploy(writes, context.accountId(), context.region(), apiId, HttpApiRules.now(clock));
    }

    RouteResponse createRoute(RequestContext context, CreateRouteRequest request) {
        String routeKey = checkRouteKey(request.routeKey());
        checkUnsupported(request.apiKeyRequired(), request.requestModels(), request.requestParameters(), request.modelSelectionExpression(),
                request.routeResponseSelectionExpression());
        Route route = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            checkTarget(writes, context, request.apiId(), request.target());
            Authorization authorization = authorization(writes, context, request.apiId(), request.authorizationType(), request.authorizerId(),
                    request.authorizationScopes(), null);
            Route created = new Route(Ids.lowerAlphanumeric(ID_LENGTH), routeKey, request.target(), authorization.type(), authorization.authorizerId(),
                    authorization.scopes(), false, request.operationName(), false);
            claimKey(writes, context, request.apiId(), routeKey, created.routeId(), null);
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, created.routeId(), created);
            autoDeploy(writes, context, request.apiId());
            return created;
        });
        return response(route);
    }

    RouteResponse getRoute(RequestContext context, RouteRequest request) {
        HttpApiRules.requireApi(store, context, request.apiId());
        return response(store.<Route>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, request.routeId())
                .orElseThrow(() -> routeNotFound(request.routeId())));
    }

    GetRoutesResponse getRoutes(RequestContext context, ListRequest request) {
        HttpApiRules.Page page = HttpApiRules.page(request.maxResults(), request.nextToken());
        HttpApiRules.requireApi(store, context, request.apiId());
        List<Route> routes = store.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, page.after(), page.fetch());
        return new GetRoutesResponse(page.items(routes).stream().map(RouteOperations::response).toList(),
                page.nextToken(routes, Route::routeId));
    }

    RouteResponse updateRoute(RequestContext context, UpdateRouteRequest request) {
        String routeKey = request.routeKey() == null ? null : checkRouteKey(request.routeKey());
        checkUnsupported(request.apiKeyRequired(), request.requestModels(), request.requestParameters(), request.modelSelectionExpression(),
                request.routeResponseSelectionExpression());
        Route route = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Route current = writes.<Route>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, request.routeId())
                    .orElseThrow(() -> routeNotFound(request.routeId()));
            checkManaged(current.apiGatewayManaged(), "route");
            if (request.target() != null && !request.target().isEmpty()) {
                checkTarget(writes, context, request.apiId(), request.target());
            }
            if (routeKey != null) {
                claimKey(writes, context, request.apiId(), routeKey, current.routeId(), current.routeKey());
            }
            // An empty target detaches the route from its integration, as on AWS.
            String target = request.target() == null ? current.target() : (request.target().isEmpty() ? null : request.target());
            Authorization authorization = authorization(writes, context, request.apiId(), request.authorizationType(), request.authorizerId(),
                    request.authorizationScopes(), current);
            Route updated = new Route(current.routeId(), routeKey != null ? routeKey : current.routeKey(), target, authorization.type(),
                    authorization.authorizerId(), authorization.scopes(), current.apiKeyRequired(),
                    request.operationName() != null ? request.operationName() : current.operationName(), false);
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, updated.routeId(), updated);
            autoDeploy(writes, context, request.apiId());
            return updated;
        });
        return response(route);
    }

    Empty deleteRoute(RequestContext context, RouteRequest request) {
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Route current = writes.<Route>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, request.routeId())
                    .orElseThrow(() -> routeNotFound(request.routeId()));
            checkManaged(current.apiGatewayManaged(), "route");
            writes.deletePart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE, request.routeId());
            writes.deletePart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE_KEY, current.routeKey());
            autoDeploy(writes, context, request.apiId());
            return null;
        });
        return new Empty();
    }

    IntegrationResponse createIntegration(RequestContext context, CreateIntegrationRequest request) {
        checkUnsupported(request.integrationSubtype(), request.responseParameters(), request.requestTemplates(),
                request.templateSelectionExpression(), request.passthroughBehavior(), request.contentHandlingStrategy(), request.tlsConfig());
        Integration integration = IntegrationRules.check(Ids.lowerAlphanumeric(ID_LENGTH), request.integrationType(), request.integrationUri(),
                request.integrationMethod(), request.payloadFormatVersion(), request.timeoutInMillis(), request.connectionType(),
                request.description(), request.requestParameters(), false);
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION, integration.integrationId(), integration);
            autoDeploy(writes, context, request.apiId());
            return null;
        });
        return response(integration);
    }

    IntegrationResponse getIntegration(RequestContext context, IntegrationRequest request) {
        HttpApiRules.requireApi(store, context, request.apiId());
        return response(store.<Integration>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION,
                request.integrationId()).orElseThrow(() -> integrationNotFound(request.integrationId())));
    }

    GetIntegrationsResponse getIntegrations(RequestContext context, ListRequest request) {
        HttpApiRules.Page page = HttpApiRules.page(request.maxResults(), request.nextToken());
        HttpApiRules.requireApi(store, context, request.apiId());
        List<Integration> integrations = store.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION,
                page.after(), page.fetch());
        return new GetIntegrationsResponse(page.items(integrations).stream().map(RouteOperations::response).toList(),
                page.nextToken(integrations, Integration::integrationId));
    }

    IntegrationResponse updateIntegration(RequestContext context, UpdateIntegrationRequest request) {
        checkUnsupported(request.integrationSubtype(), request.responseParameters(), request.requestTemplates(),
                request.templateSelectionExpression(), request.passthroughBehavior(), request.contentHandlingStrategy(), request.tlsConfig());
        Integration integration = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Integration current = writes.<Integration>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION,
                    request.integrationId()).orElseThrow(() -> integrationNotFound(request.integrationId()));
            checkManaged(current.apiGatewayManaged(), "integration");
            String type = request.integrationType() != null ? request.integrationType() : current.integrationType();
            boolean sameType = type.equals(current.integrationType());
            Integration updated = IntegrationRules.check(current.integrationId(), type,
                    request.integrationUri() != null ? request.integrationUri() : current.integrationUri(),
                    request.integrationMethod() != null ? request.integrationMethod() : (sameType ? current.integrationMethod() : null),
                    request.payloadFormatVersion() != null ? request.payloadFormatVersion() : (sameType ? current.payloadFormatVersion() : null),
                    request.timeoutInMillis() != null ? request.timeoutInMillis() : current.timeoutInMillis(),
                    request.connectionType() != null ? request.connectionType() : current.connectionType(),
                    request.description() != null ? request.description() : current.description(),
                    request.requestParameters() != null ? request.requestParameters() : current.requestParameters(), false);
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION, updated.integrationId(), updated);
            autoDeploy(writes, context, request.apiId());
            return updated;
        });
        return response(integration);
    }

    Empty deleteIntegration(RequestContext context, IntegrationRequest request) {
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Integration current = writes.<Integration>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION,
                    request.integrationId()).orElseThrow(() -> integrationNotFound(request.integrationId()));
            checkManaged(current.apiGatewayManaged(), "integration");
            List<Route> routes = writes.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE);
            for (Route route : routes) {
                if (request.integrationId().equals(route.integrationId())) {
                    throw HttpApiRules.conflict("Integration %s is the target of route %s (%s); detach it first.",
                            request.integrationId(), route.routeId(), route.routeKey());
                }
            }
            writes.deletePart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION, request.integrationId());
            autoDeploy(writes, context, request.apiId());
            return null;
        });
        return new Empty();
    }

    private static String checkRouteKey(String routeKey) {
        HttpApiRules.required(routeKey, "routeKey");
        if (RouteKey.parse(routeKey).isEmpty()) {
            throw badRequest("Invalid route key: %s", routeKey);
        }
        return routeKey;
    }

    private static void checkUnsupported(Boolean apiKeyRequired, com.fasterxml.jackson.databind.JsonNode requestModels,
            com.fasterxml.jackson.databind.JsonNode requestParameters, String modelSelectionExpression, String routeResponseSelectionExpression) {
        if (Boolean.TRUE.equals(apiKeyRequired)) {
            throw badRequest("API keys are not supported for HTTP APIs.");
        }
        notYet("Route request models and parameters (WebSocket APIs)", HttpApiRules.present(requestModels) || HttpApiRules.present(requestParameters)
                || modelSelectionExpression != null || routeResponseSelectionExpression != null);
    }

    /** How a route is authorized: its type, authorizer and scopes. */
    private record Authorization(String type, String authorizerId, List<String> scopes) {}

    /**
     * The authorization a create or update asks for, merged with the route's current one ({@code current}
     * null for a new route), checked against the API's authorizers.
     */
    private static Authorization authorization(HttpApiStore.Writes writes, RequestContext context, String apiId, String type, String authorizerId,
            List<String> scopes, Route current) {
        String newType = type != null ? type : (current == null ? "NONE" : current.authorizationType());
        if (!List.of("NONE", "JWT", "CUSTOM", "AWS_IAM").contains(newType)) {
            throw badRequest("Invalid authorizationType: %s (NONE, JWT, CUSTOM or AWS_IAM)", newType);
        }
        if (newType.equals("NONE")) {
            if (authorizerId != null && !authorizerId.isEmpty()) {
                throw badRequest("An authorizerId needs the authorizationType JWT or CUSTOM.");
            }
            if (scopes != null && !scopes.isEmpty()) {
                throw badRequest("authorizationScopes need the authorizationType JWT.");
            }
            return new Authorization("NONE", null, List.of());
        }
        if (newType.equals("AWS_IAM")) {
            if (authorizerId != null && !authorizerId.isEmpty()) {
                throw badRequest("An authorizerId needs the authorizationType JWT or CUSTOM.");
            }
            if (scopes != null && !scopes.isEmpty()) {
                throw badRequest("authorizationScopes need the authorizationType JWT.");
            }
            return new Authorization("AWS_IAM", null, List.of());
        }
        boolean sameType = current != null && newType.equals(current.authorizationType());
        String newAuthorizerId = authorizerId != null ? authorizerId : (sameType ? current.authorizerId() : null);
        if (newAuthorizerId == null || newAuthorizerId.isEmpty()) {
            throw badRequest("The authorizationType %s needs an authorizerId.", newType);
        }
        HttpApiResources.Authorizer authorizer = writes.<HttpApiResources.Authorizer>part(context.accountId(), context.region(), apiId,
                HttpApiStore.Kind.AUTHORIZER, newAuthorizerId).orElseThrow(() -> badRequest("Invalid authorizer identifier specified: %s", newAuthorizerId));
        String needed = newType.equals("JWT") ? "JWT" : "REQUEST";
        if (!authorizer.authorizerType().equals(needed)) {
            throw badRequest("The authorizationType %s needs a %s authorizer; %s is a %s authorizer.", newType, needed, newAuthorizerId,
                    authorizer.authorizerType());
        }
        List<String> newScopes = scopes != null ? scopes : (sameType ? current.authorizationScopes() : List.of());
        if (!newScopes.isEmpty() && !newType.equals("JWT")) {
            throw badRequest("authorizationScopes need the authorizationType JWT.");
        }
        return new Authorization(newType, newAuthorizerId, newScopes);
    }

    private static void checkUnsupported(String subtype, com.fasterxml.jackson.databind.JsonNode responseParameters,
            com.fasterxml.jackson.databind.JsonNode requestTemplates, String templateSelection, String passthrough, String contentHandling,
            com.fasterxml.jackson.databind.JsonNode tlsConfig) {
        notYet("AWS service integrations (integrationSubtype)", subtype != null);
        notYet("responseParameters", HttpApiRules.present(responseParameters));
        notYet("Mapping templates (WebSocket APIs)", HttpApiRules.present(requestTemplates) || templateSelection != null
                // WHEN_NO_MATCH, the default some tools always send, means nothing without templates.
                || (passthrough != null && !passthrough.equals("WHEN_NO_MATCH"))
                || contentHandling != null);
        notYet("tlsConfig (private integrations)", HttpApiRules.present(tlsConfig));
    }

    private static void checkTarget(HttpApiStore.Writes writes, RequestContext context, String apiId, String target) {
        if (target == null) {
            return;
        }
        if (!target.startsWith("integrations/")) {
            throw badRequest("Invalid target: %s (integrations/<integrationId>)", target);
        }
        String integrationId = target.substring("integrations/".length());
        if (writes.part(context.accountId(), context.region(), apiId, HttpApiStore.Kind.INTEGRATION, integrationId).isEmpty()) {
            throw badRequest("Invalid target: integration %s does not exist", integrationId);
        }
    }

    /** Claims {@code routeKey} for the route, releasing the key it held before (null: none); a key another route holds is a conflict. */
    static void claimKey(HttpApiStore.Writes writes, RequestContext context, String apiId, String routeKey, String routeId, String previousKey) {
        Optional<HttpApiResources.RouteKeyClaim> claim = writes.part(context.accountId(), context.region(), apiId, HttpApiStore.Kind.ROUTE_KEY, routeKey);
        if (claim.isPresent() && !claim.get().routeId().equals(routeId)) {
            throw HttpApiRules.conflict("Route with key %s already exists for this API", routeKey);
        }
        if (previousKey != null && !previousKey.equals(routeKey)) {
            writes.deletePart(context.accountId(), context.region(), apiId, HttpApiStore.Kind.ROUTE_KEY, previousKey);
        }
        writes.putPart(context.accountId(), context.region(), apiId, HttpApiStore.Kind.ROUTE_KEY, routeKey, new HttpApiResources.RouteKeyClaim(routeId));
    }

    private static void checkManaged(boolean managed, String what) {
        if (managed) {
            throw badRequest("Cannot modify or delete the %s of a quick-created API: it is managed by API Gateway.", what);
        }
    }

    private static AwsException routeNotFound(String routeId) {
        return HttpApiRules.notFound("Invalid Route identifier specified %s", routeId);
    }

    private static AwsException integrationNotFound(String integrationId) {
        return HttpApiRules.notFound("Invalid Integration identifier specified %s", integrationId);
    }

    static RouteResponse response(Route route) {
        return new RouteResponse(route.apiGatewayManaged() ? true : null, route.apiKeyRequired(),
                route.authorizationScopes().isEmpty() ? null : route.authorizationScopes(), route.authorizationType(), route.authorizerId(),
                route.operationName(), route.routeId(), route.routeKey(), route.target());
    }

    static IntegrationResponse response(Integration integration) {
        return new IntegrationResponse(integration.apiGatewayManaged() ? true : null, integration.connectionType(), integration.description(),
                integration.integrationId(), integration.integrationMethod(), integration.integrationType(), integration.integrationUri(),
                integration.payloadFormatVersion(), integration.requestParameters().isEmpty() ? null : integration.requestParameters(),
                integration.timeoutInMillis());
    }
}
