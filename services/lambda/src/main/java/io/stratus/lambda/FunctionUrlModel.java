package io.stratus.lambda;

import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;

/** The request and response records of the function URL operations, named as AWS names them. */
final class FunctionUrlModel {

    private FunctionUrlModel() {}

    record Cors(Boolean allowCredentials, List<String> allowHeaders, List<String> allowMethods, List<String> allowOrigins,
            List<String> exposeHeaders, Integer maxAge) {}

    record CreateFunctionUrlConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier,
            String authType, Cors cors, String invokeMode) {}

    record UpdateFunctionUrlConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier,
            String authType, Cors cors, String invokeMode) {}

    record FunctionUrlConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record CreateFunctionUrlConfigResponse(String functionUrl, String functionArn, String authType, Cors cors, String creationTime,
            String invokeMode) {}

    /** GetFunctionUrlConfig's and UpdateFunctionUrlConfig's answer, and an entry of ListFunctionUrlConfigs. */
    record FunctionUrlConfig(String functionUrl, String functionArn, String authType, Cors cors, String creationTime,
            String lastModifiedTime, String invokeMode) {}

    record ListFunctionUrlConfigsRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems) {}

    record ListFunctionUrlConfigsResponse(List<FunctionUrlConfig> functionUrlConfigs, String nextMarker) {}
}
