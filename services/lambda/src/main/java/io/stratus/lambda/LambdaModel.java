package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.HttpResponseCode;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of the Lambda operations, named as AWS names them. CreateFunction,
 * GetFunctionConfiguration, UpdateFunctionCode and UpdateFunctionConfiguration all answer with
 * {@link FunctionConfiguration}, because AWS's model gives those four one output shape.
 */
final class LambdaModel {

    private LambdaModel() {}

    record FunctionCode(byte[] zipFile, String s3Bucket, String s3Key, String s3ObjectVersion, String imageUri) {}

    record Environment(Map<String, String> variables) {}

    record EnvironmentResponse(Map<String, String> variables) {}

    record EphemeralStorage(Integer size) {}

    record TracingConfigResponse(String mode) {}

    record LoggingConfig(String logFormat, String applicationLogLevel, String systemLogLevel, String logGroup) {}

    record FunctionConfiguration(
            String functionName,
            String functionArn,
            String runtime,
            String role,
            String handler,
            Long codeSize,
            String description,
            Integer timeout,
            Integer memorySize,
            String lastModified,
            String codeSha256,
            String version,
            EnvironmentResponse environment,
            TracingConfigResponse tracingConfig,
            String revisionId,
            String state,
            String stateReason,
            String stateReasonCode,
            String lastUpdateStatus,
            String lastUpdateStatusReason,
            String lastUpdateStatusReasonCode,
            String packageType,
            List<String> architectures,
            EphemeralStorage ephemeralStorage,
            LoggingConfig loggingConfig,
            DeadLetterConfig deadLetterConfig,
            List<Layer> layers) {

        /** The configuration as ListFunctions reports it: without the state and last update's status, which GetFunction gives. */
        FunctionConfiguration listed() {
            return new FunctionConfiguration(functionName, functionArn, runtime, role, handler, codeSize, description, timeout, memorySize,
                    lastModified, codeSha256, version, environment, tracingConfig, revisionId, null, null, null, null, null, null, packageType,
                    architectures, ephemeralStorage, loggingConfig, deadLetterConfig, layers);
        }
    }

    /** A layer version as a function's configuration reports it. */
    record Layer(String arn, Long codeSize) {}

    record DeadLetterConfig(String targetArn) {}

    record CreateFunctionRequest(
            String functionName,
            String runtime,
            String role,
            String handler,
            FunctionCode code,
            String description,
            Integer timeout,
            Integer memorySize,
            Boolean publish,
            Environment environment,
            String packageType,
            List<String> architectures,
            Map<String, String> tags,
            DeadLetterConfig deadLetterConfig,
            List<String> layers,
            // A tree: FunctionLogging tells an absent member from a wrong one.
            JsonNode loggingConfig,
            // Accepted on the wire only to be refused clearly (Stratus does not do these yet), EphemeralStorage aside.
            JsonNode vpcConfig,
            String kmsKeyArn,
            JsonNode tracingConfig,
            JsonNode ephemeralStorage,
            JsonNode fileSystemConfigs,
            JsonNode imageConfig,
            String codeSigningConfigArn,
            JsonNode snapStart) {}

    record GetFunctionRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record FunctionCodeLocation(String repositoryType, String location) {}

    record GetFunctionResponse(FunctionConfiguration configuration, FunctionCodeLocation code, Map<String, String> tags,
            ControlModel.Concurrency concurrency) {}

    record GetFunctionConfigurationRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record ListFunctionsRequest(
            @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems,
            @HttpQuery("FunctionVersion") String functionVersion,
            @HttpQuery("MasterRegion") String masterRegion) {}

    record ListFunctionsResponse(String nextMarker, List<FunctionConfiguration> functions) {}

    record UpdateFunctionCodeRequest(
            @HttpLabel("FunctionName") String functionName,
            byte[] zipFile,
            String s3Bucket,
            String s3Key,
            String s3ObjectVersion,
            String imageUri,
            Boolean publish,
            Boolean dryRun,
            String revisionId,
            List<String> architectures) {}

    record UpdateFunctionConfigurationRequest(
            @HttpLabel("FunctionName") String functionName,
            String role,
            String handler,
            String description,
            Integer timeout,
            Integer memorySize,
            Environment environment,
            String runtime,
            String revisionId,
            DeadLetterConfig deadLetterConfig,
            List<String> layers,
            JsonNode loggingConfig,
            // Accepted on the wire only to be refused clearly (Stratus does not do these yet), EphemeralStorage aside.
            JsonNode vpcConfig,
            String kmsKeyArn,
            JsonNode tracingConfig,
            JsonNode ephemeralStorage,
            JsonNode fileSystemConfigs,
            JsonNode imageConfig,
            JsonNode snapStart) {}

    record DeleteFunctionRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record DeleteFunctionResponse() {}

    record GetAccountSettingsRequest() {}

    record AccountLimit(Long totalCodeSize, Long codeSizeUnzipped, Long codeSizeZipped, Integer concurrentExecutions,
            Integer unreservedConcurrentExecutions) {}

    record AccountUsage(Long totalCodeSize, Long functionCount) {}

    record GetAccountSettingsResponse(AccountLimit accountLimit, AccountUsage accountUsage) {}

    /** Invoke's input, and InvokeWithResponseStream's: the two bind the same members to the same places. */
    record InvokeRequest(
            @HttpLabel("FunctionName") String functionName,
            @HttpHeader("X-Amz-Invocation-Type") String invocationType,
            @HttpHeader("X-Amz-Log-Type") String logType,
            @HttpHeader("X-Amz-Client-Context") String clientContext,
            @HttpQuery("Qualifier") String qualifier,
            @HttpPayload byte[] payload) {}

    record InvokeResponse(
            @HttpResponseCode Integer statusCode,
            @HttpHeader("X-Amz-Function-Error") String functionError,
            @HttpHeader("X-Amz-Log-Result") String logResult,
            @HttpHeader("X-Amz-Executed-Version") String executedVersion,
            @HttpPayload byte[] payload) {}

    /** @param eventStream the response's events in AWS's event stream encoding; {@code Content-Type} is the function's stream's */
    record InvokeWithResponseStreamResponse(
            @HttpResponseCode Integer statusCode,
            @HttpHeader("X-Amz-Executed-Version") String executedVersion,
            @HttpHeader("Content-Type") String responseStreamContentType,
            @HttpPayload java.io.InputStream eventStream) {}
}
