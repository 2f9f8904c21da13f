package io.stratus.apigateway.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The shapes of REST APIs as API Gateway names them on the wire (camelCase JSON). The same records
 * are what the store keeps, so a resource carries its methods, a method its responses and
 * integration, and an integration its responses: one value per resource.
 */
final class RestApiModel {

    private RestApiModel() {}

    record EndpointConfiguration(List<String> types, List<String> vpcEndpointIds) {}

    record RestApi(
            String id,
            String name,
            String description,
            Instant createdDate,
            String version,
            List<String> binaryMediaTypes,
            String apiKeySource,
            EndpointConfiguration endpointConfiguration,
            Map<String, String> tags,
            Boolean disableExecuteApiEndpoint,
            String rootResourceId) {}

    record Resource(String id, String parentId, String pathPart, String path, Map<String, Method> resourceMethods) {

        Resource withMethods(Map<String, Method> methods) {
            return new Resource(id, parentId, pathPart, path, methods.isEmpty() ? null : methods);
        }

        Map<String, Method> methods() {
            return resourceMethods == null ? Map.of() : resourceMethods;
        }

        /** {@code {name}} or {@code {name+}}: the segment is a path parameter. */
        boolean variable() {
            return pathPart != null && pathPart.startsWith("{");
        }

        /** {@code {name+}}: the segment takes the rest of the path. */
        boolean greedy() {
            return pathPart != null && pathPart.endsWith("+}");
        }

        /** The name of the path parameter a variable segment binds. */
        String parameterName() {
            return pathPart.substring(1, pathPart.length() - (greedy() ? 2 : 1));
        }
    }

    record Method(
            String httpMethod,
            String authorizationType,
            String authorizerId,
            Boolean apiKeyRequired,
            String requestValidatorId,
            String operationName,
            Map<String, Boolean> requestParameters,
            Map<String, String> requestModels,
            Map<String, MethodResponse> methodResponses,
            Integration methodIntegration,
            List<String> authorizationScopes) {

        Method withIntegration(Integration integration) {
            return new Method(httpMethod, authorizationType, authorizerId, apiKeyRequired, requestValidatorId, operationName,
                    requestParameters, requestModels, methodResponses, integration, authorizationScopes);
        }

        Method withResponses(Map<String, MethodResponse> responses) {
            return new Method(httpMethod, authorizationType, authorizerId, apiKeyRequired, requestValidatorId, operationName,
                    requestParameters, requestModels, responses.isEmpty() ? null : responses, methodIntegration, authorizationScopes);
        }

        Map<String, MethodResponse> responses() {
            return methodResponses == null ? Map.of() : methodResponses;
        }
    }

    record MethodResponse(String statusCode, Map<String, Boolean> responseParameters, Map<String, String> responseModels) {}

    record Integration(
            String type,
            @JsonProperty("httpMethod") String integrationHttpMethod,
            String uri,
            String connectionType,
            String connectionId,
            String credentials,
            Map<String, String> requestParameters,
            Map<String, String> requestTemplates,
            String passthroughBehavior,
            String contentHandling,
            Integer timeoutInMillis,
            String cacheNamespace,
            List<String> cacheKeyParameters,
            Map<String, IntegrationResponse> integrationResponses) {

        Integration withResponses(Map<String, IntegrationResponse> responses) {
            return new Integration(type, integrationHttpMethod, uri, connectionType, connectionId, credentials, requestParameters,
                    requestTemplates, passthroughBehavior, contentHandling, timeoutInMillis, cacheNamespace, cacheKeyParameters,
                    responses.isEmpty() ? null : responses);
        }

        Map<String, IntegrationResponse> responses() {
            return integrationResponses == null ? Map.of() : integrationResponses;
        }

        Map<String, String> templates() {
            return requestTemplates == null ? Map.of() : requestTemplates;
        }

        Map<String, String> parameters() {
            return requestParameters == null ? Map.of() : requestParameters;
        }
    }

    record IntegrationResponse(
            String statusCode,
            String selectionPattern,
            Map<String, String> responseParameters,
            Map<String, String> responseTemplates,
            String contentHandling) {}

    record Authorizer(
            String id,
            String name,
            String type,
            List<String> providerARNs,
            String authType,
            String authorizerUri,
            String authorizerCredentials,
            String identitySource,
            String identityValidationExpression,
            Integer authorizerResultTtlInSeconds) {}

    record GatewayResponse(String responseType, String statusCode, Map<String, String> responseParameters,
            Map<String, String> responseTemplates, Boolean defaultResponse) {}

    /** A JSON Schema (draft 4) for bodies of a content type; methods name it in {@code requestModels}. */
    record Model(String id, String name, String description, String schema, String contentType) {}

    record RequestValidator(String id, String name, Boolean validateRequestBody, Boolean validateRequestParameters) {}

    record MethodSnapshot(String authorizationType, Boolean apiKeyRequired) {}

    record Deployment(String id, String description, Instant createdDate, Map<String, Map<String, MethodSnapshot>> apiSummary) {}

    record Stage(
            String deploymentId,
            String clientCertificateId,
            String stageName,
            String description,
            Boolean cacheClusterEnabled,
            String cacheClusterStatus,
            Map<String, Object> methodSettings,
            Map<String, String> variables,
            Boolean tracingEnabled,
            Map<String, String> tags,
            Instant createdDate,
            Instant lastUpdatedDate) {}

    record PatchOperation(String op, String path, String value, String from) {}
}
