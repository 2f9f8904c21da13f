package io.stratus.apigateway.http;

import io.stratus.apigateway.http.HttpApiResources.Cors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An API's CORS configuration applied to calls: API Gateway answers preflight requests itself
 * (whatever the routes), and adds the CORS headers to other responses, in place of any the
 * integration sent. Immutable; thread-safe.
 */
final class CorsPolicy {

    private final Cors cors;

    CorsPolicy(Cors cors) {
        this.cors = cors;
    }

    boolean configured() {
        return cors != null;
    }

    /** Whether the call is a CORS preflight this policy answers. */
    boolean isPreflight(HttpRequest request) {
        return cors != null && request.method().equals("OPTIONS") && request.header("origin").isPresent()
                && request.header("access-control-request-method").isPresent();
    }

    HttpResponse preflight(HttpRequest request) {
        HttpResponse response = HttpResponse.empty(204);
        String origin = request.header("origin").orElse("");
        allowedOrigin(origin).ifPresent(allowed -> {
            response.header("Access-Control-Allow-Origin", allowed);
            String methods = String.join(",", HttpApiRules.orEmpty(cors.allowMethods()));
            if (methods.equals("*")) {
                methods = request.header("access-control-request-method").orElse("*");
            }
            if (!methods.isEmpty()) {
                response.header("Access-Control-Allow-Methods", methods);
            }
            String headers = String.join(",", HttpApiRules.orEmpty(cors.allowHeaders())).toLowerCase(Locale.ROOT);
            if (headers.equals("*")) {
                headers = request.header("access-control-request-headers").orElse("*");
            }
            if (!headers.isEmpty()) {
                response.header("Access-Control-Allow-Headers", headers);
            }
            if (cors.maxAge() != null && cors.maxAge() >= 0) {
                response.header("Access-Control-Max-Age", Integer.toString(cors.maxAge()));
            }
            if (Boolean.TRUE.equals(cors.allowCredentials())) {
                response.header("Access-Control-Allow-Credentials", "true");
            }
        });
        return response;
    }

    /** The response with the integration's CORS headers replaced by the API's, for a call from an allowed origin. */
    HttpResponse apply(HttpRequest request, HttpResponse response) {
        if (cors == null) {
            return response;
        }
        HttpResponse out = new HttpResponse(response.status(), response.body());
        for (Map.Entry<String, String> header : response.headers()) {
            if (!header.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-")) {
                out.header(header.getKey(), header.getValue());
            }
        }
        request.header("origin").flatMap(this::allowedOrigin).ifPresent(allowed -> {
            out.header("Access-Control-Allow-Origin", allowed);
            List<String> expose = HttpApiRules.orEmpty(cors.exposeHeaders());
            if (!expose.isEmpty()) {
                out.header("Access-Control-Expose-Headers", String.join(",", expose));
            }
            if (Boolean.TRUE.equals(cors.allowCredentials())) {
                out.header("Access-Control-Allow-Credentials", "true");
            }
            out.header("Vary", "Origin");
        });
        return out;
    }

    private java.util.Optional<String> allowedOrigin(String origin) {
        List<String> origins = HttpApiRules.orEmpty(cors.allowOrigins());
        if (origins.contains("*")) {
            return java.util.Optional.of("*");
        }
        return origins.stream().filter(allowed -> allowed.equalsIgnoreCase(origin)).findFirst().map(allowed -> origin);
    }
}
