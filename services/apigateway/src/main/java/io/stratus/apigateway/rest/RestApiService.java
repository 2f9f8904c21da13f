package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.ApiInvoker;
import io.stratus.apigateway.NotYet;
import io.stratus.apigateway.rest.RestApiRequests.AuthorizerRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateAuthorizerRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateDeploymentRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateResourceRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateRestApiRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateStageRequest;
import io.stratus.apigateway.rest.RestApiRequests.DeploymentRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetAuthorizersRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetDeploymentsRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetResourcesRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetRestApisRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetStagesRequest;
import io.stratus.apigateway.rest.RestApiRequests.MethodRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutIntegrationRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutIntegrationResponseRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutMethodRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutMethodResponseRequest;
import io.stratus.apigateway.rest.RestApiRequests.ResourceRequest;
import io.stratus.apigateway.rest.RestApiRequests.RestApiRequest;
import io.stratus.apigateway.rest.RestApiRequests.StageRequest;
import io.stratus.apigateway.rest.RestApiRequests.StatusRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateAuthorizerRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateDeploymentRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateIntegrationRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateMethodRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateResourceRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateRestApiRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateStageRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateStatusRequest;
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

/**
 * REST APIs (API Gateway v1, {@code /restapis/…}): the control plane of APIs, resources, methods,
 * integrations, deployments and stages, and the invoke URLs of deployed stages
 * ({@link RestApiInvoker}). Operations Stratus does not have yet ({@link UnsupportedOperations})
 * and settings it does not act on answer {@code NotImplemented} naming them ({@link NotYet}). Thread-safe.
 */
public final class RestApiService implements StratusService, ApiInvoker {

    private static final String API = "/restapis/{restapi_id}";
    private static final String RESOURCE = API + "/resources/{resource_id}";
    private static final String METHOD = RESOURCE + "/methods/{http_method}";

    private final ServiceDefinition definition;
    private final RestApiInvoker invoker;

