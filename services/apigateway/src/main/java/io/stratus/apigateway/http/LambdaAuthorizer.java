package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.proxy.IntegrationUris;
import io.stratus.apigateway.proxy.ProxyCall;
import io.stratus.apigateway.proxy.ProxyEventV1;
import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda authorizers ({@code REQUEST}): a call without one of the identity sources is 401 without
 * calling the function; else the function gets the request (payload format 2.0 or 1.0, without the
 * body) and answers {@code {"isAuthorized": …}} (simple responses) or an IAM policy whose
 * {@code execute-api:Invoke} statements are matched against the route's ARN, Deny first. Not
 * authorized: 403. A failing function or an answer that is neither: 500. With a TTL and identity
 * sources, answers are cached per identity for the TTL (a policy is matched against each call's
 * route). Thread-safe: the cache is a concurrent map.
 */
final class LambdaAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaAuthorizer.class);

    private static final int MAX_CACHED = 10_000;

    /**
     * An answer is cached per API, authorizer and identity source values, as API Gateway caches it;
     * the whole authorizer is part of the key, so changing it starts afresh.
     */
    private record CacheKey(String apiId, Authorizer authorizer, List<String> identity) {}

    private record Cached(JsonNode answer, Instant expires) {}

    private final FunctionInvoker functions;
    private final Clock clock;
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();

    LambdaAuthorizer(FunctionInvoker functions, Clock clock) {
        this.functions = requireNonNull(functions, "functions is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * @param request the call as it arrived, for the format 1.0 event
     * @param path the call's path after the stage, decoded
     * @param region the API's region, for the route's ARN
     */
    AuthorizerDecision authorize(Authorizer authorizer, HttpApiCall call, HttpRequest request, String path, String region) {
        Optional<List<String>> identity = IdentitySources.values(authorizer.identitySource(), call);
        if (identity.isEmpty()) {
            return AuthorizerDecision.unauthorized();
        }
        String routeArn = "arn:aws:execute-api:" + region + ":" + call.accountId() + ":" + call.apiId() + "/" + call.stage() + "/"
                + call.method() + path;
        CacheKey cacheKey = new CacheKey(call.apiId(), authorizer, identity.get());
        JsonNode answer = cached(cacheKey);
        if (answer == null) {
            answer = ask(authorizer, call, request, path, routeArn, identity.get());
            if (answer == null) {
                return AuthorizerDecision.internalError();
            }
            if (authorizer.authorizerResultTtlInSeconds() > 0 && !authorizer.identitySource().isEmpty()) {
                cache(cacheKey, answer, authorizer.authorizerResultTtlInSeconds());
            }
        }
        Boolean allowed = authorizer.enableSimpleResponses() ? simple(answer) : policy(answer, routeArn);
        if (allowed == null) {
            LOG.debug("Authorizer {} answered neither a simple response nor a policy: {}", authorizer.authorizerId(), answer);
            return AuthorizerDecision.internalError();
        }
        if (!allowed) {
            return AuthorizerDecision.forbidden();
        }
        ObjectNode context = answer.path("context").isObject() ? (ObjectNode) answer.get("context").deepCopy() : ProxyEventV2.JSON.createObjectNode();
        ObjectNode forV2 = ProxyEventV2.JSON.createObjectNode();
        forV2.set("lambda", context);
        ObjectNode forV1 = context.deepCopy();
        if (answer.path("principalId").isTextual()) {
            forV1.put("principalId", answer.get("principalId").asText());
        }
        return new AuthorizerDecision.Allow(forV2, forV1);
    }

    /** What the function answers for the call: a JSON object, or null when it fails or answers something else. */
    private JsonNode ask(Authorizer authorizer, HttpApiCall call, HttpRequest request, String path, String routeArn, List<String> identity) {
        boolean v2 = authorizer.authorizerPayloadFormatVersion().equals("2.0");
        ObjectNode event;
        if (v2) {
            event = ProxyEventV2.of(call);
            event.put("type", "REQUEST");
            event.put("routeArn", routeArn);
            ArrayNode sources = event.putArray("identitySource");
            identity.forEach(sources::add);
        } else {
            event = ProxyEventV1.of(new ProxyCall(call.accountId(), call.apiId(), call.domainName(), call.stage(), call.requestId(), call.time(),
                    call.sourceIp(), path, call.resourcePath(), call.pathParameters(), call.stageVariables(), request, new byte[0], false),
                    ProxyEventV1.Flavor.HTTP);
            event.put("type", "REQUEST");
            event.put("methodArn", routeArn);
            event.put("identitySource", String.join(",", identity));
        }
        event.remove("body");
        event.remove("isBase64Encoded");
        String functionArn = IntegrationUris.functionArn(authorizer.authorizerUri()).orElseThrow();
        String[] arn = functionArn.split(":");
        FunctionInvoker.Result result;
        try {
            result = functions.invoke(arn[4], arn[3], functionArn, event.toString().getBytes(StandardCharsets.UTF_8));
        } catch (AwsException e) {
            LOG.debug("Authorizer {} could not invoke {}: {}", authorizer.authorizerId(), functionArn, e.getMessage());
            return null;
        }
        if (result.failed()) {
            return null;
        }
        try {
            JsonNode answer = ProxyEventV2.JSON.readTree(result.payload());
            return answer != null && answer.isObject() ? answer : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A cached answer still fresh, or null. */
    private JsonNode cached(CacheKey key) {
        Cached entry = cache.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.expires().isAfter(clock.instant())) {
            cache.remove(key, entry);
            return null;
        }
        return entry.answer();
    }

    private void cache(CacheKey key, JsonNode answer, int ttlSeconds) {
        if (cache.size() >= MAX_CACHED) {
            // Crude but bounded: a local server rarely sees this many identities within a TTL.
            cache.clear();
        }
        cache.put(key, new Cached(answer, clock.instant().plusSeconds(ttlSeconds)));
    }

    /** {@code isAuthorized}, or null when the answer has none. */
    private static Boolean simple(JsonNode answer) {
        JsonNode value = answer.get("isAuthorized");
        return value != null && value.isBoolean() ? value.asBoolean() : null;
    }

    /** Whether the policy allows invoking the route; null when the answer is no policy. */
    private static Boolean policy(JsonNode answer, String routeArn) {
        JsonNode statements = answer.path("policyDocument").path("Statement");
        if (!answer.path("principalId").isTextual() || !(statements.isArray() || statements.isObject())) {
            return null;
        }
        boolean allowed = false;
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            if (!matchesAny(statement.path("Action"), "execute-api:Invoke") || !matchesAny(statement.path("Resource"), routeArn)) {
                continue;
            }
            String effect = statement.path("Effect").asText();
            if (effect.equals("Deny")) {
                return false;
            }
            allowed |= effect.equals("Allow");
        }
        return allowed;
    }

    private static boolean matchesAny(JsonNode patterns, String value) {
        for (JsonNode pattern : patterns.isArray() ? patterns : List.of(patterns)) {
            if (pattern.isTextual() && glob(pattern.asText()).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    /** An IAM wildcard pattern: {@code *} any run of characters, {@code ?} one character. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
