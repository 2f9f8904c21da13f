package io.stratus.apigateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a Lambda proxy integration's function returned into the HTTP response the client
 * gets, by the rules of each payload format. A function's answer the format cannot take is a
 * {@link MalformedResponseException}; the API answers it with its own error (502 for REST APIs,
 * 500 for HTTP APIs).
 */
public final class ProxyResponses {

    /** A function's answer is not a proxy response. */
    public static final class MalformedResponseException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedResponseException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> V1_MEMBERS = Set.of("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded");

    private ProxyResponses() {}

    /**
     * Format 1.0: a JSON object with {@code statusCode}, and optionally {@code headers},
     * {@code multiValueHeaders}, {@code body} (a string) and {@code isBase64Encoded}; nothing is
     * assumed.
     *
     * @param onlyKnownMembers whether other members make the answer malformed, as REST APIs rule
     */
    public static HttpResponse fromV1(byte[] payload, boolean onlyKnownMembers) throws MalformedResponseException {
        JsonNode answer = parse(payload);
        if (!(answer instanceof ObjectNode object)) {
            throw new MalformedResponseException("The function's answer is not a JSON object.");
        }
        if (onlyKnownMembers) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!V1_MEMBERS.contains(name)) {
                    throw new MalformedResponseException("The function's answer has a member a proxy response does not: " + name + ".");
                }
            }
        }
        if (!object.hasNonNull("statusCode")) {
            throw new MalformedResponseException("The function's answer has no statusCode.");
        }
        return structured(object);
    }

    /**
     * Format 2.0: the 1.0 members plus {@code cookies}; an answer that is valid JSON without a
     * {@code statusCode} is the body of a 200 {@code application/json} response (a JSON string
     * without its quotes).
     */
    public static HttpResponse fromV2(byte[] payload) throws MalformedResponseException {
        JsonNode answer = parse(payload);
        if (answer instanceof ObjectNode object && object.has("statusCode")) {
            HttpResponse response = structured(object);
            JsonNode cookies = object.get("cookies");
            if (cookies != null && !cookies.isNull()) {
                if (!cookies.isArray()) {
                    throw new MalformedResponseException("cookies is not an array of strings.");
                }
                for (JsonNode cookie : cookies) {
                    response.header("Set-Cookie", text(cookie, "cookies"));
                }
            }
            return response;
        }
        // A bare string is the body itself, as AWS documents for a function returning "Hello from Lambda!".
        byte[] body = answer.isTextual() ? answer.asText().getBytes(StandardCharsets.UTF_8) : payload.clone();
        return new HttpResponse(200, body).header("Content-Type", "application/json");
    }

    private static HttpResponse structured(ObjectNode object) throws MalformedResponseException {
        int status = statusCode(object.get("statusCode"));
        boolean base64 = bool(object.get("isBase64Encoded"));
        JsonNode bodyNode = object.get("body");
        byte[] body;
        if (bodyNode == null || bodyNode.isNull()) {
            body = new byte[0];
        } else if (!bodyNode.isTextual()) {
            throw new MalformedResponseException("body is not a string.");
        } else if (base64) {
            try {
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedResponseException("body is not valid base64 although isBase64Encoded is true.");
            }
        } else {
            body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        }
        HttpResponse response = new HttpResponse(status, body);
        headers(object).forEach((name, values) -> values.forEach(value -> response.header(name, value)));
        return response;
    }

    /**
     * {@code headers} and {@code multiValueHeaders} merged: a header named in both takes the
     * multi-value list, as AWS merges them.
     */
    private static Map<String, List<String>> headers(ObjectNode object) throws MalformedResponseException {
        Map<String, List<String>> byLowerName = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        JsonNode single = object.get("headers");
        if (single != null && !single.isNull()) {
            if (!single.isObject()) {
                throw new MalformedResponseException("headers is not an object.");
            }
            for (var field : single.properties()) {
                names.put(field.getKey().toLowerCase(Locale.ROOT), field.getKey());
                byLowerName.put(field.getKey().toLowerCase(Locale.ROOT), List.of(text(field.getValue(), "headers")));
            }
        }
        JsonNode multi = object.get("multiValueHeaders");
        if (multi != null && !multi.isNull()) {
            if (!multi.isObject()) {
                throw new MalformedResponseException("multiValueHeaders is not an object.");
            }
            for (var field : multi.properties()) {
                if (!field.getValue().isArray()) {
                    throw new MalformedResponseException("multiValueHeaders." + field.getKey() + " is not an array.");
                }
                List<String> values = new ArrayList<>();
                for (JsonNode value : field.getValue()) {
                    values.add(text(value, "multiValueHeaders"));
                }
                names.put(field.getKey().toLowerCase(Locale.ROOT), field.getKey());
                byLowerName.put(field.getKey().toLowerCase(Locale.ROOT), values);
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        byLowerName.forEach((lower, values) -> headers.put(names.get(lower), values));
        return headers;
    }

    private static int statusCode(JsonNode node) throws MalformedResponseException {
        if (node != null && node.isIntegralNumber()) {
            return checkStatus(node.asInt());
        }
        if (node != null && node.isTextual()) {
            try {
                return checkStatus(Integer.parseInt(node.asText().trim()));
            } catch (NumberFormatException e) {
                // Falls through to the error below.
            }
        }
        throw new MalformedResponseException("statusCode is not an integer.");
    }

    private static int checkStatus(int status) throws MalformedResponseException {
        if (status < 100 || status > 599) {
            throw new MalformedResponseException("statusCode " + status + " is not an HTTP status.");
        }
        return status;
    }

    private static boolean bool(JsonNode node) throws MalformedResponseException {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isTextual() && (node.asText().equals("true") || node.asText().equals("false"))) {
            return Boolean.parseBoolean(node.asText());
        }
        throw new MalformedResponseException("isBase64Encoded is not a boolean.");
    }

    private static String text(JsonNode value, String member) throws MalformedResponseException {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw new MalformedResponseException(member + " holds a value that is not a string.");
    }

    private static JsonNode parse(byte[] payload) throws MalformedResponseException {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node == null || node.isMissingNode()) {
                throw new MalformedResponseException("The function returned nothing.");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedResponseException("The function's answer is not JSON.");
        }
    }
}
