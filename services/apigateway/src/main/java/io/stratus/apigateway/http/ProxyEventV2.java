package io.stratus.apigateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.QueryString;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event of Lambda proxy payload format 2.0, which HTTP APIs' {@code AWS_PROXY} integrations
 * send by default: headers joined with commas, cookies apart, the raw path and query string, and
 * {@code requestContext.http}. Format 1.0 is the shared {@link io.stratus.apigateway.proxy.ProxyEventV1}. Stateless.
 */
final class ProxyEventV2 {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ProxyEventV2() {}

    static ObjectNode of(HttpApiCall call) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", call.routeKey());
        event.put("rawPath", call.rawPath());
        event.put("rawQueryString", call.rawQuery());
        List<String> cookies = cookies(call);
        if (!cookies.isEmpty()) {
            ArrayNode array = event.putArray("cookies");
            cookies.forEach(array::add);
        }
        ObjectNode headers = event.putObject("headers");
        call.headers().forEach((name, values) -> {
            if (!name.equals("cookie")) {
                headers.put(name, String.join(",", values));
            }
        });
        // The headers API Gateway adds on its way to the integration.
        headers.put("x-forwarded-for", HttpRequest.forwardedFor(call.headers().get("x-forwarded-for"), call.sourceIp()));
        if (!headers.has("x-forwarded-proto")) {
            headers.put("x-forwarded-proto", "http");
        }
        if (!headers.has("x-forwarded-port")) {
            headers.put("x-forwarded-port", port(call.header("host")));
        }
        Map<String, List<String>> query = queryParameters(call.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", call.accountId());
        context.put("apiId", call.apiId());
        context.put("domainName", call.domainName());
        context.put("domainPrefix", call.domainPrefix());
        ObjectNode http = context.putObject("http");
        http.put("method", call.method());
        http.put("path", decodedPath(call.rawPath()));
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", call.sourceIp());
        http.put("userAgent", call.userAgent());
        context.put("requestId", call.requestId());
        context.put("routeKey", call.routeKey());
        context.put("stage", call.stage());
        context.put("time", TIME.format(call.time()));
        context.put("timeEpoch", call.time().toEpochMilli());
        putBody(event, call);
        if (!call.pathParameters().isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            call.pathParameters().forEach(parameters::put);
        }
        if (!call.stageVariables().isEmpty()) {
            ObjectNode variables = event.putObject("stageVariables");
            call.stageVariables().forEach(variables::put);
        }
        return event;
    }

    /** The port of a {@code Host} header; 80 when it names none. */
    private static String port(String host) {
        if (host != null) {
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && colon > host.lastIndexOf(']')) {
                return host.substring(colon + 1);
            }
        }
        return "80";
    }

    /** The cookies of the {@code Cookie} headers, one entry per cookie. */
    private static List<String> cookies(HttpApiCall call) {
        List<String> cookies = new ArrayList<>();
        for (String header : call.headers().getOrDefault("cookie", List.of())) {
            for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.strip());
                }
            }
        }
        return cookies;
    }

    /** Query parameters, decoded, in the order they came, each with all its values. */
    static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return parameters;
        }
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

    private static String decodedPath(String rawPath) {
        return QueryString.decodePath(rawPath);
    }

    /** The body, as text when its media type is textual, else base64-encoded, as API Gateway passes it. */
    private static void putBody(ObjectNode event, HttpApiCall call) {
        byte[] body = call.body();
        if (body.length == 0) {
            event.put("isBase64Encoded", false);
            return;
        }
        if (isText(call.header("content-type"))) {
            event.put("body", new String(body, StandardCharsets.UTF_8));
            event.put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        }
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json") || type.equals("application/xml")
                || type.endsWith("+xml") || type.equals("application/javascript") || type.equals("application/graphql");
    }
}
