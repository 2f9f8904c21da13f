package io.stratus.lambda;

import io.stratus.lambda.EventSourceModel.CreateEventSourceMappingRequest;
import io.stratus.lambda.EventSourceModel.EventSourceMappingRequest;
import io.stratus.lambda.EventSourceModel.ListEventSourceMappingsRequest;
import io.stratus.lambda.EventSourceModel.UpdateEventSourceMappingRequest;
import io.stratus.lambda.LambdaModel.CreateFunctionRequest;
import io.stratus.lambda.LambdaModel.DeleteFunctionRequest;
import io.stratus.lambda.LambdaModel.GetAccountSettingsRequest;
import io.stratus.lambda.LambdaModel.GetFunctionConfigurationRequest;
import io.stratus.lambda.LambdaModel.GetFunctionRequest;
import io.stratus.lambda.LambdaModel.InvokeRequest;
import io.stratus.lambda.LambdaModel.ListFunctionsRequest;
import io.stratus.lambda.LambdaModel.UpdateFunctionCodeRequest;
import io.stratus.lambda.LambdaModel.UpdateFunctionConfigurationRequest;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;

/** Lambda's operations: each with its method, path and success status, and the object that serves it. Stateless. */
final class LambdaRoutes {

    private LambdaRoutes() {}

