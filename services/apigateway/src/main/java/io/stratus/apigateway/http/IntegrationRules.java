package io.stratus.apigateway.http;

import static io.stratus.apigateway.http.HttpApiRules.badRequest;

import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.proxy.IntegrationUris;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an HTTP API integration may be: a Lambda proxy ({@code AWS_PROXY}, payload format 1.0 or
 * 2.0) or an HTTP proxy ({@code HTTP_PROXY}, format 1.0), with a timeout of 50 to 30,000 ms and,
 * for HTTP proxies, parameter mapping. Stateless.
 */
final class IntegrationRules {

    static final String AWS_PROXY = "AWS_PROXY";
    static final String HTTP_PROXY = "HTTP_PROXY";
    static final int DEFAULT_TIMEOUT = 30_000;

    private static final Pattern PARAMETER_KEY = Pattern.compile("(append|overwrite|remove):(header\\.[A-Za-z0-9!#$%&'*+.^_`|~-]+|querystring\\.[^\\s]+)|overwrite:path");
    private static final Set<String> INTEGRATION_METHODS = Set.of("ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private IntegrationRules() {}

    /** The integration a create or update asks for, checked. */
    static Integration check(String integrationId, String type, String uri, String method, String payloadFormatVersion,
            Integer timeoutInMillis, String connectionType, String description, Map<String, String> requestParameters,
            boolean apiGatewayManaged) {
        HttpApiRules.required(type, "integrationType");
        if (connectionType != null && !connectionType.equals("INTERNET")) {
            HttpApiRules.notYet("connectionType " + connectionType, connectionType.equals("VPC_LINK"));
            throw badRequest("Invalid connectionType: %s", connectionType);
        }
        int timeout = timeoutInMillis == null ? DEFAULT_TIMEOUT : timeoutInMillis;
        if (timeout < 50 || timeout > 30_000) {
            throw badRequest("Timeout must be between 50 milliseconds and 30 seconds.");
        }
        Map<String, String> parameters = requestParameters == null ? Map.of() : requestParameters;
        return switch (type) {
            case AWS_PROXY -> {
                // A stage variable may name the function or its alias; the URI must name a function whatever its value.
                functionArn(HttpApiRules.required(uri, "integrationUri").replaceAll("\\$\\{stageVariables\\.[A-Za-z0-9_]+}", "stageVariable"));
                if (payloadFormatVersion == null) {
                    throw badRequest("A payloadFormatVersion (1.0 or 2.0) is required for AWS_PROXY integrations.");
                }
                if (!payloadFormatVersion.equals("1.0") && !payloadFormatVersion.equals("2.0")) {
                    throw badRequest("Unsupported payloadFormatVersion %s: use 1.0 or 2.0.", payloadFormatVersion);
                }
                if (method != null && !method.equals("POST")) {
                    throw badRequest("Lambda proxy integrations use the integrationMethod POST.");
                }
                HttpApiRules.notYet("Parameter mapping on an AWS_PROXY integration", !parameters.isEmpty());
                yield new Integration(integrationId, type, uri, "POST", payloadFormatVersion, timeout, "INTERNET", description,
                        Map.of(), apiGatewayManaged);
            }
            case HTTP_PROXY -> {
                checkUrl(HttpApiRules.required(uri, "integrationUri"));
                HttpApiRules.required(method, "integrationMethod");
                if (!INTEGRATION_METHODS.contains(method)) {
                    throw badRequest("Invalid integrationMethod: %s", method);
                }
                if (payloadFormatVersion != null && !payloadFormatVersion.equals("1.0")) {
                    throw badRequest("HTTP_PROXY integrations support only the payloadFormatVersion 1.0.");
                }
                checkRequestParameters(parameters);
                yield new Integration(integrationId, type, uri, method, "1.0", timeout, "INTERNET", description, parameters, apiGatewayManaged);
            }
            case "AWS", "HTTP", "MOCK" -> throw badRequest("Integration type %s is not supported for HTTP APIs.", type);
            default -> throw badRequest("Invalid integrationType: %s", type);
        };
    }

    /** The function an {@code AWS_PROXY} integration URI names: its ARN, from either form AWS accepts. */
    static String functionArn(String integrationUri) {
        return IntegrationUris.functionArn(integrationUri)
                .orElseThrow(() -> badRequest("Invalid integrationUri for a Lambda proxy integration: %s", integrationUri));
    }

    /** Whether a quick-create target is a Lambda function (else an HTTP URL). */
    static boolean isFunction(String target) {
        return target.startsWith("arn:");
    }

    static void checkUrl(String uri) {
        try {
            URI parsed = new URI(uri.replace("{", "%7B").replace("}", "%7D"));
            if (parsed.getScheme() == null || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))
                    || parsed.getHost() == null) {
                throw badRequest("Invalid HTTP endpoint specified for URI: %s", uri);
            }
        } catch (java.net.URISyntaxException e) {
            throw badRequest("Invalid HTTP endpoint specified for URI: %s", uri);
        }
    }

    private static void checkRequestParameters(Map<String, String> parameters) {
        parameters.forEach((key, value) -> {
            if (!PARAMETER_KEY.matcher(key).matches()) {
                throw badRequest("Invalid mapping expression specified: %s", key);
            }
            if (!key.startsWith("remove:") && (value == null || value.isEmpty())) {
                throw badRequest("Invalid mapping expression specified: a value is required for %s", key);
            }
        });
    }
}
