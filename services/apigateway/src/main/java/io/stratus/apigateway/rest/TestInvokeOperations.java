package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.storage.StoreReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TestInvokeMethod: runs a method's integration as it is now, without deploying it and without
 * its authorizer or API key check, as the console's Test button does. Thread-safe.
 */
final class TestInvokeOperations {

    record TestInvokeMethodRequest(
            @HttpLabel("restapi_id") String restApiId,
            @HttpLabel("resource_id") String resourceId,
            @HttpLabel("http_method") String httpMethod,
            String pathWithQueryString,
            String body,
            Map<String, String> headers,
            Map<String, List<String>> multiValueHeaders,
            String clientCertificateId,
            Map<String, String> stageVariables) {}

    record TestInvokeMethodResponse(Integer status, String body, Map<String, String> headers, Map<String, List<String>> multiValueHeaders,
            String log, Long latency) {}

    private final RestApiStore store;
    private final RestApiInvoker invoker;

    TestInvokeOperations(RestApiStore store, RestApiInvoker invoker) {
        this.store = requireNonNull(store, "store is null");
        this.invoker = requireNonNull(invoker, "invoker is null");
    }

    TestInvokeMethodResponse testInvokeMethod(RequestContext context, TestInvokeMethodRequest request) {
        RestApiService.notYet("clientCertificateId", request.clientCertificateId() != null);
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        Resource resource = RestApiOperations.resource(reader, key, request.resourceId());
        Method method = MethodOperations.method(resource, request.httpMethod());
        if (method.methodIntegration() == null) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid Integration identifier specified");
        }
        String given = request.pathWithQueryString() == null || request.pathWithQueryString().isEmpty()
                ? resource.path() : request.pathWithQueryString();
        String pathAndQuery = given.startsWith("/") ? given : "/" + given;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        }
        if (request.multiValueHeaders() != null) {
            headers.putAll(request.multiValueHeaders());
        }
        String httpMethod = request.httpMethod().equals("ANY") ? "GET" : request.httpMethod();
        HttpRequest call = HttpRequest.of(httpMethod, pathAndQuery, headers,
                request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8));
        Map<String, String> parameters = pathParameters(resource.path(), call.path());
        if (parameters == null) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "The path %s does not match the resource %s", call.path(), resource.path());
        }
        long start = System.nanoTime();
        HttpResponse response = invoker.testInvoke(context, key, resource, method, parameters, call,
                request.stageVariables() == null ? Map.of() : request.stageVariables());
        long latency = (System.nanoTime() - start) / 1_000_000;
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, List<String>> multi = new LinkedHashMap<>();
        response.headers().forEach(header -> {
            single.put(header.getKey(), header.getValue());
            multi.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
        });
        String log = "Execution log for request " + context.requestId() + "\n" + httpMethod + " " + pathAndQuery + " → " + response.status() + "\n";
        return new TestInvokeMethodResponse(response.status(), new String(response.body(), StandardCharsets.UTF_8), single, multi, log, latency);
    }

    /** The values of the resource path's parameters in {@code path}, or null when it does not match. */
    static Map<String, String> pathParameters(String resourcePath, String path) {
        String[] template = resourcePath.equals("/") ? new String[0] : resourcePath.substring(1).split("/");
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        String[] actual = trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.endsWith("+}")) {
                if (i >= actual.length) {
                    return null;
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", java.util.Arrays.copyOfRange(actual, i, actual.length)));
                return parameters;
            }
            if (i >= actual.length) {
                return null;
            }
            if (part.startsWith("{")) {
                parameters.put(part.substring(1, part.length() - 1), actual[i]);
            } else if (!part.equals(actual[i])) {
                return null;
            }
        }
        return template.length == actual.length ? parameters : null;
    }
}
