package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.GatewayResponses;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code HTTP_PROXY} integrations: forwards the call's method (or the integration's), query,
 * headers and body to the integration URI after parameter mapping, and hands the backend's status,
 * headers and body back. A backend slower than the integration's timeout answers 504, an unreachable
 * one 500. Thread-safe: the JDK client is.
 */
final class HttpProxy {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProxy.class);
    /** Headers the hop to the backend owns, or the JDK client sets itself. */
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    private final HttpClient client;

    HttpProxy(HttpClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    /** @param authorizer what the route's authorizer said, for {@code $context.authorizer…} mappings; null when none */
    HttpResponse forward(Integration integration, HttpApiCall call, com.fasterxml.jackson.databind.JsonNode authorizer) {
        String expanded = ParameterMapping.expandUri(integration.integrationUri(), call);
        URI base;
        try {
            base = URI.create(expanded);
        } catch (IllegalArgumentException e) {
            LOG.debug("Integration URI {} is not a URI after expansion", expanded, e);
            return GatewayResponses.message(500, "Internal Server Error");
        }
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        call.headers().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name)) {
                headers.put(name, values);
            }
        });
        String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        Map<String, List<String>> query = ProxyEventV2.queryParameters(call.rawQuery());
        if (base.getRawQuery() != null) {
            ProxyEventV2.queryParameters(base.getRawQuery()).forEach((name, values) -> query.computeIfAbsent(name, k -> new java.util.ArrayList<>()).addAll(values));
        }
        ParameterMapping.Mapped mapped = ParameterMapping.apply(integration.requestParameters(), call, authorizer, basePath, query, headers);
        String target = base.getScheme() + "://" + base.getRawAuthority() + ParameterMapping.encodePath(QueryStrings.decodePath(mapped.path()))
                + QueryStrings.encode(mapped.query());
        String method = integration.integrationMethod().equals("ANY") ? call.method() : integration.integrationMethod();
        byte[] body = call.body();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofMillis(integration.timeoutInMillis()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        mapped.headers().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name) && !name.equals("x-forwarded-for")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("x-forwarded-for", io.stratus.protocol.HttpRequest.forwardedFor(mapped.headers().get("x-forwarded-for"), call.sourceIp()));
        try {
            java.net.http.HttpResponse<byte[]> answer = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse response = new HttpResponse(answer.statusCode(), answer.body());
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> response.header(name, value));
                }
            });
            return response;
        } catch (HttpTimeoutException e) {
            return GatewayResponses.message(504, "Service Unavailable");
        } catch (IOException e) {
            LOG.debug("HTTP integration {} failed", target, e);
            return GatewayResponses.message(500, "Internal Server Error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GatewayResponses.message(500, "Internal Server Error");
        }
    }

    /** Query strings and paths as the backend is sent them. */
    static final class QueryStrings {

        private QueryStrings() {}

        static String decodePath(String path) {
            return io.stratus.protocol.QueryString.decodePath(path);
        }

        /** {@code ?a=1&b=2}, form-encoded, or an empty string for no parameters. */
        static String encode(Map<String, List<String>> query) {
            StringBuilder out = new StringBuilder();
            query.forEach((name, values) -> values.forEach(value -> out.append(out.isEmpty() ? '?' : '&')
                    .append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"))));
            return out.toString();
        }
    }
}
