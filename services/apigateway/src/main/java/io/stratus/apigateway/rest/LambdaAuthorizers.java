package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.proxy.ProxyEventV1;
import io.stratus.apigateway.rest.RestApiModel.Authorizer;
import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Lambda authorizers ({@code TOKEN} and {@code REQUEST}) before a method's integration, as API
 * Gateway does: the identity sources must be present (else 401), the function's IAM policy is
 * cached for the authorizer's TTL by identity and evaluated against each call's method ARN (an
 * explicit Deny or no Allow is 403), and {@code principalId} and {@code context} reach the
 * integration. Thread-safe: the cache is a concurrent map.
 */
final class LambdaAuthorizers {

    /** Whether the call may go on, with what the authorizer said, or the response that ends it. */
    sealed interface Decision {
        record Allowed(Map<String, Object> authorizer) implements Decision {}

        record Refused(GatewayError error) implements Decision {}
    }

    /** What an authorizer function returned, kept for its TTL. */
    private record Verdict(String principalId, List<Statement> statements, Map<String, Object> context, Instant expires) {}

    private record Statement(boolean allow, List<String> actions, List<String> resources) {}

    private static final Logger LOG = LoggerFactory.getLogger(LambdaAuthorizers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 10_000;

    private final FunctionInvoker functions;
    private final Clock clock;
    private final Map<String, Verdict> cache = new ConcurrentHashMap<>();

    LambdaAuthorizers(FunctionInvoker functions, Clock clock) {
        this.functions = requireNonNull(functions, "functions is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Decision authorize(Invocation call, Authorizer authorizer, String deploymentId) {
        List<String> identity = identity(call, authorizer);
        if (identity == null) {
            return unauthorized();
        }
        if (authorizer.type().equals("TOKEN") && authorizer.identityValidationExpression() != null
                && !Pattern.compile(authorizer.identityValidationExpression()).matcher(identity.getFirst()).matches()) {
            return unauthorized();
        }
        int ttl = authorizer.authorizerResultTtlInSeconds() == null ? AuthorizerOperations.DEFAULT_TTL_SECONDS : authorizer.authorizerResultTtlInSeconds();
        // A REQUEST authorizer without identity sources is never cached, as on AWS.
        boolean cacheable = ttl > 0 && !identity.isEmpty();
        String cacheKey = call.accountId() + "/" + call.apiId() + "/" + deploymentId + "/" + authorizer.id() + "/" + String.join("\n", identity);
        Instant now = clock.instant();
        Verdict verdict = cacheable ? cache.get(cacheKey) : null;
        if (verdict == null || !verdict.expires().isAfter(now)) {
            Object outcome = invoke(call, authorizer, identity, now.plusSeconds(ttl));
            if (outcome instanceof Decision.Refused refused) {
                return refused;
            }
            verdict = (Verdict) outcome;
            if (cacheable) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(cacheKey, verdict);
            }
        }
        return evaluate(verdict, call.methodArn());
    }

    /** The identity source values in order, or null when one is missing. */
    private static List<String> identity(Invocation call, Authorizer authorizer) {
        List<String> values = new ArrayList<>();
        String sources = authorizer.identitySource();
        if (sources == null || sources.isBlank()) {
            return authorizer.type().equals("TOKEN") ? null : values;
        }
        for (String source : sources.split(",")) {
            String name = source.trim();
            String value = null;
            if (name.startsWith("method.request.header.") || name.startsWith("method.request.multivalueheader.")) {
                List<String> all = call.request().headerValues(name.substring(name.lastIndexOf('.') + 1));
                value = all.isEmpty() ? null : String.join(",", all);
            } else if (name.startsWith("method.request.querystring.") || name.startsWith("method.request.multivaluequerystring.")) {
                List<String> all = call.request().query().all(name.substring(name.lastIndexOf('.') + 1));
                value = all.isEmpty() ? null : String.join(",", all);
            } else if (name.startsWith("stageVariables.")) {
                value = call.stageVariables().get(name.substring("stageVariables.".length()));
            } else if (name.startsWith("context.")) {
                Object found = call.templateContext().get(name.substring("context.".length()));
                value = found == null ? null : found.toString();
            }
            if (value == null || value.isEmpty()) {
                return null;
            }
            values.add(value);
        }
        return values;
    }

    /** Runs the function: a {@link Verdict}, or a {@link Decision.Refused} when it failed or answered nonsense. */
    private Object invoke(Invocation call, Authorizer authorizer, List<String> identity, Instant expires) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", authorizer.type());
        if (authorizer.type().equals("TOKEN")) {
            event.put("authorizationToken", identity.getFirst());
            event.put("methodArn", call.methodArn());
        } else {
            event.put("methodArn", call.methodArn());
            ObjectNode proxy = ProxyEventV1.of(call.proxyCall(), ProxyEventV1.Flavor.REST);
            ((ObjectNode) proxy.get("requestContext")).put("resourceId", call.match().resource().id());
            proxy.remove(List.of("body", "isBase64Encoded"));
            event.setAll(proxy);
        }
        FunctionInvoker.Result result;
        try {
            result = functions.invoke(call.accountId(), call.region(), IntegrationRules.functionArn(
                    LambdaIntegration.resolve(authorizer.authorizerUri(), call.stageVariables())), event.toString().getBytes(StandardCharsets.UTF_8));
        } catch (AwsException e) {
            LOG.debug("Authorizer {} failed: {}", authorizer.name(), e.getMessage());
            return new Decision.Refused(GatewayError.authorizerConfiguration());
        }
        try {
            JsonNode answer = JSON.readTree(result.payload());
            if (result.failed()) {
                boolean unauthorized = answer != null && "Unauthorized".equals(answer.path("errorMessage").asText());
                return new Decision.Refused(unauthorized ? GatewayError.unauthorized() : GatewayError.authorizerConfiguration());
            }
            return verdict(answer, expires);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("Authorizer {} answered something that is not a policy: {}", authorizer.name(), e.getMessage());
            return new Decision.Refused(GatewayError.authorizerConfiguration());
        }
    }

