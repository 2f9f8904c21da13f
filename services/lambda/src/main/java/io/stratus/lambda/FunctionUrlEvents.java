package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.QueryString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a function URL hands its function and makes of the answer: the event of payload format 2.0
 * as function URLs send it ({@code routeKey} and {@code stage} {@code $default}, the domain
 * {@code <url-id>.lambda-url.<region>.on.aws}, no path parameters or stage variables), and the
 * HTTP response from what the function returned. Stateless.
 */
final class FunctionUrlEvents {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** The function's answer is not a response a function URL can send. */
    static final class MalformedResponse extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedResponse(String message) {
            super(message);
        }
    }

    /**
     * The caller an {@code AWS_IAM} URL let in, as {@code requestContext.authorizer.iam} reports it.
     *
     * @param accessKey the access key of the request's signature
     * @param accountId the account the key belongs to
     * @param userId the caller's user id
     * @param userArn the caller's ARN
     */
    record IamCaller(String accessKey, String accountId, String userId, String userArn) {}

    private FunctionUrlEvents() {}

    /**
     * The event for one request.
     *
     * @param caller the signed caller of an {@code AWS_IAM} URL; empty for {@code NONE}
     */
    static byte[] event(HttpRequest request, byte[] body, String urlId, String region, String requestId, Instant time,
            Optional<IamCaller> caller) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery());
        List<String> cookies = cookies(request);
        if (!cookies.isEmpty()) {
            ArrayNode array = event.putArray("cookies");
            cookies.forEach(array::add);
        }
        ObjectNode headers = event.putObject("headers");
        request.headers().forEach((name, values) -> {
            if (!name.equals("cookie")) {
                headers.put(name, String.join(",", values));
            }
        });
        String sourceIp = request.sourceIp();
        // AWS's front end adds the client's address to what it sent.
        headers.put("x-forwarded-for", request.forwardedFor());
        headers.put("x-forwarded-proto", request.secure() ? "https" : "http");
        if (!headers.has("x-forwarded-port")) {
            headers.put("x-forwarded-port", port(request.header("host").orElse(null)));
        }
        if (!headers.has("x-amzn-trace-id")) {
            // As AWS's front end adds one to every request it passes on: an X-Ray root id.
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            java.util.HexFormat hex = java.util.HexFormat.of();
            headers.put("x-amzn-trace-id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                    + hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextInt()));
        }
        Map<String, List<String>> query = queryParameters(request.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", caller.map(IamCaller::accountId).orElse("anonymous"));
        context.put("apiId", urlId);
        if (caller.isPresent()) {
            ObjectNode iam = context.putObject("authorizer").putObject("iam");
            iam.put("accessKey", caller.get().accessKey());
            iam.put("accountId", caller.get().accountId());
            iam.put("callerId", caller.get().accessKey());
            iam.putNull("cognitoIdentity");
            iam.putNull("principalOrgId");
            iam.put("userArn", caller.get().userArn());
            iam.put("userId", caller.get().userId());
        }
        context.put("domainName", urlId + ".lambda-url." + region + ".on.aws");
        context.put("domainPrefix", urlId);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", QueryString.decodePath(request.rawPath()));
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", request.header("user-agent").orElse(""));
        context.put("requestId", requestId);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", TIME.format(time));
        context.put("timeEpoch", time.toEpochMilli());
        if (body.length > 0) {
            boolean text = isText(request.header("content-type").orElse(null));
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a function URL event", e);
        }
    }

    /**
     * The HTTP response of what the function returned: an object with {@code statusCode} is
     * structured ({@code headers}, {@code cookies}, {@code body}, {@code isBase64Encoded}); any other
     * JSON is the body of a 200 {@code application/json} response as it is (a JSON string with its
     * quotes: AWS's example answers {@code "Hello, world!"} with a body of 15 bytes).
     */
    static HttpResponse response(byte[] payload) throws MalformedResponse {
        JsonNode answer;
        try {
            answer = payload.length == 0 ? null : JSON.readTree(payload);
        } catch (IOException e) {
            throw new MalformedResponse("The function's answer is not JSON.");
        }
        if (answer == null || answer.isMissingNode()) {
            return new HttpResponse(200, new byte[0]).header("Content-Type", "application/json");
        }
        if (!(answer instanceof ObjectNode object) || !object.has("statusCode")) {
            return new HttpResponse(200, payload.clone()).header("Content-Type", "application/json");
        }
        JsonNode status = object.get("statusCode");
        if (!status.isIntegralNumber() || status.asInt() < 100 || status.asInt() > 599) {
            throw new MalformedResponse("statusCode is not an HTTP status.");
        }
        boolean base64 = object.path("isBase64Encoded").asBoolean(false);
        JsonNode bodyNode = object.get("body");
        byte[] body;
        if (bodyNode == null || bodyNode.isNull()) {
            body = new byte[0];
        } else if (!bodyNode.isTextual()) {
            body = bodyNode.toString().getBytes(StandardCharsets.UTF_8);
        } else if (base64) {
            try {
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedResponse("body is not base64 although isBase64Encoded is true.");
            }
        } else {
            body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        }
        return withHeaders(new HttpResponse(status.asInt(), body), object, body.length > 0);
    }

    /** What awslambda.HttpResponseStream writes first: this content type, then the prelude's JSON and 8 zero bytes before the body. */
    static final String HTTP_INTEGRATION_RESPONSE = "application/vnd.awslambda.http-integration-response";
    private static final int PRELUDE_DELIMITER = 8;

    /** The most a prelude may take, its delimiter included. */
    private static final int MAX_PRELUDE_BYTES = 64 * 1024;

    /**
     * The HTTP response of what a function streams to a {@code RESPONSE_STREAM} URL: with a prelude
     * (Node.js's {@code awslambda.HttpResponseStream.from(stream, {statusCode, headers, cookies})})
     * its status, headers and cookies and the bytes after it; else 200 with the stream's content
     * type. Waits for the prelude; the body is then sent as the function writes it.
     */
    static HttpResponse streamedResponse(StreamedResponse stream) throws MalformedResponse, IOException {
        InputStream body = stream.reader();
        if (!stream.contentType().equalsIgnoreCase(HTTP_INTEGRATION_RESPONSE)) {
            return HttpResponse.streaming(200, body).header("Content-Type", stream.contentType());
        }
        try {
            return withPrelude(body);
        } catch (MalformedResponse | IOException | RuntimeException e) {
            // Not sent: the function's further writes need not wait for a reader.
            body.close();
            throw e;
        }
    }

    /** The response a prelude describes, read from the start of {@code body}, with the rest of {@code body}. */
    private static HttpResponse withPrelude(InputStream body) throws MalformedResponse, IOException {
        ByteArrayOutputStream prelude = new ByteArrayOutputStream();
        for (int zeros = 0; zeros < PRELUDE_DELIMITER;) {
            int next = body.read();
            if (next < 0 || prelude.size() == MAX_PRELUDE_BYTES) {
                throw new MalformedResponse("The streamed response has no prelude.");
            }
            prelude.write(next);
            zeros = next == 0 ? zeros + 1 : 0;
        }
        JsonNode object;
        try {
            object = JSON.readTree(prelude.toByteArray(), 0, prelude.size() - PRELUDE_DELIMITER);
        } catch (IOException e) {
            throw new MalformedResponse("The streamed response's prelude is not JSON.");
        }
        if (!(object instanceof ObjectNode preludeObject)) {
            throw new MalformedResponse("The streamed response's prelude is not an object.");
        }
        JsonNode status = preludeObject.path("statusCode");
        int code = status.isMissingNode() || status.isNull() ? 200 : status.asInt(-1);
        if (!status.isMissingNode() && !status.isNull() && (!status.isIntegralNumber() || code < 100 || code > 599)) {
            throw new MalformedResponse("statusCode is not an HTTP status.");
        }
        return withHeaders(HttpResponse.streaming(code, body), preludeObject, false);
    }

    /** Adds a response object's {@code headers} and {@code cookies}; {@code defaultType}: JSON's content type unless it set one. */
    private static HttpResponse withHeaders(HttpResponse response, ObjectNode object, boolean defaultType) throws MalformedResponse {
        JsonNode headers = object.get("headers");
        boolean contentType = false;
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject()) {
                throw new MalformedResponse("headers is not an object.");
            }
            for (var header : headers.properties()) {
                if (!header.getValue().isValueNode() || header.getValue().isNull()) {
                    throw new MalformedResponse("headers." + header.getKey() + " is not a string.");
                }
                response.header(header.getKey(), header.getValue().asText());
                contentType |= header.getKey().equalsIgnoreCase("content-type");
            }
        }
        JsonNode cookies = object.get("cookies");
        if (cookies != null && !cookies.isNull()) {
            if (!cookies.isArray()) {
                throw new MalformedResponse("cookies is not an array.");
            }
            for (JsonNode cookie : cookies) {
                response.header("Set-Cookie", cookie.asText());
            }
        }
        if (!contentType && defaultType) {
            response.header("Content-Type", "application/json");
        }
        return response;
    }

    private static List<String> cookies(HttpRequest request) {
        List<String> cookies = new ArrayList<>();
        for (String header : request.headerValues("cookie")) {
            for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.strip());
                }
            }
        }
        return cookies;
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = QueryString.decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : QueryString.decodeForm(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String port(String host) {
        if (host != null) {
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && colon > host.lastIndexOf(']')) {
                return host.substring(colon + 1);
            }
        }
        return "80";
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json") || type.equals("application/xml")
                || type.endsWith("+xml") || type.equals("application/javascript") || type.equals("application/x-www-form-urlencoded");
    }
}
