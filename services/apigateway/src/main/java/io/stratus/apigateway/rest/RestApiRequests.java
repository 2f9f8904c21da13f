package io.stratus.apigateway.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.apigateway.rest.RestApiModel.EndpointConfiguration;
import io.stratus.apigateway.rest.RestApiModel.PatchOperation;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiModel.Stage;
import io.stratus.apigateway.rest.RestApiModel.Deployment;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;
import java.util.Map;

/** The inputs of the REST API operations, and the list outputs, named as AWS names them. */
final class RestApiRequests {

    private RestApiRequests() {}

    /** The empty answer of the Delete operations. */
    record Empty() {}

    // RestApis

    record CreateRestApiRequest(
            String name,
            String description,
            String version,
            List<String> binaryMediaTypes,
            String apiKeySource,
            EndpointConfiguration endpointConfiguration,
            Map<String, String> tags,
            Boolean disableExecuteApiEndpoint,
            // Accepted on the wire only to be refused clearly: Stratus does not do these yet.
            String cloneFrom,
            Integer minimumCompressionSize,
            String policy) {}

    record RestApiRequest(@HttpLabel("restapi_id") String restApiId) {}

    record GetRestApisRequest(@HttpQuery("position") String position, @HttpQuery("limit") Integer limit) {}

    // AWS's model names the list member "items" but sends it as "item", as GetStages does.

    record RestApis(String position, @JsonProperty("item") List<RestApi> items) {}

    record UpdateRestApiRequest(@HttpLabel("restapi_id") String restApiId, List<PatchOperation> patchOperations) {}

    // Resources

    record CreateResourceRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("parent_id") String parentId, String pathPart) {}

    record ResourceRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            @HttpQuery("embed") List<String> embed) {}

    record GetResourcesRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit, @HttpQuery("embed") List<String> embed) {}

    record Resources(String position, @JsonProperty("item") List<Resource> items) {}

    record UpdateResourceRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            List<PatchOperation> patchOperations) {}

    // Methods and their responses

    record PutMethodRequest(
            @HttpLabel("restapi_id") String restApiId,
            @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod,
            String authorizationType,
            String authorizerId,
            Boolean apiKeyRequired,
            String operationName,
            Map<String, Boolean> requestParameters,
            Map<String, String> requestModels,
            String requestValidatorId,
            List<String> authorizationScopes) {}

    record MethodRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod) {}

    record UpdateMethodRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod, List<PatchOperation> patchOperations) {}

    record PutMethodResponseRequest(
            @HttpLabel("restapi_id") String restApiId,
            @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod,
            @HttpLabel("status_code") String statusCode,
            Map<String, Boolean> responseParameters,
            Map<String, String> responseModels) {}

    record UpdateStatusRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod, @HttpLabel("status_code") String statusCode, List<PatchOperation> patchOperations) {}

    record StatusRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod, @HttpLabel("status_code") String statusCode) {}

    // Integrations and their responses

    record PutIntegrationRequest(
            @HttpLabel("restapi_id") String restApiId,
            @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod,
            String type,
            @JsonProperty("httpMethod") String integrationHttpMethod,
            String uri,
            String connectionType,
            String connectionId,
            String credentials,
            Map<String, String> requestParameters,
            Map<String, String> requestTemplates,
            String passthroughBehavior,
            String cacheNamespace,
            List<String> cacheKeyParameters,
            String contentHandling,
            Integer timeoutInMillis,
            JsonNode tlsConfig) {}

    record UpdateIntegrationRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod, List<PatchOperation> patchOperations) {}

    record PutIntegrationResponseRequest(
            @HttpLabel("restapi_id") String restApiId,
            @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod,
            @HttpLabel("status_code") String statusCode,
            String selectionPattern,
            Map<String, String> responseParameters,
            Map<String, String> responseTemplates,
            String contentHandling) {}

    // Authorizers

    record CreateAuthorizerRequest(
            @HttpLabel("restapi_id") String restApiId,
            String name,
            String type,
            List<String> providerARNs,
            String authType,
            String authorizerUri,
            String authorizerCredentials,
            String identitySource,
            String identityValidationExpression,
            Integer authorizerResultTtlInSeconds) {}

    record AuthorizerRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("authorizer_id") String authorizerId) {}

    record GetAuthorizersRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record Authorizers(String position, @JsonProperty("item") List<RestApiModel.Authorizer> items) {}

    record UpdateAuthorizerRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("authorizer_id") String authorizerId,
            List<PatchOperation> patchOperations) {}

    // Gateway responses

    record PutGatewayResponseRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("response_type") String responseType,
            String statusCode, Map<String, String> responseParameters, Map<String, String> responseTemplates) {}

    record GatewayResponseRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("response_type") String responseType) {}

    record GetGatewayResponsesRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record GatewayResponses(String position, @JsonProperty("item") List<RestApiModel.GatewayResponse> items) {}

    record UpdateGatewayResponseRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("response_type") String responseType,
            List<PatchOperation> patchOperations) {}

    // Request validators

    record CreateRequestValidatorRequest(@HttpLabel("restapi_id") String restApiId, String name, Boolean validateRequestBody,
            Boolean validateRequestParameters) {}

    record RequestValidatorRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("requestvalidator_id") String requestValidatorId) {}

    record GetRequestValidatorsRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record RequestValidators(String position, @JsonProperty("item") List<RestApiModel.RequestValidator> items) {}

    record UpdateRequestValidatorRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("requestvalidator_id") String requestValidatorId,
            List<PatchOperation> patchOperations) {}

    // Models

    record CreateModelRequest(@HttpLabel("restapi_id") String restApiId, String name, String description, String schema, String contentType) {}

    record ModelRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("model_name") String modelName,
            @HttpQuery("flatten") Boolean flatten) {}

    record GetModelsRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record Models(String position, @JsonProperty("item") List<RestApiModel.Model> items) {}

    record UpdateModelRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("model_name") String modelName,
            List<PatchOperation> patchOperations) {}

    // Deployments and stages

    record CreateDeploymentRequest(
            @HttpLabel("restapi_id") String restApiId,
            String stageName,
            String stageDescription,
            String description,
            Map<String, String> variables,
            // Accepted on the wire only to be refused clearly: Stratus does not do these yet.
            Boolean cacheClusterEnabled,
            String cacheClusterSize,
            JsonNode canarySettings,
            Boolean tracingEnabled) {}

    record DeploymentRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("deployment_id") String deploymentId) {}

    record UpdateDeploymentRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("deployment_id") String deploymentId,
            List<PatchOperation> patchOperations) {}

    record GetDeploymentsRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record Deployments(String position, @JsonProperty("item") List<Deployment> items) {}

    record CreateStageRequest(
            @HttpLabel("restapi_id") String restApiId,
            String stageName,
            String deploymentId,
            String description,
            Map<String, String> variables,
            Map<String, String> tags,
            // Accepted on the wire only to be refused clearly: Stratus does not do these yet.
            Boolean cacheClusterEnabled,
            String cacheClusterSize,
            JsonNode canarySettings,
            Boolean tracingEnabled,
            String documentationVersion) {}

    record StageRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("stage_name") String stageName) {}

    record GetStagesRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("deploymentId") String deploymentId) {}

    record Stages(List<Stage> item) {}

    record UpdateStageRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("stage_name") String stageName,
            List<PatchOperation> patchOperations) {}
}
