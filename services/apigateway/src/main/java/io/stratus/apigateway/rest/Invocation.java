package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.proxy.IamCaller;
import io.stratus.apigateway.proxy.ProxyCall;
import io.stratus.apigateway.rest.ResourceMatcher.Match;
import io.stratus.protocol.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One call to a deployed stage, once the resource and method are known: what integrations,
 * templates and parameter mappings read.
 *
 * @param path the path after the stage, percent-decoded ({@code /items/7})
 * @param domainName the host the client called
 * @param base64Body whether the body is binary by the API's {@code binaryMediaTypes}
 * @param authorizer what a Lambda authorizer said about the caller: {@code principalId} and its
 *     context; empty when the method has none
 * @param signer who signed the request, or null for an unsigned one (what an {@code AWS_IAM}
 *     method requires, and what its proxy event's {@code identity} reports)
 */
record Invocation(String accountId, String region, String apiId, String stage, Map<String, String> stageVariables, Match match,
        HttpRequest request, byte[] body, String path, String requestId, Instant time, String domainName, String sourceIp,
        boolean base64Body, Map<String, Object> authorizer, IamCaller signer) {

    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    Invocation {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
        requireNonNull(apiId, "apiId is null");
        requireNonNull(stage, "stage is null");
        stageVariables = Map.copyOf(stageVariables);
        requireNonNull(match, "match is null");
        requireNonNull(request, "request is null");
        requireNonNull(body, "body is null");
        requireNonNull(path, "path is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(time, "time is null");
        requireNonNull(domainName, "domainName is null");
        requireNonNull(sourceIp, "sourceIp is null");
        authorizer = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(authorizer));
    }

    Invocation withAuthorizer(Map<String, Object> values) {
        return new Invocation(accountId, region, apiId, stage, stageVariables, match, request, body, path, requestId, time, domainName, sourceIp,
                base64Body, values, signer);
    }

    /** The call as the shared Lambda proxy code describes it. */
    ProxyCall proxyCall() {
        boolean iamMethod = "AWS_IAM".equals(match.method().authorizationType());
        return new ProxyCall(accountId, apiId, domainName, stage, requestId, time, sourceIp, path, match.resource().path(),
                match.pathParameters(), stageVariables, request, body, base64Body, iamMethod ? signer : null);
    }

    /** {@code arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>}, as authorizers see it. */
    String methodArn() {
        return "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId + "/" + stage + "/" + request.method() + "/" + path.substring(1);
    }

    RestApiModel.Integration integration() {
        return match.method().methodIntegration();
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of each header, named as HTTP/1.1 clients write them ({@code Content-Type}). */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(titleCase(name), values.getFirst()));
        return headers;
    }

    private static String titleCase(String lowerName) {
        StringBuilder out = new StringBuilder(lowerName.length());
        boolean start = true;
        for (char c : lowerName.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == '-';
        }
        return out.toString();
    }

    Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        request.query().asMap().forEach((name, values) -> query.put(name, values.getFirst()));
        return query;
    }

    /** {@code $input} over {@code payload}, with this call's parameters. */
    TemplateInput input(String payload) {
        return new TemplateInput(payload, match.pathParameters(), query(), headers());
    }

    /**
     * {@code $context} for a mapping template: a fresh mutable map per rendering, so a template can
     * set {@code $context.responseOverride.status}.
     */
    Map<String, Object> templateContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", accountId);
        context.put("apiId", apiId);
        context.put("domainName", domainName);
        context.put("domainPrefix", apiId);
        context.put("extendedRequestId", requestId);
        context.put("httpMethod", request.method());
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", sourceIp);
        identity.put("userAgent", request.header("user-agent").orElse(null));
        context.put("identity", identity);
        context.put("path", "/" + stage + path);
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", requestId);
        context.put("requestTime", REQUEST_TIME.format(time));
        context.put("requestTimeEpoch", time.toEpochMilli());
        context.put("resourceId", match.resource().id());
        context.put("resourcePath", match.resource().path());
        context.put("stage", stage);
        if (!authorizer.isEmpty()) {
            context.put("authorizer", new LinkedHashMap<>(authorizer));
        }
        Map<String, Object> responseOverride = new LinkedHashMap<>();
        responseOverride.put("header", new LinkedHashMap<String, Object>());
        context.put("responseOverride", responseOverride);
        Map<String, Object> requestOverride = new LinkedHashMap<>();
        requestOverride.put("header", new LinkedHashMap<String, Object>());
        requestOverride.put("querystring", new LinkedHashMap<String, Object>());
        requestOverride.put("path", new LinkedHashMap<String, Object>());
        context.put("requestOverride", requestOverride);
        return context;
    }

    RequestParameters.Sources sources() {
        return new RequestParameters.Sources(match.pathParameters(), request.query().asMap(), request.headers(), stageVariables, templateContext());
    }

    List<String> pathSegments() {
        return List.of(path.split("/"));
    }
}
