package io.stratus.apigateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.apigateway.http.HttpApiResources.Cors;
import io.stratus.apigateway.http.HttpApiResources.JwtConfiguration;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of the {@code apigatewayv2} operations on APIs, routes,
 * integrations, stages, deployments and tags, named as AWS names them. Members Stratus accepts only
 * to refuse clearly are typed {@link JsonNode}.
 */
final class HttpApiModel {

    private HttpApiModel() {}

    // APIs

    record CreateApiRequest(
            @HttpHeader("Host") String host,
            String name,
            String protocolType,
            String description,
            String version,
            String routeSelectionExpression,
            String apiKeySelectionExpression,
            Cors corsConfiguration,
            Boolean disableExecuteApiEndpoint,
            Boolean disableSchemaValidation,
            String target,
            String routeKey,
            String credentialsArn,
            Map<String, String> tags,
            String ipAddressType) {}

    record ApiRequest(@HttpHeader("Host") String host, @HttpLabel("apiId") String apiId) {}

    record GetApisRequest(@HttpHeader("Host") String host, @HttpQuery("maxResults") String maxResults, @HttpQuery("nextToken") String nextToken) {}

    record UpdateApiRequest(
            @HttpHeader("Host") String host,
            @HttpLabel("apiId") String apiId,
            String name,
            String description,
            String version,
            String routeSelectionExpression,
            String apiKeySelectionExpression,
            Cors corsConfiguration,
            Boolean disableExecuteApiEndpoint,
            Boolean disableSchemaValidation,
            String target,
            String routeKey,
            String credentialsArn) {}

    record ApiResponse(
            String apiEndpoint,
            Boolean apiGatewayManaged,
            String apiId,
            String apiKeySelectionExpression,
            Cors corsConfiguration,
            String createdDate,
            String description,
            Boolean disableSchemaValidation,
            Boolean disableExecuteApiEndpoint,
            String name,
            String protocolType,
            String routeSelectionExpression,
            Map<String, String> tags,
            String version,
            String ipAddressType) {}

    record GetApisResponse(List<ApiResponse> items, String nextToken) {}

    record Empty() {}

    // Routes

    record CreateRouteRequest(
            @HttpLabel("apiId") String apiId,
            String routeKey,
            String target,
            String authorizationType,
            String authorizerId,
            List<String> authorizationScopes,
            Boolean apiKeyRequired,
            String operationName,
            JsonNode requestModels,
            JsonNode requestParameters,
            String modelSelectionExpression,
            String routeResponseSelectionExpression) {}

    record RouteRequest(@HttpLabel("apiId") String apiId, @HttpLabel("routeId") String routeId) {}

    record UpdateRouteRequest(
            @HttpLabel("apiId") String apiId,
            @HttpLabel("routeId") String routeId,
            String routeKey,
            String target,
            String authorizationType,
            String authorizerId,
            List<String> authorizationScopes,
            Boolean apiKeyRequired,
            String operationName,
            JsonNode requestModels,
            JsonNode requestParameters,
            String modelSelectionExpression,
            String routeResponseSelectionExpression) {}

    record RouteResponse(
            Boolean apiGatewayManaged,
            Boolean apiKeyRequired,
            List<String> authorizationScopes,
            String authorizationType,
            String authorizerId,
            String operationName,
            String routeId,
            String routeKey,
            String target) {}

    record ListRequest(@HttpLabel("apiId") String apiId, @HttpQuery("maxResults") String maxResults, @HttpQuery("nextToken") String nextToken) {}

    record GetRoutesResponse(List<RouteResponse> items, String nextToken) {}

    // Integrations

    record CreateIntegrationRequest(
            @HttpLabel("apiId") String apiId,
            String integrationType,
            String integrationUri,
            String integrationMethod,
            String integrationSubtype,
            String payloadFormatVersion,
            Integer timeoutInMillis,
            String connectionType,
            String connectionId,
            String description,
            Map<String, String> requestParameters,
            String credentialsArn,
            JsonNode responseParameters,
            JsonNode requestTemplates,
            String templateSelectionExpression,
            String passthroughBehavior,
            String contentHandlingStrategy,
            JsonNode tlsConfig) {}

    record IntegrationRequest(@HttpLabel("apiId") String apiId, @HttpLabel("integrationId") String integrationId) {}