    private static Verdict verdict(JsonNode answer, Instant expires) {
        if (answer == null || !answer.isObject() || !answer.path("principalId").isValueNode()) {
            throw new IllegalArgumentException("no principalId");
        }
        JsonNode document = answer.path("policyDocument");
        JsonNode statementNode = document.path("Statement");
        if (!document.isObject() || statementNode.isMissingNode()) {
            throw new IllegalArgumentException("no policyDocument.Statement");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode statement : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            String effect = statement.path("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("Effect is neither Allow nor Deny");
            }
            statements.add(new Statement(effect.equals("Allow"), strings(statement.path("Action")), strings(statement.path("Resource"))));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        JsonNode contextNode = answer.path("context");
        if (contextNode.isObject()) {
            for (var field : contextNode.properties()) {
                if (!field.getValue().isValueNode()) {
                    // AWS refuses nested objects and arrays in an authorizer's context.
                    throw new IllegalArgumentException("context." + field.getKey() + " is not a string, number or boolean");
                }
                context.put(field.getKey(), TemplateValues.toJava(field.getValue()));
            }
        }
        return new Verdict(answer.path("principalId").asText(), statements, context, expires);
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static Decision evaluate(Verdict verdict, String methodArn) {
        boolean allowed = false;
        for (Statement statement : verdict.statements()) {
            boolean applies = statement.actions().stream().anyMatch(LambdaAuthorizers::invokes)
                    && statement.resources().stream().anyMatch(resource -> glob(resource, methodArn));
            if (applies && !statement.allow()) {
                return new Decision.Refused(GatewayError.accessDenied("User is not authorized to access this resource with an explicit deny"));
            }
            allowed |= applies;
        }
        if (!allowed) {
            return new Decision.Refused(GatewayError.accessDenied("User is not authorized to access this resource"));
        }
        Map<String, Object> authorizer = new LinkedHashMap<>(verdict.context());
        authorizer.put("principalId", verdict.principalId());
        return new Decision.Allowed(authorizer);
    }

    private static boolean invokes(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        return lower.equals("*") || lower.equals("execute-api:*") || lower.equals("execute-api:invoke");
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} any one. */
    static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    private static Decision.Refused unauthorized() {
        return new Decision.Refused(GatewayError.unauthorized());
    }
}