    static ServiceDefinition definition(LambdaService functions, VersionOperations versions, AliasOperations aliases,
            ConcurrencyOperations concurrency, TagOperations tags, PolicyOperations policies, EventInvokeOperations eventInvokeConfigs,
            EventSourceMappings mappings, FunctionUrls urls, LayerOperations layers, ProvisionedConcurrencyOperations provisioned,
            FunctionUrlEndpoint urlEndpoint, CodeLocations codeLocations, CodeSigningOperations codeSigning, RuntimeManagementOperations runtimes,
            RecursionOperations recursion, long maxRequestBytes) {
        return ServiceDefinition.builder("lambda")
                .signingName("lambda")
                .protocol(Protocol.REST_JSON_1)
                .maxRequestBytes(maxRequestBytes)
                .operation("CreateFunction", "POST", "/2015-03-31/functions", 201, CreateFunctionRequest.class, functions::createFunction)
                .operation("GetFunction", "GET", "/2015-03-31/functions/{FunctionName}", 200, GetFunctionRequest.class, functions::getFunction)
                .operation("GetFunctionConfiguration", "GET", "/2015-03-31/functions/{FunctionName}/configuration", 200,
                        GetFunctionConfigurationRequest.class, functions::getFunctionConfiguration)
                .operation("ListFunctions", "GET", "/2015-03-31/functions", 200, ListFunctionsRequest.class, functions::listFunctions)
                .operation("UpdateFunctionCode", "PUT", "/2015-03-31/functions/{FunctionName}/code", 200,
                        UpdateFunctionCodeRequest.class, functions::updateFunctionCode)
                .operation("UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/{FunctionName}/configuration", 200,
                        UpdateFunctionConfigurationRequest.class, functions::updateFunctionConfiguration)
                .operation("DeleteFunction", "DELETE", "/2015-03-31/functions/{FunctionName}", 204, DeleteFunctionRequest.class, functions::deleteFunction)
                .operation("Invoke", "POST", "/2015-03-31/functions/{FunctionName}/invocations", 200, InvokeRequest.class, functions.invocations()::invoke)
                .operation("InvokeWithResponseStream", "POST", "/2021-11-15/functions/{FunctionName}/response-streaming-invocations", 200,
                        InvokeRequest.class, functions.invocations()::invokeWithResponseStream)
                .operation("PublishVersion", "POST", "/2015-03-31/functions/{FunctionName}/versions", 201,
                        ControlModel.PublishVersionRequest.class, versions::publishVersion)
                .operation("ListVersionsByFunction", "GET", "/2015-03-31/functions/{FunctionName}/versions", 200,
                        ControlModel.ListVersionsByFunctionRequest.class, versions::listVersions)
                .operation("CreateAlias", "POST", "/2015-03-31/functions/{FunctionName}/aliases", 201,
                        ControlModel.CreateAliasRequest.class, aliases::createAlias)
                .operation("GetAlias", "GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 200,
                        ControlModel.AliasRequest.class, aliases::getAlias)
                .operation("UpdateAlias", "PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 200,
                        ControlModel.UpdateAliasRequest.class, aliases::updateAlias)
                .operation("DeleteAlias", "DELETE", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 204,
                        ControlModel.AliasRequest.class, aliases::deleteAlias)
                .operation("ListAliases", "GET", "/2015-03-31/functions/{FunctionName}/aliases", 200,
                        ControlModel.ListAliasesRequest.class, aliases::listAliases)
                .operation("GetFunctionRecursionConfig", "GET", "/2024-08-31/functions/{FunctionName}/recursion-config", 200,
                        RecursionOperations.FunctionRequest.class, recursion::get)
                .operation("PutFunctionRecursionConfig", "PUT", "/2024-08-31/functions/{FunctionName}/recursion-config", 200,
                        RecursionOperations.PutRequest.class, recursion::put)
                .operation("GetRuntimeManagementConfig", "GET", "/2021-07-20/functions/{FunctionName}/runtime-management-config", 200,
                        RuntimeManagementOperations.ConfigRequest.class, runtimes::get)
                .operation("PutRuntimeManagementConfig", "PUT", "/2021-07-20/functions/{FunctionName}/runtime-management-config", 200,
                        RuntimeManagementOperations.PutConfigRequest.class, runtimes::put)
                .operation("GetFunctionCodeSigningConfig", "GET", "/2020-06-30/functions/{FunctionName}/code-signing-config", 200,
                        CodeSigningOperations.FunctionRequest.class, codeSigning::getFunction)
                .operation("PutFunctionCodeSigningConfig", "PUT", "/2020-06-30/functions/{FunctionName}/code-signing-config", 200,
                        CodeSigningOperations.PutFunctionRequest.class, codeSigning::putFunction)
                .operation("DeleteFunctionCodeSigningConfig", "DELETE", "/2020-06-30/functions/{FunctionName}/code-signing-config", 204,
                        CodeSigningOperations.FunctionRequest.class, codeSigning::deleteFunction)
                .operation("CreateCodeSigningConfig", "POST", "/2020-04-22/code-signing-configs", 201,
                        CodeSigningOperations.CreateRequest.class, codeSigning::create)
                .operation("GetCodeSigningConfig", "GET", "/2020-04-22/code-signing-configs/{CodeSigningConfigArn}", 200,
                        CodeSigningOperations.ConfigRequest.class, codeSigning::get)
                .operation("UpdateCodeSigningConfig", "PUT", "/2020-04-22/code-signing-configs/{CodeSigningConfigArn}", 200,
                        CodeSigningOperations.UpdateRequest.class, codeSigning::update)
                .operation("DeleteCodeSigningConfig", "DELETE", "/2020-04-22/code-signing-configs/{CodeSigningConfigArn}", 204,
                        CodeSigningOperations.ConfigRequest.class, codeSigning::delete)
                .operation("ListFunctionsByCodeSigningConfig", "GET", "/2020-04-22/code-signing-configs/{CodeSigningConfigArn}/functions", 200,
                        CodeSigningOperations.ListFunctionsRequest.class, codeSigning::listFunctions)
                .operation("ListCodeSigningConfigs", "GET", "/2020-04-22/code-signing-configs", 200,
                        CodeSigningOperations.ListConfigsRequest.class, codeSigning::list)
                .operation("PutFunctionConcurrency", "PUT", "/2017-10-31/functions/{FunctionName}/concurrency", 200,
                        ControlModel.PutFunctionConcurrencyRequest.class, concurrency::putFunctionConcurrency)
                .operation("GetFunctionConcurrency", "GET", "/2019-09-30/functions/{FunctionName}/concurrency", 200,
                        ControlModel.FunctionConcurrencyRequest.class, concurrency::getFunctionConcurrency)
                .operation("DeleteFunctionConcurrency", "DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", 204,
                        ControlModel.FunctionConcurrencyRequest.class, concurrency::deleteFunctionConcurrency)
                // List before Get: the same path, told apart by List=ALL.
                .operation("ListProvisionedConcurrencyConfigs", "GET", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency?List=ALL", 200,
                        ControlModel.ListProvisionedConcurrencyConfigsRequest.class, provisioned::list)
                .operation("PutProvisionedConcurrencyConfig", "PUT", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency", 202,
                        ControlModel.PutProvisionedConcurrencyConfigRequest.class, provisioned::put)
                .operation("GetProvisionedConcurrencyConfig", "GET", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency", 200,
                        ControlModel.ProvisionedConcurrencyConfigRequest.class, provisioned::get)
                .operation("DeleteProvisionedConcurrencyConfig", "DELETE", "/2019-09-30/functions/{FunctionName}/provisioned-concurrency", 204,
                        ControlModel.ProvisionedConcurrencyConfigRequest.class, provisioned::delete)
                .operation("TagResource", "POST", "/2017-03-31/tags/{Resource}", 204, ControlModel.TagResourceRequest.class, tags::tagResource)
                .operation("UntagResource", "DELETE", "/2017-03-31/tags/{Resource}", 204, ControlModel.UntagResourceRequest.class, tags::untagResource)
                .operation("ListTags", "GET", "/2017-03-31/tags/{Resource}", 200, ControlModel.ListTagsRequest.class, tags::listTags)
                .operation("AddPermission", "POST", "/2015-03-31/functions/{FunctionName}/policy", 201,
                        ControlModel.AddPermissionRequest.class, policies::addPermission)
                .operation("RemovePermission", "DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}", 204,
                        ControlModel.RemovePermissionRequest.class, policies::removePermission)
                .operation("GetPolicy", "GET", "/2015-03-31/functions/{FunctionName}/policy", 200,
                        ControlModel.GetPolicyRequest.class, policies::getPolicy)
                .operation("PutFunctionEventInvokeConfig", "PUT", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 200,
                        ControlModel.EventInvokeConfigRequest.class, eventInvokeConfigs::put)
                .operation("UpdateFunctionEventInvokeConfig", "POST", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 200,
                        ControlModel.EventInvokeConfigRequest.class, eventInvokeConfigs::update)
                .operation("GetFunctionEventInvokeConfig", "GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 200,
                        ControlModel.FunctionEventInvokeConfigRequest.class, eventInvokeConfigs::get)
                .operation("DeleteFunctionEventInvokeConfig", "DELETE", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 204,
                        ControlModel.FunctionEventInvokeConfigRequest.class, eventInvokeConfigs::delete)
                .operation("ListFunctionEventInvokeConfigs", "GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config/list", 200,
                        ControlModel.ListFunctionEventInvokeConfigsRequest.class, eventInvokeConfigs::list)
                .operation("GetAccountSettings", "GET", "/2016-08-19/account-settings", 200,
                        GetAccountSettingsRequest.class, concurrency::getAccountSettings)
                .operation("CreateEventSourceMapping", "POST", "/2015-03-31/event-source-mappings/", 202,
                        CreateEventSourceMappingRequest.class, mappings::create)
                .operation("GetEventSourceMapping", "GET", "/2015-03-31/event-source-mappings/{UUID}", 200,
                        EventSourceMappingRequest.class, mappings::get)
                .operation("UpdateEventSourceMapping", "PUT", "/2015-03-31/event-source-mappings/{UUID}", 202,
                        UpdateEventSourceMappingRequest.class, mappings::update)
                .operation("DeleteEventSourceMapping", "DELETE", "/2015-03-31/event-source-mappings/{UUID}", 202,
                        EventSourceMappingRequest.class, mappings::delete)
                .operation("ListEventSourceMappings", "GET", "/2015-03-31/event-source-mappings/", 200,
                        ListEventSourceMappingsRequest.class, mappings::list)
                .operation("CreateFunctionUrlConfig", "POST", "/2021-10-31/functions/{FunctionName}/url", 201,
                        FunctionUrlModel.CreateFunctionUrlConfigRequest.class, urls::create)
                .operation("GetFunctionUrlConfig", "GET", "/2021-10-31/functions/{FunctionName}/url", 200,
                        FunctionUrlModel.FunctionUrlConfigRequest.class, urls::get)
                .operation("UpdateFunctionUrlConfig", "PUT", "/2021-10-31/functions/{FunctionName}/url", 200,
                        FunctionUrlModel.UpdateFunctionUrlConfigRequest.class, urls::update)
                .operation("DeleteFunctionUrlConfig", "DELETE", "/2021-10-31/functions/{FunctionName}/url", 204,
                        FunctionUrlModel.FunctionUrlConfigRequest.class, urls::delete)
                .operation("ListFunctionUrlConfigs", "GET", "/2021-10-31/functions/{FunctionName}/urls", 200,
                        FunctionUrlModel.ListFunctionUrlConfigsRequest.class, urls::list)
                .operation("PublishLayerVersion", "POST", "/2018-10-31/layers/{LayerName}/versions", 201,
                        LayerModel.PublishLayerVersionRequest.class, layers::publish)
                .operation("ListLayerVersions", "GET", "/2018-10-31/layers/{LayerName}/versions", 200,
                        LayerModel.ListLayerVersionsRequest.class, layers::listVersions)
                .operation("GetLayerVersion", "GET", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}", 200,
                        LayerModel.LayerVersionRequest.class, layers::get)
                .operation("DeleteLayerVersion", "DELETE", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}", 204,
                        LayerModel.LayerVersionRequest.class, layers::delete)
                .operation("GetLayerVersionByArn", "GET", "/2018-10-31/layers?find=LayerVersion", 200,
                        LayerModel.GetLayerVersionByArnRequest.class, layers::getByArn)
                .operation("ListLayers", "GET", "/2018-10-31/layers", 200, LayerModel.ListLayersRequest.class, layers::list)
                .operation("AddLayerVersionPermission", "POST", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy", 201,
                        LayerModel.AddLayerVersionPermissionRequest.class, layers::addPermission)
                .operation("GetLayerVersionPolicy", "GET", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy", 200,
                        LayerModel.LayerVersionRequest.class, layers::getPolicy)
                .operation("RemoveLayerVersionPermission", "DELETE",
                        "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy/{StatementId}", 204,
                        LayerModel.RemoveLayerVersionPermissionRequest.class, layers::removePermission)
                // Function URLs: <url-id>.lambda-url.<region>.localhost, or /_aws/lambda-url/<url-id>/.
                .endpoint("lambda-url", urlEndpoint)
                // Code.Location and Content.Location: /_aws/lambda-code/<token>.
                .endpoint(CodeLocations.LABEL, codeLocations)
                .build();
    }
}