    record UpdateIntegrationRequest(
            @HttpLabel("apiId") String apiId,
            @HttpLabel("integrationId") String integrationId,
            String integrationType,
            String integrationUri,
            String integrationMethod,
            String integrationSubtype,
            String payloadFormatVersion,
            Integer timeoutInMillis,
            String connectionType,
            String connectionId,
            String description,
            Map<String, String> requestParameters,
            String credentialsArn,
            JsonNode responseParameters,
            JsonNode requestTemplates,
            String templateSelectionExpression,
            String passthroughBehavior,
            String contentHandlingStrategy,
            JsonNode tlsConfig) {}

    record IntegrationResponse(
            Boolean apiGatewayManaged,
            String connectionType,
            String description,
            String integrationId,
            String integrationMethod,
            String integrationType,
            String integrationUri,
            String payloadFormatVersion,
            Map<String, String> requestParameters,
            Integer timeoutInMillis) {}

    record GetIntegrationsResponse(List<IntegrationResponse> items, String nextToken) {}

    // Stages

    record CreateStageRequest(
            @HttpLabel("apiId") String apiId,
            String stageName,
            Boolean autoDeploy,
            String deploymentId,
            String description,
            Map<String, String> stageVariables,
            Map<String, String> tags,
            JsonNode accessLogSettings,
            String clientCertificateId,
            JsonNode defaultRouteSettings,
            JsonNode routeSettings) {}

    record StageRequest(@HttpLabel("apiId") String apiId, @HttpLabel("stageName") String stageName) {}

    record UpdateStageRequest(
            @HttpLabel("apiId") String apiId,
            @HttpLabel("stageName") String stageName,
            Boolean autoDeploy,
            String deploymentId,
            String description,
            Map<String, String> stageVariables,
            JsonNode accessLogSettings,
            String clientCertificateId,
            JsonNode defaultRouteSettings,
            JsonNode routeSettings) {}

    record StageResponse(
            Boolean apiGatewayManaged,
            Boolean autoDeploy,
            String createdDate,
            String deploymentId,
            String description,
            String lastUpdatedDate,
            String stageName,
            Map<String, String> stageVariables,
            Map<String, String> tags) {}

    record GetStagesResponse(List<StageResponse> items, String nextToken) {}

    // Deployments

    record CreateDeploymentRequest(@HttpLabel("apiId") String apiId, String description, String stageName) {}

    record DeploymentRequest(@HttpLabel("apiId") String apiId, @HttpLabel("deploymentId") String deploymentId) {}

    record UpdateDeploymentRequest(@HttpLabel("apiId") String apiId, @HttpLabel("deploymentId") String deploymentId, String description) {}

    record DeploymentResponse(
            Boolean autoDeployed,
            String createdDate,
            String deploymentId,
            String deploymentStatus,
            String description) {}

    record GetDeploymentsResponse(List<DeploymentResponse> items, String nextToken) {}

    // Tags

    record TagResourceRequest(@HttpLabel("resource-arn") String resourceArn, Map<String, String> tags) {}

    record GetTagsRequest(@HttpLabel("resource-arn") String resourceArn) {}

    record GetTagsResponse(Map<String, String> tags) {}

    record UntagResourceRequest(@HttpLabel("resource-arn") String resourceArn, @HttpQuery("tagKeys") List<String> tagKeys) {}

    // Authorizers

    record CreateAuthorizerRequest(
            @HttpLabel("apiId") String apiId,
            String name,
            String authorizerType,
            List<String> identitySource,
            JwtConfiguration jwtConfiguration,
            String authorizerUri,
            String authorizerPayloadFormatVersion,
            Boolean enableSimpleResponses,
            Integer authorizerResultTtlInSeconds,
            String authorizerCredentialsArn,
            String identityValidationExpression) {}

    record AuthorizerRequest(@HttpLabel("apiId") String apiId, @HttpLabel("authorizerId") String authorizerId) {}

    record UpdateAuthorizerRequest(
            @HttpLabel("apiId") String apiId,
            @HttpLabel("authorizerId") String authorizerId,
            String name,
            String authorizerType,
            List<String> identitySource,
            JwtConfiguration jwtConfiguration,
            String authorizerUri,
            String authorizerPayloadFormatVersion,
            Boolean enableSimpleResponses,
            Integer authorizerResultTtlInSeconds,
            String authorizerCredentialsArn,
            String identityValidationExpression) {}

    record AuthorizerResponse(
            String authorizerId,
            String authorizerPayloadFormatVersion,
            Integer authorizerResultTtlInSeconds,
            String authorizerType,
            String authorizerUri,
            Boolean enableSimpleResponses,
            List<String> identitySource,
            JwtConfiguration jwtConfiguration,
            String name) {}

    record GetAuthorizersResponse(List<AuthorizerResponse> items, String nextToken) {}
}
