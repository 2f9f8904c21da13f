package io.stratus.apigateway.rest;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.proxy.IntegrationUris;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.Integration;
import io.stratus.core.AwsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What makes an integration valid, how patches change one, and how its Lambda URI names a function. Stateless. */
final class IntegrationRules {

    static final List<String> TYPES = List.of("HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY");
    private static final Set<String> PASSTHROUGH = Set.of("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER");
    private static final Pattern AWS_URI = Pattern.compile("arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-z0-9.-]+:(path|action)/.+");
    private static final Pattern INTEGRATION_PARAMETER = Pattern.compile("integration\\.request\\.(path|querystring|header|multivaluequerystring|multivalueheader)\\.[^.]+.*");

    private IntegrationRules() {}

    static Integration validate(Integration integration, boolean tlsConfigGiven) {
        String type = integration.type();
        if (type == null || !TYPES.contains(type)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "1 validation error detected: Value '%s' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
                    type, String.join(", ", TYPES));
        }
        RestApiService.notYet("connectionType VPC_LINK", "VPC_LINK".equals(integration.connectionType()) || integration.connectionId() != null);
        RestApiService.notYet("contentHandling (binary conversion)", integration.contentHandling() != null);
        RestApiService.notYet("tlsConfig", tlsConfigGiven);
        if (integration.passthroughBehavior() != null && !PASSTHROUGH.contains(integration.passthroughBehavior())) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid passthrough behavior specified: %s. Valid options are WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER",
                    integration.passthroughBehavior());
        }
        Integer timeout = integration.timeoutInMillis();
        if (timeout != null && (timeout < 50 || timeout > 29_000)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Timeout should be between 50 ms and 29000 ms");
        }
        integration.parameters().forEach((name, source) -> {
            if (!INTEGRATION_PARAMETER.matcher(name).matches()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: %s]", name);
            }
            RequestParameters.checkSource(source);
        });
        switch (type) {
            case "HTTP", "HTTP_PROXY" -> {
                requireHttpMethod(integration);
                if (!httpUri(integration.uri())) {
                    throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid HTTP endpoint specified for URI");
                }
            }
            case "AWS", "AWS_PROXY" -> {
                requireHttpMethod(integration);
                String uri = integration.uri();
                if (uri == null || !AWS_URI.matcher(uri).matches()) {
                    throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "AWS ARN for integration must contain path or action");
                }
                if (functionArn(uri) == null) {
                    throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED,
                            "Integrations with AWS services other than Lambda are not supported by Stratus yet: %s", uri);
                }
                if (type.equals("AWS_PROXY") && !integration.templates().isEmpty()) {
                    // AWS accepts them and ignores them; so does Stratus.
                    return integration;
                }
            }
            default -> { }
        }
        return integration;
    }

    private static void requireHttpMethod(Integration integration) {
        String method = integration.integrationHttpMethod();
        if (method == null || method.isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Enumeration value for HttpMethod must be non-empty");
        }
        if (!MethodOperations.HTTP_METHODS.contains(method)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid HttpMethod specified. Valid options are %s", String.join(",", MethodOperations.HTTP_METHODS));
        }
    }

    private static boolean httpUri(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            // Path variables ({proxy}) are filled in at invoke time; check the URI with them as plain text.
            URI parsed = new URI(uri.replace("{", "").replace("}", "").replace("+", ""));
            return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) && parsed.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The function ARN a Lambda integration URI names, or null when the URI is not a Lambda one. */
    static String functionArn(String uri) {
        return IntegrationUris.functionArn(uri).orElse(null);
    }

    static void responseParameterSource(String source) {
        if (source == null || !(source.startsWith("'") && source.endsWith("'") && source.length() >= 2)
                && !source.startsWith("integration.response.header.") && !source.startsWith("integration.response.body")
                && !source.startsWith("integration.response.multivalueheader.") && !source.startsWith("context.")
                && !source.startsWith("stageVariables.")) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: %s]", source);
        }
    }

    static Integration patch(Integration i, Patch patch) {
        return switch (patch.first()) {
            case "type" -> new Integration(Patches.value(patch), i.integrationHttpMethod(), i.uri(), i.connectionType(), i.connectionId(), i.credentials(),
                    i.requestParameters(), i.requestTemplates(), i.passthroughBehavior(), i.contentHandling(), i.timeoutInMillis(), i.cacheNamespace(),
                    i.cacheKeyParameters(), i.integrationResponses());
            case "httpMethod" -> new Integration(i.type(), Patches.value(patch), i.uri(), i.connectionType(), i.connectionId(), i.credentials(),
                    i.requestParameters(), i.requestTemplates(), i.passthroughBehavior(), i.contentHandling(), i.timeoutInMillis(), i.cacheNamespace(),
                    i.cacheKeyParameters(), i.integrationResponses());
            case "uri" -> new Integration(i.type(), i.integrationHttpMethod(), Patches.value(patch), i.connectionType(), i.connectionId(), i.credentials(),
                    i.requestParameters(), i.requestTemplates(), i.passthroughBehavior(), i.contentHandling(), i.timeoutInMillis(), i.cacheNamespace(),
                    i.cacheKeyParameters(), i.integrationResponses());
            case "passthroughBehavior" -> new Integration(i.type(), i.integrationHttpMethod(), i.uri(), i.connectionType(), i.connectionId(), i.credentials(),
                    i.requestParameters(), i.requestTemplates(), Patches.value(patch), i.contentHandling(), i.timeoutInMillis(), i.cacheNamespace(),
                    i.cacheKeyParameters(), i.integrationResponses());
            case "timeoutInMillis" -> new Integration(i.type(), i.integrationHttpMethod(), i.uri(), i.connectionType(), i.connectionId(), i.credentials(),
                    i.requestParameters(), i.requestTemplates(), i.passthroughBehavior(), i.contentHandling(), timeout(patch), i.cacheNamespace(),
                    i.cacheKeyParameters(), i.integrationResponses());
            case "credentials" -> new Integration(i.type(), i.integrationHttpMethod(), i.uri(), i.connectionType(), i.connectionId(),
                    patch.removes() ? null : patch.value(), i.requestParameters(), i.requestTemplates(), i.passthroughBehavior(), i.contentHandling(),
                    i.timeoutInMillis(), i.cacheNamespace(), i.cacheKeyParameters(), i.integrationResponses());
            case "requestTemplates" -> new Integration(i.type(), i.integrationHttpMethod(), i.uri(), i.connectionType(), i.connectionId(), i.credentials(),
                    i.requestParameters(), Patches.applyToMap(i.requestTemplates(), patch, v -> v), i.passthroughBehavior(), i.contentHandling(),
                    i.timeoutInMillis(), i.cacheNamespace(), i.cacheKeyParameters(), i.integrationResponses());
            case "requestParameters" -> new Integration(i.type(), i.integrationHttpMethod(), i.uri(), i.connectionType(), i.connectionId(), i.credentials(),
                    Patches.applyToMap(i.requestParameters(), patch, v -> v), i.requestTemplates(), i.passthroughBehavior(), i.contentHandling(),
                    i.timeoutInMillis(), i.cacheNamespace(), i.cacheKeyParameters(), i.integrationResponses());
            default -> throw Patches.invalidPath(patch, "/type", "/httpMethod", "/uri", "/passthroughBehavior", "/timeoutInMillis", "/credentials",
                    "/requestTemplates/<content type>", "/requestParameters/<name>");
        };
    }

    private static int timeout(Patch patch) {
        try {
            return Integer.parseInt(Patches.value(patch));
        } catch (NumberFormatException e) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid timeout value: %s", patch.value());
        }
    }
}