    public RestApiService(Store store, Clock clock, ApiDirectory directory, FunctionInvoker functions) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(functions, "functions is null");
        RestApiStore apis = new RestApiStore(store);
        RestApiOperations restApis = new RestApiOperations(apis, clock, directory);
        MethodOperations methods = new MethodOperations(apis);
        DeploymentOperations deployments = new DeploymentOperations(apis, clock);
        AuthorizerOperations authorizers = new AuthorizerOperations(apis);
        GatewayResponseOperations gatewayResponses = new GatewayResponseOperations(apis);
        ImportOperations imports = new ImportOperations(apis, clock, directory);
        RequestValidatorOperations validators = new RequestValidatorOperations(apis);
        ModelOperations models = new ModelOperations(apis);
        TagOperations tags = new TagOperations(apis);
        ExportOperations exports = new ExportOperations(apis);
        UsagePlanStore planStore = new UsagePlanStore(store);
        UsagePlanOperations plans = new UsagePlanOperations(planStore, clock);
        UsageMeter meter = new UsageMeter(store, clock);
        UsageOperations usage = new UsageOperations(planStore, meter, clock);
        this.invoker = new RestApiInvoker(apis, clock, functions, meter);
        TestInvokeOperations tests = new TestInvokeOperations(apis, invoker);
        this.definition = UnsupportedOperations.declare(ServiceDefinition.builder("apigateway"))
                .signingName("apigateway")
                .protocol(Protocol.REST_JSON_1)
                .naming(MemberNaming.CAMEL_CASE)
                .operation("CreateRestApi", "POST", "/restapis", 201, CreateRestApiRequest.class, restApis::createRestApi)
                .operation("ImportRestApi", "POST", "/restapis?mode=import", 201, ImportOperations.ImportRestApiRequest.class, imports::importRestApi)
                .operation("PutRestApi", "PUT", API, 200, ImportOperations.PutRestApiRequest.class, imports::putRestApi)
                .operation("GetRestApis", "GET", "/restapis", 200, GetRestApisRequest.class, restApis::getRestApis)
                .operation("GetRestApi", "GET", API, 200, RestApiRequest.class, restApis::getRestApi)
                .operation("UpdateRestApi", "PATCH", API, 200, UpdateRestApiRequest.class, restApis::updateRestApi)
                .operation("DeleteRestApi", "DELETE", API, 202, RestApiRequest.class, restApis::deleteRestApi)
                .operation("CreateResource", "POST", API + "/resources/{parent_id}", 201, CreateResourceRequest.class, restApis::createResource)
                .operation("GetResources", "GET", API + "/resources", 200, GetResourcesRequest.class, restApis::getResources)
                .operation("GetResource", "GET", RESOURCE, 200, ResourceRequest.class, restApis::getResource)
                .operation("UpdateResource", "PATCH", RESOURCE, 200, UpdateResourceRequest.class, restApis::updateResource)
                .operation("DeleteResource", "DELETE", RESOURCE, 202, ResourceRequest.class, restApis::deleteResource)
                .operation("TestInvokeMethod", "POST", METHOD, 200, TestInvokeOperations.TestInvokeMethodRequest.class, tests::testInvokeMethod)
                .operation("PutMethod", "PUT", METHOD, 201, PutMethodRequest.class, methods::putMethod)
                .operation("GetMethod", "GET", METHOD, 200, MethodRequest.class, methods::getMethod)
                .operation("UpdateMethod", "PATCH", METHOD, 200, UpdateMethodRequest.class, methods::updateMethod)
                .operation("DeleteMethod", "DELETE", METHOD, 204, MethodRequest.class, methods::deleteMethod)
                .operation("PutMethodResponse", "PUT", METHOD + "/responses/{status_code}", 201, PutMethodResponseRequest.class,
                        methods::putMethodResponse)
                .operation("GetMethodResponse", "GET", METHOD + "/responses/{status_code}", 200, StatusRequest.class, methods::getMethodResponse)
                .operation("UpdateMethodResponse", "PATCH", METHOD + "/responses/{status_code}", 200, UpdateStatusRequest.class,
                        methods::updateMethodResponse)
                .operation("DeleteMethodResponse", "DELETE", METHOD + "/responses/{status_code}", 204, StatusRequest.class,
                        methods::deleteMethodResponse)
                .operation("PutIntegration", "PUT", METHOD + "/integration", 201, PutIntegrationRequest.class, methods::putIntegration)
                .operation("GetIntegration", "GET", METHOD + "/integration", 200, MethodRequest.class, methods::getIntegration)
                .operation("UpdateIntegration", "PATCH", METHOD + "/integration", 200, UpdateIntegrationRequest.class, methods::updateIntegration)
                .operation("DeleteIntegration", "DELETE", METHOD + "/integration", 204, MethodRequest.class, methods::deleteIntegration)
                .operation("PutIntegrationResponse", "PUT", METHOD + "/integration/responses/{status_code}", 201,
                        PutIntegrationResponseRequest.class, methods::putIntegrationResponse)
                .operation("GetIntegrationResponse", "GET", METHOD + "/integration/responses/{status_code}", 200, StatusRequest.class,
                        methods::getIntegrationResponse)
                .operation("UpdateIntegrationResponse", "PATCH", METHOD + "/integration/responses/{status_code}", 200,
                        UpdateStatusRequest.class, methods::updateIntegrationResponse)
                .operation("DeleteIntegrationResponse", "DELETE", METHOD + "/integration/responses/{status_code}", 204, StatusRequest.class,
                        methods::deleteIntegrationResponse)
                .operation("CreateAuthorizer", "POST", API + "/authorizers", 201, CreateAuthorizerRequest.class, authorizers::createAuthorizer)
                .operation("GetAuthorizers", "GET", API + "/authorizers", 200, GetAuthorizersRequest.class, authorizers::getAuthorizers)
                .operation("GetAuthorizer", "GET", API + "/authorizers/{authorizer_id}", 200, AuthorizerRequest.class, authorizers::getAuthorizer)
                .operation("UpdateAuthorizer", "PATCH", API + "/authorizers/{authorizer_id}", 200, UpdateAuthorizerRequest.class,
                        authorizers::updateAuthorizer)
                .operation("DeleteAuthorizer", "DELETE", API + "/authorizers/{authorizer_id}", 202, AuthorizerRequest.class,
                        authorizers::deleteAuthorizer)
                .operation("CreateRequestValidator", "POST", API + "/requestvalidators", 201, RestApiRequests.CreateRequestValidatorRequest.class,
                        validators::createRequestValidator)
                .operation("GetRequestValidators", "GET", API + "/requestvalidators", 200, RestApiRequests.GetRequestValidatorsRequest.class,
                        validators::getRequestValidators)
                .operation("GetRequestValidator", "GET", API + "/requestvalidators/{requestvalidator_id}", 200,
                        RestApiRequests.RequestValidatorRequest.class, validators::getRequestValidator)
                .operation("UpdateRequestValidator", "PATCH", API + "/requestvalidators/{requestvalidator_id}", 200,
                        RestApiRequests.UpdateRequestValidatorRequest.class, validators::updateRequestValidator)
                .operation("DeleteRequestValidator", "DELETE", API + "/requestvalidators/{requestvalidator_id}", 202,
                        RestApiRequests.RequestValidatorRequest.class, validators::deleteRequestValidator)
                .operation("CreateModel", "POST", API + "/models", 201, RestApiRequests.CreateModelRequest.class, models::createModel)
                .operation("GetModels", "GET", API + "/models", 200, RestApiRequests.GetModelsRequest.class, models::getModels)
                .operation("GetModel", "GET", API + "/models/{model_name}", 200, RestApiRequests.ModelRequest.class, models::getModel)
                .operation("UpdateModel", "PATCH", API + "/models/{model_name}", 200, RestApiRequests.UpdateModelRequest.class, models::updateModel)
                .operation("DeleteModel", "DELETE", API + "/models/{model_name}", 202, RestApiRequests.ModelRequest.class, models::deleteModel)
                .operation("PutGatewayResponse", "PUT", API + "/gatewayresponses/{response_type}", 201, RestApiRequests.PutGatewayResponseRequest.class,
                        gatewayResponses::putGatewayResponse)
                .operation("GetGatewayResponse", "GET", API + "/gatewayresponses/{response_type}", 200, RestApiRequests.GatewayResponseRequest.class,
                        gatewayResponses::getGatewayResponse)
                .operation("GetGatewayResponses", "GET", API + "/gatewayresponses", 200, RestApiRequests.GetGatewayResponsesRequest.class,
                        gatewayResponses::getGatewayResponses)
                .operation("UpdateGatewayResponse", "PATCH", API + "/gatewayresponses/{response_type}", 200,
                        RestApiRequests.UpdateGatewayResponseRequest.class, gatewayResponses::updateGatewayResponse)
                .operation("DeleteGatewayResponse", "DELETE", API + "/gatewayresponses/{response_type}", 202, RestApiRequests.GatewayResponseRequest.class,
                        gatewayResponses::deleteGatewayResponse)
                .operation("GetExport", "GET", API + "/stages/{stage_name}/exports/{export_type}", 200, ExportOperations.GetExportRequest.class,
                        exports::getExport)
                .operation("TagResource", "PUT", "/tags/{resource_arn}", 204, TagOperations.TagResourceRequest.class, tags::tagResource)
                .operation("UntagResource", "DELETE", "/tags/{resource_arn}", 204, TagOperations.UntagResourceRequest.class, tags::untagResource)
                .operation("GetTags", "GET", "/tags/{resource_arn}", 200, TagOperations.GetTagsRequest.class, tags::getTags)
                .operation("CreateApiKey", "POST", "/apikeys", 201, UsagePlanModel.CreateApiKeyRequest.class, plans::createApiKey)
                .operation("GetApiKeys", "GET", "/apikeys", 200, UsagePlanModel.GetApiKeysRequest.class, plans::getApiKeys)
                .operation("GetApiKey", "GET", "/apikeys/{api_Key}", 200, UsagePlanModel.ApiKeyRequest.class, plans::getApiKey)
                .operation("UpdateApiKey", "PATCH", "/apikeys/{api_Key}", 200, UsagePlanModel.UpdateApiKeyRequest.class, plans::updateApiKey)
                .operation("DeleteApiKey", "DELETE", "/apikeys/{api_Key}", 202, UsagePlanModel.ApiKeyRequest.class, plans::deleteApiKey)
                .operation("CreateUsagePlan", "POST", "/usageplans", 201, UsagePlanModel.CreateUsagePlanRequest.class, plans::createUsagePlan)
                .operation("GetUsagePlans", "GET", "/usageplans", 200, UsagePlanModel.GetUsagePlansRequest.class, plans::getUsagePlans)
                .operation("GetUsagePlan", "GET", "/usageplans/{usageplanId}", 200, UsagePlanModel.UsagePlanRequest.class, plans::getUsagePlan)
                .operation("UpdateUsagePlan", "PATCH", "/usageplans/{usageplanId}", 200, UsagePlanModel.UpdateUsagePlanRequest.class,
                        plans::updateUsagePlan)
                .operation("DeleteUsagePlan", "DELETE", "/usageplans/{usageplanId}", 202, UsagePlanModel.UsagePlanRequest.class,
                        plans::deleteUsagePlan)
                .operation("CreateUsagePlanKey", "POST", "/usageplans/{usageplanId}/keys", 201, UsagePlanModel.CreateUsagePlanKeyRequest.class,
                        plans::createUsagePlanKey)
                .operation("GetUsagePlanKeys", "GET", "/usageplans/{usageplanId}/keys", 200, UsagePlanModel.GetUsagePlanKeysRequest.class,
                        plans::getUsagePlanKeys)
                .operation("GetUsagePlanKey", "GET", "/usageplans/{usageplanId}/keys/{keyId}", 200, UsagePlanModel.UsagePlanKeyRequest.class,
                        plans::getUsagePlanKey)
                .operation("DeleteUsagePlanKey", "DELETE", "/usageplans/{usageplanId}/keys/{keyId}", 202, UsagePlanModel.UsagePlanKeyRequest.class,
                        plans::deleteUsagePlanKey)
                .operation("GetUsage", "GET", "/usageplans/{usageplanId}/usage", 200, UsagePlanModel.GetUsageRequest.class, usage::getUsage)
                .operation("UpdateUsage", "PATCH", "/usageplans/{usageplanId}/keys/{keyId}/usage", 200, UsagePlanModel.UpdateUsageRequest.class,
                        usage::updateUsage)
                .operation("CreateDeployment", "POST", API + "/deployments", 201, CreateDeploymentRequest.class, deployments::createDeployment)
                .operation("GetDeployments", "GET", API + "/deployments", 200, GetDeploymentsRequest.class, deployments::getDeployments)
                .operation("GetDeployment", "GET", API + "/deployments/{deployment_id}", 200, DeploymentRequest.class, deployments::getDeployment)
                .operation("UpdateDeployment", "PATCH", API + "/deployments/{deployment_id}", 200, UpdateDeploymentRequest.class,
                        deployments::updateDeployment)
                .operation("DeleteDeployment", "DELETE", API + "/deployments/{deployment_id}", 202, DeploymentRequest.class,
                        deployments::deleteDeployment)
                .operation("CreateStage", "POST", API + "/stages", 201, CreateStageRequest.class, deployments::createStage)
                .operation("GetStages", "GET", API + "/stages", 200, GetStagesRequest.class, deployments::getStages)
                .operation("GetStage", "GET", API + "/stages/{stage_name}", 200, StageRequest.class, deployments::getStage)
                .operation("UpdateStage", "PATCH", API + "/stages/{stage_name}", 200, UpdateStageRequest.class, deployments::updateStage)
                .operation("DeleteStage", "DELETE", API + "/stages/{stage_name}", 202, StageRequest.class, deployments::deleteStage)
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

    @Override
    public void close() {
        invoker.close();
    }

    /**
     * Refuses a setting Stratus accepts on the wire but does not act on yet: never a success that
     * did not do what was asked.
     */
    static void notYet(String setting, boolean given) {
        NotYet.setting(setting, given);
    }
}
