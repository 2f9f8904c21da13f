package io.stratus.apigateway.rest;

import io.stratus.apigateway.rest.MappingTemplates.TemplateException;
import io.stratus.apigateway.rest.RestApiModel.Integration;
import io.stratus.apigateway.rest.RestApiModel.IntegrationResponse;
import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The mapping around non-proxy integrations (MOCK, AWS, HTTP): the request template chosen by the
 * request's content type and {@code passthroughBehavior}, and on the way back the integration
 * response chosen by {@code selectionPattern}, its response template and header mappings.
 * Stateless.
 */
final class IntegrationMapping {

    private static final String JSON = "application/json";

    private IntegrationMapping() {}

    /** The body the integration gets: the request template rendered, or the client's body passed through. */
    static String requestBody(Invocation call) throws GatewayError {
        Integration integration = call.integration();
        Map<String, String> templates = integration.templates();
        String contentType = call.request().mediaType().isEmpty() ? JSON : call.request().mediaType();
        Optional<String> template = templates.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(contentType))
                .map(Map.Entry::getValue)
                .findFirst();
        if (template.isPresent()) {
            if (template.get() == null || template.get().isEmpty()) {
                return call.bodyText();
            }
            return isStatic(template.get()) ? template.get() : render(template.get(), call, call.bodyText(), call.templateContext());
        }
        String behavior = integration.passthroughBehavior() == null ? "WHEN_NO_MATCH" : integration.passthroughBehavior();
        boolean passes = switch (behavior) {
            case "WHEN_NO_TEMPLATES" -> templates.isEmpty();
            case "NEVER" -> false;
            default -> true;
        };
        if (!passes) {
            throw GatewayError.unsupportedMediaType();
        }
        return call.bodyText();
    }

    /**
     * The method response for what the integration answered.
     *
     * @param selector what selection patterns are matched against: the HTTP status for HTTP and
     *     MOCK, the Lambda {@code errorMessage} for AWS (null when the function succeeded)
     * @param payload the integration's answer, which response templates see as {@code $input}
     * @param integrationHeaders the integration's response headers, by lower-case name
     */
    static HttpResponse respond(Invocation call, String selector, String payload, Map<String, List<String>> integrationHeaders)
            throws GatewayError {
        Optional<IntegrationResponse> chosen = select(call.integration().responses().values(), selector);
        if (chosen.isEmpty()) {
            throw GatewayError.internalError();
        }
        IntegrationResponse response = chosen.get();
        // Built only for a template that reads it; what a template sets there ($context.responseOverride) applies below.
        Map<String, Object> context = Map.of();
        String contentType = JSON;
        String body = payload;
        Map<String, String> templates = response.responseTemplates() == null ? Map.of() : response.responseTemplates();
        if (!templates.isEmpty()) {
            Map.Entry<String, String> template = responseTemplate(templates, call.request().headerValues("accept"));
            contentType = template.getKey();
            if (template.getValue() != null && !template.getValue().isEmpty()) {
                if (isStatic(template.getValue())) {
                    body = template.getValue();
                } else {
                    context = call.templateContext();
                    body = render(template.getValue(), call, payload, context);
                }
            }
        }
        int status = overriddenStatus(context, Integer.parseInt(response.statusCode()));
        HttpResponse out = new HttpResponse(status, body.getBytes(StandardCharsets.UTF_8));
        boolean contentTypeSet = false;
        if (response.responseParameters() != null) {
            for (Map.Entry<String, String> parameter : response.responseParameters().entrySet()) {
                String header = parameter.getKey().substring("method.response.header.".length());
                String value = responseValue(parameter.getValue(), call, payload, integrationHeaders);
                if (value != null) {
                    out.header(header, value);
                    contentTypeSet |= header.equalsIgnoreCase("content-type");
                }
            }
        }
        if (context.get("responseOverride") instanceof Map<?, ?> override && override.get("header") instanceof Map<?, ?> headers) {
            for (Map.Entry<?, ?> header : headers.entrySet()) {
                if (header.getValue() != null) {
                    out.header(header.getKey().toString(), header.getValue().toString());
                    contentTypeSet |= header.getKey().toString().equalsIgnoreCase("content-type");
                }
            }
        }
        if (!contentTypeSet) {
            out.header("Content-Type", contentType);
        }
        return out;
    }

    /** The template for the first type the client accepts, else the JSON one, else the first. */
    private static Map.Entry<String, String> responseTemplate(Map<String, String> templates, List<String> accept) {
        for (String value : accept) {
            for (String part : value.split(",")) {
                String type = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
                for (Map.Entry<String, String> template : templates.entrySet()) {
                    if (template.getKey().equalsIgnoreCase(type)) {
                        return template;
                    }
                }
            }
        }
        return templates.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(JSON)).findFirst()
                .orElse(templates.entrySet().iterator().next());
    }

    /** The response whose pattern matches the whole selector, else the default one (no pattern). */
    static Optional<IntegrationResponse> select(java.util.Collection<IntegrationResponse> responses, String selector) {
        List<IntegrationResponse> sorted = responses.stream().sorted(Comparator.comparing(IntegrationResponse::statusCode)).toList();
        if (selector != null) {
            for (IntegrationResponse response : sorted) {
                if (response.selectionPattern() != null && matches(response.selectionPattern(), selector)) {
                    return Optional.of(response);
                }
            }
        }
        return sorted.stream().filter(r -> r.selectionPattern() == null || r.selectionPattern().isEmpty()).findFirst();
    }

    private static boolean matches(String pattern, String selector) {
        try {
            // AWS matches the whole message; a pattern meant to find a word in it is written .*word.*
            return Pattern.compile(pattern, Pattern.DOTALL).matcher(selector).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static int overriddenStatus(Map<String, Object> context, int status) {
        if (context.get("responseOverride") instanceof Map<?, ?> override && override.get("status") != null) {
            try {
                int value = Integer.parseInt(override.get("status").toString().trim());
                if (value >= 100 && value <= 599) {
                    return value;
                }
            } catch (NumberFormatException e) {
                return status;
            }
        }
        return status;
    }

    private static String responseValue(String source, Invocation call, String payload, Map<String, List<String>> integrationHeaders) {
        if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) {
            return source.substring(1, source.length() - 1);
        }
        if (source.startsWith("integration.response.header.")) {
            List<String> values = integrationHeaders.get(source.substring("integration.response.header.".length()).toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getLast();
        }
        if (source.startsWith("integration.response.multivalueheader.")) {
            List<String> values = integrationHeaders.get(source.substring("integration.response.multivalueheader.".length()).toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : String.join(",", values);
        }
        if (source.equals("integration.response.body")) {
            return payload;
        }
        if (source.startsWith("integration.response.body.")) {
            String json = call.input(payload).json("$." + source.substring("integration.response.body.".length()));
            if (json.startsWith("\"")) {
                Object value = TemplateValues.toJava(TemplateValues.parse(json));
                return value == null ? null : value.toString();
            }
            return json.isEmpty() ? null : json;
        }
        if (source.startsWith("stageVariables.")) {
            return call.stageVariables().get(source.substring("stageVariables.".length()));
        }
        if (source.startsWith("context.")) {
            Object value = call.templateContext().get(source.substring("context.".length()));
            return value == null ? null : value.toString();
        }
        return null;
    }

    /** A template without references or directives, which Velocity would give back as it is. */
    private static boolean isStatic(String template) {
        return template.indexOf('$') < 0 && template.indexOf('#') < 0;
    }

    private static String render(String template, Invocation call, String payload, Map<String, Object> context) throws GatewayError {
        try {
            return MappingTemplates.render(template, call.input(payload), context, call.stageVariables());
        } catch (TemplateException e) {
            throw GatewayError.internalError();
        }
    }
}
