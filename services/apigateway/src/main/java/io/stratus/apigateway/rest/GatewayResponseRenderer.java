package io.stratus.apigateway.rest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.stratus.apigateway.rest.MappingTemplates.TemplateException;
import io.stratus.apigateway.rest.RestApiModel.GatewayResponse;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Answers a {@link GatewayError} the way the deployment's gateway responses say: the one of its type,
 * else {@code DEFAULT_4XX} / {@code DEFAULT_5XX} by its status, else AWS's default. Stateless.
 */
final class GatewayResponseRenderer {

    /** What a gateway response may map from: the call as far as the gateway got with it. */
    record Sources(HttpRequest request, String apiId, String stage, Map<String, String> stageVariables, Map<String, String> pathParameters,
            String requestId) {}

    private GatewayResponseRenderer() {}

    static HttpResponse render(GatewayError error, Map<String, GatewayResponse> customized, Sources sources) {
        GatewayResponse custom = customized.get(error.type().name());
        if (custom == null) {
            custom = customized.get(error.status() < 500 ? GatewayError.Type.DEFAULT_4XX.name() : GatewayError.Type.DEFAULT_5XX.name());
        }
        if (custom == null) {
            return error.response();
        }
        int status = custom.statusCode() == null ? error.status() : Integer.parseInt(custom.statusCode());
        Map<String, String> templates = custom.responseTemplates() == null || custom.responseTemplates().isEmpty()
                ? Map.of("application/json", GatewayResponseOperations.DEFAULT_TEMPLATE) : custom.responseTemplates();
        Map.Entry<String, String> template = templates.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("application/json")).findFirst()
                .orElse(templates.entrySet().iterator().next());
        Map<String, Object> context = context(error, sources);
        String body;
        try {
            body = template.getValue() == null ? "" : MappingTemplates.render(template.getValue(),
                    new TemplateInput("", sources.pathParameters(), first(sources.request().query().asMap()), first(sources.request().headers())),
                    context, sources.stageVariables());
        } catch (TemplateException e) {
            return error.response();
        }
        HttpResponse response = new HttpResponse(status, body.getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", template.getKey())
                .header("x-amzn-ErrorType", error.errorType());
        if (custom.responseParameters() != null) {
            custom.responseParameters().forEach((name, source) -> {
                String value = value(source, sources, context);
                if (value != null) {
                    response.header(name.substring("gatewayresponse.header.".length()), value);
                }
            });
        }
        return response;
    }

    private static Map<String, Object> context(GatewayError error, Sources sources) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("apiId", sources.apiId());
        context.put("stage", sources.stage());
        context.put("requestId", sources.requestId());
        context.put("httpMethod", sources.request().method());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message", error.getMessage());
        details.put("messageString", error.getMessage() == null ? "null" : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(error.getMessage())) + "\"");
        details.put("responseType", error.type().name());
        details.put("validationErrorString", error.validationErrorString());
        context.put("error", details);
        return context;
    }

    private static String value(String source, Sources sources, Map<String, Object> context) {
        if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) {
            return source.substring(1, source.length() - 1);
        }
        String name = source.substring(source.lastIndexOf('.') + 1);
        if (source.startsWith("method.request.header.") || source.startsWith("method.request.multivalueheader.")) {
            List<String> values = sources.request().headerValues(name.toLowerCase(Locale.ROOT));
            return values.isEmpty() ? null : String.join(",", values);
        }
        if (source.startsWith("method.request.querystring.") || source.startsWith("method.request.multivaluequerystring.")) {
            List<String> values = sources.request().query().all(name);
            return values.isEmpty() ? null : String.join(",", values);
        }
        if (source.startsWith("method.request.path.")) {
            return sources.pathParameters().get(name);
        }
        if (source.startsWith("stageVariables.")) {
            return sources.stageVariables().get(source.substring("stageVariables.".length()));
        }
        if (source.startsWith("context.")) {
            Object value = context.get(source.substring("context.".length()));
            return value == null ? null : value.toString();
        }
        return null;
    }

    private static Map<String, String> first(Map<String, List<String>> values) {
        Map<String, String> first = new LinkedHashMap<>();
        values.forEach((name, list) -> {
            if (!list.isEmpty()) {
                first.put(name, list.getFirst());
            }
        });
        return first;
    }
}
