package io.stratus.lambda;

import io.stratus.lambda.LambdaModel.FunctionConfiguration;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of the operations around a function (versions, aliases,
 * concurrency, tags, resource policies, event invoke configs), named as AWS names them.
 */
final class ControlModel {

    private ControlModel() {}

    // ---- versions

    record PublishVersionRequest(@HttpLabel("FunctionName") String functionName, String codeSha256, String description, String revisionId) {}

    record ListVersionsByFunctionRequest(
            @HttpLabel("FunctionName") String functionName, @HttpQuery("Marker") String marker, @HttpQuery("MaxItems") Integer maxItems) {}

    record ListVersionsByFunctionResponse(String nextMarker, List<FunctionConfiguration> versions) {}

    // ---- aliases

    record AliasRoutingConfiguration(Map<String, Double> additionalVersionWeights) {}

    record CreateAliasRequest(@HttpLabel("FunctionName") String functionName, String name, String functionVersion, String description,
            AliasRoutingConfiguration routingConfig) {}

    record AliasRequest(@HttpLabel("FunctionName") String functionName, @HttpLabel("Name") String name) {}

    record UpdateAliasRequest(@HttpLabel("FunctionName") String functionName, @HttpLabel("Name") String name, String functionVersion,
            String description, AliasRoutingConfiguration routingConfig, String revisionId) {}

    record AliasConfiguration(String aliasArn, String name, String functionVersion, String description,
            AliasRoutingConfiguration routingConfig, String revisionId) {}

    record ListAliasesRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("FunctionVersion") String functionVersion,
            @HttpQuery("Marker") String marker, @HttpQuery("MaxItems") Integer maxItems) {}

    record ListAliasesResponse(String nextMarker, List<AliasConfiguration> aliases) {}

    record Empty() {}

    // ---- concurrency

    record PutFunctionConcurrencyRequest(@HttpLabel("FunctionName") String functionName, Integer reservedConcurrentExecutions) {}

    record FunctionConcurrencyRequest(@HttpLabel("FunctionName") String functionName) {}

    record Concurrency(Integer reservedConcurrentExecutions) {}

    // ---- provisioned concurrency

    record PutProvisionedConcurrencyConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier,
            Integer provisionedConcurrentExecutions) {}

    record ProvisionedConcurrencyConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record ProvisionedConcurrencyConfig(Integer requestedProvisionedConcurrentExecutions, Integer availableProvisionedConcurrentExecutions,
            Integer allocatedProvisionedConcurrentExecutions, String status, String statusReason, String lastModified) {}

    record ListProvisionedConcurrencyConfigsRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems) {}

    record ProvisionedConcurrencyConfigListItem(String functionArn, Integer requestedProvisionedConcurrentExecutions,
            Integer availableProvisionedConcurrentExecutions, Integer allocatedProvisionedConcurrentExecutions, String status,
            String statusReason, String lastModified) {}

    record ListProvisionedConcurrencyConfigsResponse(String nextMarker, List<ProvisionedConcurrencyConfigListItem> provisionedConcurrencyConfigs) {}

    // ---- tags

    record TagResourceRequest(@HttpLabel("Resource") String resource, Map<String, String> tags) {}

    record UntagResourceRequest(@HttpLabel("Resource") String resource, @HttpQuery("tagKeys") List<String> tagKeys) {}

    record ListTagsRequest(@HttpLabel("Resource") String resource) {}

    record ListTagsResponse(Map<String, String> tags) {}

    // ---- resource policy

    record AddPermissionRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier, String statementId,
            String action, String principal, String sourceArn, String sourceAccount, String eventSourceToken, String revisionId,
            String principalOrgID, String functionUrlAuthType, Boolean invokedViaFunctionUrl) {}

    record AddPermissionResponse(String statement) {}

    record RemovePermissionRequest(@HttpLabel("FunctionName") String functionName, @HttpLabel("StatementId") String statementId,
            @HttpQuery("Qualifier") String qualifier, @HttpQuery("RevisionId") String revisionId) {}

    record GetPolicyRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record GetPolicyResponse(String policy, String revisionId) {}

    // ---- event invoke config

    record OnSuccess(String destination) {}

    record OnFailure(String destination) {}

    record DestinationConfig(OnSuccess onSuccess, OnFailure onFailure) {}

    record EventInvokeConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier,
            Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds, DestinationConfig destinationConfig) {}

    record FunctionEventInvokeConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record FunctionEventInvokeConfig(java.time.Instant lastModified, String functionArn, Integer maximumRetryAttempts,
            Integer maximumEventAgeInSeconds, DestinationConfig destinationConfig) {}

    record ListFunctionEventInvokeConfigsRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems) {}

    record ListFunctionEventInvokeConfigsResponse(List<FunctionEventInvokeConfig> functionEventInvokeConfigs, String nextMarker) {}
}
