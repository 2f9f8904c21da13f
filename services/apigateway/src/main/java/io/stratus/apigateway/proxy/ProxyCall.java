package io.stratus.apigateway.proxy;

import static java.util.Objects.requireNonNull;

import io.stratus.protocol.HttpRequest;
import java.time.Instant;
import java.util.Map;

/**
 * One call to an API as a Lambda proxy integration describes it to the function: the request
 * plus what the gateway resolved (stage, resource or route, path parameters).
 *
 * @param accountId the account the API lives in
 * @param apiId the API's id
 * @param domainName the host the client called, e.g. {@code a1b2c3d4e5.execute-api.localhost:4566}
 * @param stage the stage's name, e.g. {@code prod} or {@code $default}
 * @param requestId the id the gateway gave the call
 * @param time when the gateway received the call
 * @param sourceIp the client's address
 * @param path the request path after the stage, percent-decoded, e.g. {@code /items/7}
 * @param resourcePath the matched resource or route path, e.g. {@code /items/{id}}
 * @param pathParameters values of the resource path's parameters; empty when it has none
 * @param stageVariables the stage's variables; empty when it has none
 * @param request the request: method, headers, query string and body
 * @param body the request body, already read
 * @param base64Body whether the body goes to the function base64-encoded (binary media)
 * @param iam the signed caller of an {@code AWS_IAM} method, else null
 */
public record ProxyCall(String accountId, String apiId, String domainName, String stage, String requestId, Instant time,
        String sourceIp, String path, String resourcePath, Map<String, String> pathParameters, Map<String, String> stageVariables,
        HttpRequest request, byte[] body, boolean base64Body, IamCaller iam) {

    /** A call without an IAM caller. */
    public ProxyCall(String accountId, String apiId, String domainName, String stage, String requestId, Instant time,
            String sourceIp, String path, String resourcePath, Map<String, String> pathParameters, Map<String, String> stageVariables,
            HttpRequest request, byte[] body, boolean base64Body) {
        this(accountId, apiId, domainName, stage, requestId, time, sourceIp, path, resourcePath, pathParameters, stageVariables, request, body,
                base64Body, null);
    }

    public ProxyCall {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(apiId, "apiId is null");
        requireNonNull(domainName, "domainName is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(time, "time is null");
        requireNonNull(sourceIp, "sourceIp is null");
        requireNonNull(path, "path is null");
        requireNonNull(resourcePath, "resourcePath is null");
        pathParameters = Map.copyOf(pathParameters);
        stageVariables = Map.copyOf(stageVariables);
        requireNonNull(request, "request is null");
        requireNonNull(body, "body is null");
    }

    public String method() {
        return request.method();
    }

    /** The {@code User-Agent} header, or null. */
    public String userAgent() {
        return request.header("user-agent").orElse(null);
    }
}
