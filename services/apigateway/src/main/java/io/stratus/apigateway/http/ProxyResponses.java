package io.stratus.apigateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what a function returned to a Lambda proxy integration into the HTTP response, in payload
 * format 2.0 (which infers a response from any JSON without {@code statusCode}) and 1.0 (which needs
 * {@code statusCode}). A response it cannot read is empty, and the call answers 500. Stateless.
 */
final class ProxyResponses {

    private ProxyResponses() {}

    static HttpResponse internalError() {
        return GatewayResponses.message(500, "Internal Server Error");
    }

    /** Format 2.0: a JSON object with {@code statusCode} is a response; any other JSON is the body of a 200. */
    static Optional<HttpResponse> v2(byte[] payload) {
        JsonNode node = parse(payload);
        if (node == null) {
            return Optional.empty();
        }
        if (node.isObject() && node.has("statusCode")) {
            return structured(node, true);
        }
        String body = node.isTextual() ? node.asText() : node.toString();
        return Optional.of(new HttpResponse(200, body.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json"));
    }

    /** Format 1.0: a JSON object with {@code statusCode}, {@code headers}, {@code multiValueHeaders}, {@code body}. */
    static Optional<HttpResponse> v1(byte[] payload) {
        JsonNode node = parse(payload);
        if (node == null || !node.isObject() || !node.has("statusCode")) {
            return Optional.empty();
        }
        return structured(node, false);
    }

    private static Optional<HttpResponse> structured(JsonNode node, boolean withCookies) {
        JsonNode status = node.get("statusCode");
        int statusCode;
        if (status.isInt()) {
            statusCode = status.intValue();
        } else if (status.isTextual() && status.asText().matches("\\d{3}")) {
            statusCode = Integer.parseInt(status.asText());
        } else {
            return Optional.empty();
        }
        if (statusCode < 100 || statusCode > 599) {
            return Optional.empty();
        }
        JsonNode body = node.get("body");
        if (body != null && !body.isNull() && !body.isTextual()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[0];
        if (body != null && body.isTextual()) {
            if (node.path("isBase64Encoded").asBoolean(false)) {
                try {
                    bytes = Base64.getDecoder().decode(body.asText());
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            } else {
                bytes = body.asText().getBytes(StandardCharsets.UTF_8);
            }
        }
        HttpResponse response = new HttpResponse(statusCode, bytes);
        JsonNode multi = node.get("multiValueHeaders");
        java.util.Set<String> multiNames = new java.util.HashSet<>();
        if (multi != null && multi.isObject()) {
            for (Map.Entry<String, JsonNode> header : (Iterable<Map.Entry<String, JsonNode>>) multi::fields) {
                if (!header.getValue().isArray()) {
                    return Optional.empty();
                }
                multiNames.add(header.getKey().toLowerCase(java.util.Locale.ROOT));
                header.getValue().forEach(value -> response.header(header.getKey(), value.asText()));
            }
        }
        JsonNode headers = node.get("headers");
        if (headers != null && headers.isObject()) {
            for (Map.Entry<String, JsonNode> header : (Iterable<Map.Entry<String, JsonNode>>) headers::fields) {
                if (header.getValue().isContainerNode()) {
                    return Optional.empty();
                }
                // multiValueHeaders wins over headers for the same name, as API Gateway merges them.
                if (!multiNames.contains(header.getKey().toLowerCase(java.util.Locale.ROOT)) && !header.getValue().isNull()) {
                    response.header(header.getKey(), header.getValue().asText());
                }
            }
        }
        JsonNode cookies = node.get("cookies");
        if (withCookies && cookies != null && cookies.isArray()) {
            cookies.forEach(cookie -> response.header("Set-Cookie", cookie.asText()));
        }
        return Optional.of(response);
    }

    private static JsonNode parse(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        try {
            return ProxyEvents.JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
