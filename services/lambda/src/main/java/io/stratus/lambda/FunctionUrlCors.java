package io.stratus.lambda;

import io.stratus.core.AwsException;
import io.stratus.lambda.FunctionUrlModel.Cors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A function URL's CORS settings: checked when set, applied when called. With settings, Lambda
 * answers preflight {@code OPTIONS} requests itself and puts its own CORS headers on the
 * function's responses to allowed origins (replacing any the function set), as AWS does. Stateless.
 */
final class FunctionUrlCors {

    private FunctionUrlCors() {}

    /** The settings as given, checked against AWS's constraints. */
    static Cors validate(Cors cors) {
        if (cors == null) {
            return null;
        }
        items(cors.allowHeaders(), "cors.allowHeaders", 100, 1024);
        items(cors.allowMethods(), "cors.allowMethods", 6, 6);
        items(cors.allowOrigins(), "cors.allowOrigins", 100, 253);
        items(cors.exposeHeaders(), "cors.exposeHeaders", 100, 1024);
        if (cors.allowOrigins() != null) {
            for (String origin : cors.allowOrigins()) {
                if (origin.isEmpty()) {
                    throw invalid(cors.allowOrigins().toString(), "cors.allowOrigins", "Member must have length greater than or equal to 1");
                }
            }
        }
        if (cors.maxAge() != null && (cors.maxAge() < 0 || cors.maxAge() > 86400)) {
            throw invalid(cors.maxAge().toString(), "cors.maxAge",
                    cors.maxAge() < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 86400");
        }
        return cors;
    }

    private static void items(List<String> values, String member, int maxItems, int maxLength) {
        if (values == null) {
            return;
        }
        if (values.size() > maxItems) {
            throw invalid(values.toString(), member, "Member must have length less than or equal to " + maxItems);
        }
        for (String value : values) {
            if (value == null || value.length() > maxLength) {
                throw invalid(values.toString(), member, "Member must satisfy constraint: [Member must have length less than or equal to " + maxLength + "]");
            }
        }
    }

    private static AwsException invalid(String value, String member, String constraint) {
        return AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
                value, member, constraint);
    }

    /** Whether Lambda answers this request itself: a preflight, on a URL with CORS settings. */
    static boolean isPreflight(Cors cors, HttpRequest request) {
        return cors != null && request.method().equals("OPTIONS") && request.header("origin").isPresent()
                && request.header("access-control-request-method").isPresent();
    }

    /** The answer to a preflight: 200, with the grants when the origin is allowed, else without any. */
    static HttpResponse preflight(Cors cors, HttpRequest request) {
        HttpResponse response = new HttpResponse(200, new byte[0]);
        Optional<String> origin = allowedOrigin(cors, request);
        if (origin.isEmpty()) {
            return response;
        }
        response.header("Access-Control-Allow-Origin", origin.get());
        if (Boolean.TRUE.equals(cors.allowCredentials())) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
        if (cors.allowMethods() != null && !cors.allowMethods().isEmpty()) {
            response.header("Access-Control-Allow-Methods", String.join(",", cors.allowMethods()));
        }
        if (cors.allowHeaders() != null && !cors.allowHeaders().isEmpty()) {
            response.header("Access-Control-Allow-Headers", String.join(",", cors.allowHeaders()));
        }
        if (cors.exposeHeaders() != null && !cors.exposeHeaders().isEmpty()) {
            response.header("Access-Control-Expose-Headers", String.join(",", cors.exposeHeaders()));
        }
        if (cors.maxAge() != null) {
            response.header("Access-Control-Max-Age", cors.maxAge().toString());
        }
        response.header("Vary", "Origin");
        return response;
    }

    /** The function's response with the URL's CORS headers in place of its own. */
    static HttpResponse apply(Cors cors, HttpRequest request, HttpResponse response) {
        if (cors == null) {
            return response;
        }
        HttpResponse result = new HttpResponse(response.status(), response.body());
        response.headers().stream()
                .filter(header -> !header.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-"))
                .forEach(header -> result.header(header.getKey(), header.getValue()));
        Optional<String> origin = allowedOrigin(cors, request);
        if (origin.isPresent()) {
            result.header("Access-Control-Allow-Origin", origin.get());
            if (Boolean.TRUE.equals(cors.allowCredentials())) {
                result.header("Access-Control-Allow-Credentials", "true");
            }
            if (cors.exposeHeaders() != null && !cors.exposeHeaders().isEmpty()) {
                result.header("Access-Control-Expose-Headers", String.join(",", cors.exposeHeaders()));
            }
            result.header("Vary", "Origin");
        }
        return result;
    }

    /** What {@code Access-Control-Allow-Origin} says to the request's origin: {@code *} or the origin; empty when not allowed. */
    private static Optional<String> allowedOrigin(Cors cors, HttpRequest request) {
        Optional<String> origin = request.header("origin");
        if (origin.isEmpty() || cors.allowOrigins() == null) {
            return Optional.empty();
        }
        if (cors.allowOrigins().contains("*")) {
            return Optional.of("*");
        }
        return cors.allowOrigins().stream().filter(allowed -> allowed.equalsIgnoreCase(origin.get())).findFirst().map(allowed -> origin.get());
    }
}
