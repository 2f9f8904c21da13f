package io.stratus.apigateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.protocol.HttpRequest;
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
 * The event of Lambda proxy payload format 1.0, which REST APIs' {@code AWS_PROXY} integrations
 * send, and HTTP APIs' integrations with {@code payloadFormatVersion} 1.0. Members a call has no
 * value for ({@code queryStringParameters}, {@code pathParameters}, {@code stageVariables},
 * {@code body}) are JSON null, as AWS sends them.
 */
public final class ProxyEventV1 {

    /** The two APIs that send this format, which differ in small ways. */
    public enum Flavor {
        /**
         * REST APIs: a header or query parameter sent several times keeps its last value in the
         * single-value maps, and header names are as clients write them ({@code Content-Type}).
         */
        REST,
        /**
         * HTTP APIs: the event says {@code "version": "1.0"}, repeated values are joined with
         * commas in the single-value maps, and header names are lower case.
         */
        HTTP
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ProxyEventV1() {}

    /** The event for {@code call}; callers may add to it (an authorizer's context, a resource id). */
    public static ObjectNode of(ProxyCall call, Flavor flavor) {
        ObjectNode event = JSON.createObjectNode();
        if (flavor == Flavor.HTTP) {
            event.put("version", "1.0");
        }
        event.put("resource", call.resourcePath());
        event.put("path", call.path());
        event.put("httpMethod", call.method());

        Map<String, List<String>> headers = headers(call, flavor);
        putSingle(event, "headers", headers, flavor);
        putMulti(event, "multiValueHeaders", headers);
        Map<String, List<String>> query = call.request().query().asMap();
        putSingle(event, "queryStringParameters", query, flavor);
        putMulti(event, "multiValueQueryStringParameters", query);

        event.set("requestContext", requestContext(call));
        putMap(event, "pathParameters", call.pathParameters());
        putMap(event, "stageVariables", call.stageVariables());
        if (call.body().length == 0) {
            event.putNull("body");
        } else if (call.base64Body()) {
            event.put("body", Base64.getEncoder().encodeToString(call.body()));
        } else {
            event.put("body", new String(call.body(), StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", call.base64Body() && call.body().length > 0);
        return event;
    }

    private static ObjectNode requestContext(ProxyCall call) {
        ObjectNode context = JSON.createObjectNode();
        context.put("accountId", call.accountId());
        context.put("apiId", call.apiId());
        context.put("domainName", call.domainName());
        context.put("domainPrefix", call.apiId());
        context.put("extendedRequestId", call.requestId());
        context.put("httpMethod", call.method());
        ObjectNode identity = context.putObject("identity");
        IamCaller iam = call.iam();
        identity.put("accessKey", iam == null ? null : iam.accessKey());
        identity.put("accountId", iam == null ? null : iam.accountId());
        identity.put("caller", iam == null ? null : iam.callerId());
        for (String absent : List.of("cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId",
                "principalOrgId")) {
            identity.putNull(absent);
        }
        identity.put("sourceIp", call.sourceIp());
        identity.put("user", iam == null ? null : iam.callerId());
        identity.put("userAgent", call.userAgent());
        identity.put("userArn", iam == null ? null : iam.userArn());
        context.put("path", call.stage().equals("$default") ? call.path() : "/" + call.stage() + call.path());
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", call.requestId());
        context.put("requestTime", REQUEST_TIME.format(call.time()));
        context.put("requestTimeEpoch", call.time().toEpochMilli());
        context.putNull("resourceId");
        context.put("resourcePath", call.resourcePath());
        context.put("stage", call.stage());
        return context;
    }

    /** The request's headers plus the {@code X-Forwarded-*} ones API Gateway adds, named as the flavor names them. */
    private static Map<String, List<String>> headers(ProxyCall call, Flavor flavor) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        call.request().headers().forEach((name, values) -> headers.put(flavor == Flavor.REST ? titleCase(name) : name, values));
        // API Gateway's front end adds the client's address to what it sent.
        headers.put(flavor == Flavor.REST ? "X-Forwarded-For" : "x-forwarded-for",
                List.of(HttpRequest.forwardedFor(call.request().headerValues("x-forwarded-for"), call.sourceIp())));
        headers.put(flavor == Flavor.REST ? "X-Forwarded-Proto" : "x-forwarded-proto", List.of(call.request().secure() ? "https" : "http"));
        return headers;
    }


    /** {@code content-type} → {@code Content-Type}: how HTTP/1.1 clients write header names. */
    static String titleCase(String lowerName) {
        StringBuilder out = new StringBuilder(lowerName.length());
        boolean start = true;
        for (char c : lowerName.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == '-';
        }
        return out.toString();
    }

    private static void putSingle(ObjectNode event, String member, Map<String, List<String>> values, Flavor flavor) {
        if (values.isEmpty()) {
            event.putNull(member);
            return;
        }
        ObjectNode single = event.putObject(member);
        values.forEach((name, list) -> single.put(name, flavor == Flavor.REST ? list.getLast() : String.join(",", list)));
    }

    private static void putMulti(ObjectNode event, String member, Map<String, List<String>> values) {
        if (values.isEmpty()) {
            event.putNull(member);
            return;
        }
        ObjectNode multi = event.putObject(member);
        values.forEach((name, list) -> {
            var array = multi.putArray(name);
            new ArrayList<>(list).forEach(array::add);
        });
    }

    private static void putMap(ObjectNode event, String member, Map<String, String> values) {
        if (values.isEmpty()) {
            event.putNull(member);
            return;
        }
        ObjectNode map = event.putObject(member);
        values.forEach(map::put);
    }
}
