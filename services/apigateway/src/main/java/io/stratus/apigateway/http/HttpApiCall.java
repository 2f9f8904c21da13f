package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One call to an HTTP API as its integration sees it: the request, the route it took, and the
 * context API Gateway adds. Immutable.
 *
 * @param stage the stage's name, {@code $default} included
 * @param routeKey the key of the route the call took, e.g. {@code GET /items/{id}}
 * @param rawPath the path as sent, still percent-encoded, with the stage segment of a named stage
 * @param rawQuery the query string as sent, without {@code ?}
 * @param headers header values by lower-case name
 * @param body the body, empty when there is none
 * @param pathParameters the route's path parameters, decoded
 * @param requestId API Gateway's id of the call, as in {@code apigw-requestid}
 * @param domainName the host the client addressed, without the port
 */
record HttpApiCall(
        String accountId,
        String apiId,
        String stage,
        String routeKey,
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> headers,
        byte[] body,
        Map<String, String> pathParameters,
        Map<String, String> stageVariables,
        String requestId,
        String domainName,
        String sourceIp,
        Instant time) {

    HttpApiCall {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(apiId, "apiId is null");
        headers = Map.copyOf(headers);
        pathParameters = Map.copyOf(pathParameters);
        stageVariables = Map.copyOf(stageVariables);
        body = body.clone();
    }

    /** The header's values joined with commas, or null when absent. */
    String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    /** The first label of the domain name: the API id for an invoke URL's host form. */
    String domainPrefix() {
        int dot = domainName.indexOf('.');
        return dot < 0 ? domainName : domainName.substring(0, dot);
    }

    /** The route key's path template, e.g. {@code /items/{id}}; {@code $default} for the default route. */
    String resourcePath() {
        int space = routeKey.indexOf(' ');
        return space < 0 ? routeKey : routeKey.substring(space + 1);
    }

    /** The user agent, or an empty string as API Gateway sends when there is none. */
    String userAgent() {
        String agent = header("user-agent");
        return agent == null ? "" : agent;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
