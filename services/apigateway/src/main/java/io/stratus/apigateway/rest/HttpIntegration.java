package io.stratus.apigateway.rest;

import io.stratus.apigateway.rest.RestApiModel.Integration;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP integrations: {@code HTTP_PROXY} (the client's method, query, headers and body forwarded,
 * the backend's answer returned as is) and {@code HTTP} (the mapped request sent, the answer through
 * integration responses chosen by its status). Thread-safe: the client is.
 */
final class HttpIntegration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIntegration.class);
    private static final int DEFAULT_TIMEOUT_MILLIS = 29_000;
    /** Headers the JDK client sets itself or refuses, and hop-by-hop headers a proxy does not forward. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade", "keep-alive",
            "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-connection", "http2-settings");

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    void close() {
        client.shutdownNow();
    }

    HttpResponse proxy(Invocation call) throws GatewayError {
        Integration integration = call.integration();
        RequestParameters.Mapped mapped = RequestParameters.map(integration.parameters(), call.sources());
        String method = "ANY".equals(integration.integrationHttpMethod()) ? call.request().method() : integration.integrationHttpMethod();
        StringBuilder query = new StringBuilder(call.request().rawQuery());
        appendQuery(query, mapped.querystring());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(call, mapped, query.toString(), true));
        call.request().headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name) && !mapped.header().containsKey(name)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        mapped.header().forEach(request::header);
        request.method(method, call.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        java.net.http.HttpResponse<byte[]> answer = send(call, request);
        HttpResponse response = new HttpResponse(answer.statusCode(), answer.body());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response;
    }

    HttpResponse custom(Invocation call) throws GatewayError {
        Integration integration = call.integration();
        String body = IntegrationMapping.requestBody(call);
        RequestParameters.Mapped mapped = RequestParameters.map(integration.parameters(), call.sources());
        StringBuilder query = new StringBuilder();
        appendQuery(query, mapped.querystring());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(call, mapped, query.toString(), false));
        mapped.header().forEach(request::header);
        if (!mapped.header().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-type")) && !body.isEmpty()) {
            request.header("Content-Type", call.request().mediaType().isEmpty() ? "application/json" : call.request().header("content-type").orElseThrow());
        }
        request.method(integration.integrationHttpMethod(),
                body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        java.net.http.HttpResponse<byte[]> answer = send(call, request);
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        answer.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return IntegrationMapping.respond(call, Integer.toString(answer.statusCode()), new String(answer.body(), StandardCharsets.UTF_8), headers);
    }

    private java.net.http.HttpResponse<byte[]> send(Invocation call, HttpRequest.Builder request) throws GatewayError {
        Integer timeout = call.integration().timeoutInMillis();
        request.timeout(Duration.ofMillis(timeout == null ? DEFAULT_TIMEOUT_MILLIS : timeout));
        try {
            return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw GatewayError.timeout();
        } catch (IOException e) {
            LOG.debug("HTTP integration {} failed: {}", call.integration().uri(), e.toString());
            throw GatewayError.integrationFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayError.integrationFailure();
        }
    }

    /**
     * The integration URI with stage variables and {@code {name}} path variables filled in. A proxy
     * integration also takes a variable from the method's path parameter of the same name when no
     * mapping names it, so {@code http://host/{proxy}} works without one.
     */
    private static URI uri(Invocation call, RequestParameters.Mapped mapped, String query, boolean proxy) throws GatewayError {
        String uri = LambdaIntegration.resolve(call.integration().uri(), call.stageVariables());
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < uri.length()) {
            char c = uri.charAt(i);
            int close = c == '{' ? uri.indexOf('}', i) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String name = uri.substring(i + 1, close);
            boolean greedy = name.endsWith("+");
            String key = greedy ? name.substring(0, name.length() - 1) : name;
            String value = mapped.path().get(key);
            if (value == null && proxy) {
                value = call.match().pathParameters().get(key);
            }
            out.append(value == null ? "" : encodePath(value));
            i = close + 1;
        }
        if (!query.isEmpty()) {
            out.append(out.indexOf("?") < 0 ? '?' : '&').append(query);
        }
        try {
            return URI.create(out.toString());
        } catch (IllegalArgumentException e) {
            throw GatewayError.internalError();
        }
    }

    /** Percent-encodes each segment of a path value, keeping its slashes. */
    private static String encodePath(String value) {
        StringJoiner joined = new StringJoiner("/");
        for (String segment : value.split("/", -1)) {
            joined.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return joined.toString();
    }

    private static void appendQuery(StringBuilder query, Map<String, List<String>> parameters) {
        parameters.forEach((name, values) -> values.forEach(value -> {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }));
    }
}
