package io.stratus.apigateway.http;

import java.util.List;
import java.util.Map;

/**
 * The resources of an HTTP API as they are stored: the API itself and its routes, integrations,
 * stages and deployments. Immutable values; changes make new ones.
 */
final class HttpApiResources {

    private HttpApiResources() {}

    /** A CORS configuration; null members were not set. */
    record Cors(Boolean allowCredentials, List<String> allowHeaders, List<String> allowMethods, List<String> allowOrigins,
            List<String> exposeHeaders, Integer maxAge) {}

    record Api(
            String apiId,
            String accountId,
            String region,
            String name,
            String protocolType,
            String description,
            String version,
            String routeSelectionExpression,
            String apiKeySelectionExpression,
            Cors corsConfiguration,
            boolean disableExecuteApiEndpoint,
            boolean disableSchemaValidation,
            String createdDate,
            Map<String, String> tags) {

        Api {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    record Route(
            String routeId,
            String routeKey,
            String target,
            String authorizationType,
            String authorizerId,
            List<String> authorizationScopes,
            boolean apiKeyRequired,
            String operationName,
            boolean apiGatewayManaged) {

        Route {
            authorizationType = authorizationType == null ? "NONE" : authorizationType;
            authorizationScopes = authorizationScopes == null ? List.of() : List.copyOf(authorizationScopes);
        }

        /** The integration this route targets ({@code integrations/<id>}), or null. */
        String integrationId() {
            return target != null && target.startsWith("integrations/") ? target.substring("integrations/".length()) : null;
        }
    }

    /**
     * Which route holds a route key: one store key per route key, so that two routes created at
     * once with the same key conflict in the store rather than both succeed.
     */
    record RouteKeyClaim(String routeId) {}

    record Integration(
            String integrationId,
            String integrationType,
            String integrationUri,
            String integrationMethod,
            String payloadFormatVersion,
            int timeoutInMillis,
            String connectionType,
            String description,
            Map<String, String> requestParameters,
            boolean apiGatewayManaged) {

        Integration {
            requestParameters = requestParameters == null ? Map.of() : Map.copyOf(requestParameters);
        }
    }

    record Stage(
            String stageName,
            boolean autoDeploy,
            String deploymentId,
            String description,
            Map<String, String> stageVariables,
            String createdDate,
            String lastUpdatedDate,
            Map<String, String> tags,
            boolean apiGatewayManaged) {

        static final String DEFAULT = "$default";

        Stage {
            stageVariables = stageVariables == null ? Map.of() : Map.copyOf(stageVariables);
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /** A JWT authorizer's issuer and the audiences it accepts. */
    record JwtConfiguration(List<String> audience, String issuer) {}

    /**
     * A JWT authorizer, or a Lambda authorizer ({@code REQUEST}) with its function's URI, payload
     * format and whether the function answers simply ({@code isAuthorized}) or with a policy.
     */
    record Authorizer(
            String authorizerId,
            String name,
            String authorizerType,
            List<String> identitySource,
            JwtConfiguration jwtConfiguration,
            String authorizerUri,
            String authorizerPayloadFormatVersion,
            boolean enableSimpleResponses,
            int authorizerResultTtlInSeconds) {

        Authorizer {
            identitySource = identitySource == null ? List.of() : List.copyOf(identitySource);
        }
    }

    /** A deployment: the routes, integrations and authorizers of the API as they were when it was made. */
    record Deployment(
            String deploymentId,
            String description,
            String createdDate,
            boolean autoDeployed,
            List<Route> routes,
            List<Integration> integrations,
            List<Authorizer> authorizers) {

        Deployment {
            routes = routes == null ? List.of() : List.copyOf(routes);
            integrations = integrations == null ? List.of() : List.copyOf(integrations);
            authorizers = authorizers == null ? List.of() : List.copyOf(authorizers);
        }
    }
}
