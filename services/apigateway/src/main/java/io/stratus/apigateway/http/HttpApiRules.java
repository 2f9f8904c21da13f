package io.stratus.apigateway.http;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.http.HttpApiResources.Api;
import io.stratus.apigateway.http.HttpApiResources.Cors;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The checks and conversions the HTTP API operations share. Stateless. */
final class HttpApiRules {

    static final int DEFAULT_PAGE_SIZE = 100;
    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern STAGE_VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern STAGE_VARIABLE_VALUE = Pattern.compile("[A-Za-z0-9-._~:/?#&=,]{0,512}");

    private HttpApiRules() {}

    /** A page request: at most {@code limit} items after the id {@code after} (null: from the first). */
    record Page(int limit, String after) {

        /** How many items to read: one more than the page holds, to know whether another page follows. */
        int fetch() {
            return limit + 1;
        }

        /** The page of what was read ({@link #fetch()} items at most). */
        <T> List<T> items(List<T> fetched) {
            return fetched.size() > limit ? fetched.subList(0, limit) : fetched;
        }

        /** The token for the next page, or null when what was read ends the list. */
        <T> String nextToken(List<T> fetched, java.util.function.Function<T, String> id) {
            if (fetched.size() <= limit) {
                return null;
            }
            String lastId = id.apply(fetched.get(limit - 1));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
        }
    }

    static Page page(String maxResults, String nextToken) {
        int limit = DEFAULT_PAGE_SIZE;
        if (maxResults != null) {
            try {
                limit = Integer.parseInt(maxResults);
            } catch (NumberFormatException e) {
                throw badRequest("Invalid maxResults: %s", maxResults);
            }
            if (limit < 1 || limit > 500) {
                throw badRequest("maxResults must be between 1 and 500.");
            }
        }
        String after = null;
        if (nextToken != null && !nextToken.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw badRequest("Invalid nextToken.");
            }
        }
        return new Page(limit, after);
    }

    static String now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Api requireApi(HttpApiStore.Writes writes, RequestContext context, String apiId) {
        return writes.api(context.accountId(), context.region(), apiId).orElseThrow(() -> apiNotFound(context, apiId));
    }

    static Api requireApi(HttpApiStore store, RequestContext context, String apiId) {
        return store.api(context.accountId(), context.region(), apiId).orElseThrow(() -> apiNotFound(context, apiId));
    }

    static AwsException apiNotFound(RequestContext context, String apiId) {
        return notFound("Invalid API identifier specified %s:%s", context.accountId(), apiId);
    }

    static AwsException notFound(String format, Object... args) {
        return AwsException.of(ApiGatewayErrors.NOT_FOUND, format, args);
    }

    static AwsException badRequest(String format, Object... args) {
        return AwsException.of(ApiGatewayErrors.BAD_REQUEST, format, args);
    }

    static AwsException conflict(String format, Object... args) {
        return AwsException.of(ApiGatewayErrors.CONFLICT, format, args);
    }

    /** Refuses what Stratus accepts on the wire but does not do yet: never a success that did not do what was asked. */
    static void notYet(String what, boolean given) {
        if (given) {
            throw io.stratus.apigateway.NotYet.error(what);
        }
    }

    static boolean present(com.fasterxml.jackson.databind.JsonNode node) {
        return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
    }

    static String required(String value, String member) {
        if (value == null || value.isBlank()) {
            throw badRequest("%s is required.", member);
        }
        return value;
    }

    static void checkName(String name) {
        required(name, "name");
        if (name.length() > 128) {
            throw badRequest("name must be at most 128 characters long.");
        }
    }

    static String checkStageName(String stageName) {
        required(stageName, "stageName");
        if (!stageName.equals(HttpApiResources.Stage.DEFAULT) && !STAGE_NAME.matcher(stageName).matches()) {
            throw badRequest("Stage name only allows a-zA-Z0-9_- or $default: %s", stageName);
        }
        return stageName;
    }

    static Map<String, String> checkStageVariables(Map<String, String> variables) {
        if (variables == null) {
            return Map.of();
        }
        variables.forEach((name, value) -> {
            if (!STAGE_VARIABLE_NAME.matcher(name).matches()) {
                throw badRequest("Stage variable names must match [A-Za-z0-9_]{1,64}: %s", name);
            }
            if (value == null || !STAGE_VARIABLE_VALUE.matcher(value).matches()) {
                throw badRequest("Invalid value for stage variable %s", name);
            }
        });
        return variables;
    }

    static Map<String, String> checkTags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > 50) {
            throw badRequest("A resource has at most 50 tags.");
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
                throw badRequest("Invalid tag key: %s", key);
            }
            if (value != null && value.length() > 256) {
                throw badRequest("Invalid tag value for key %s", key);
            }
        });
        return tags;
    }

    static Cors checkCors(Cors cors) {
        if (cors == null) {
            return null;
        }
        if (cors.maxAge() != null && (cors.maxAge() < -1 || cors.maxAge() > 86400)) {
            throw badRequest("maxAge must be between -1 and 86400.");
        }
        if (Boolean.TRUE.equals(cors.allowCredentials()) && cors.allowOrigins() != null && cors.allowOrigins().contains("*")) {
            throw badRequest("allow-credentials is not supported with a wildcard ('*') allow-origin.");
        }
        if (cors.allowMethods() != null) {
            for (String method : cors.allowMethods()) {
                if (!method.equals("*") && !RouteKey.METHODS.contains(method.toUpperCase(java.util.Locale.ROOT))) {
                    throw badRequest("Invalid CORS allow-method: %s", method);
                }
            }
        }
        return cors;
    }

    static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
