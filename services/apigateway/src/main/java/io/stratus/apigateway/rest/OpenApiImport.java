package io.stratus.apigateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.RestApiModel.Integration;
import io.stratus.apigateway.rest.RestApiModel.IntegrationResponse;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.MethodResponse;
import io.stratus.core.AwsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an OpenAPI 3 or Swagger 2 definition (JSON or YAML) with API Gateway's extensions into the
 * methods of a REST API: {@code x-amazon-apigateway-integration} (type, httpMethod, uri,
 * requestTemplates, requestParameters, passthroughBehavior, timeoutInMillis, responses),
 * {@code x-amazon-apigateway-any-method} and {@code x-amazon-apigateway-binary-media-types}.
 * Operations with {@code security} (authorizers, API keys) and the API-wide extensions for
 * validators, gateway responses, key source, policy and endpoint configuration are refused:
 * importing them is not supported yet. Schemas (models) are not read. Stateless.
 */
final class OpenApiImport {

    /** What a definition describes: the API's settings and each path's methods. */
    record Definition(String title, String description, String version, List<String> binaryMediaTypes, Map<String, Map<String, Method>> methods) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> OPERATIONS = Map.of("get", "GET", "put", "PUT", "post", "POST", "delete", "DELETE",
            "options", "OPTIONS", "head", "HEAD", "patch", "PATCH", "x-amazon-apigateway-any-method", "ANY");

    private OpenApiImport() {}

    static Definition read(byte[] document) {
        JsonNode root = parse(document);
        if (!root.isObject() || !(root.has("openapi") || root.has("swagger"))) {
            throw invalid("The document is neither OpenAPI 3 nor Swagger 2: it has no 'openapi' or 'swagger' member.");
        }
        String title = root.path("info").path("title").asText(null);
        if (title == null || title.isBlank()) {
            throw invalid("info.title is required: it names the API.");
        }
        for (String extension : List.of("x-amazon-apigateway-request-validators", "x-amazon-apigateway-gateway-responses",
                "x-amazon-apigateway-api-key-source", "x-amazon-apigateway-policy", "x-amazon-apigateway-endpoint-configuration")) {
            if (root.has(extension)) {
                throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED,
                        "Importing %s is not supported by Stratus yet; set it through the API after the import.", extension);
            }
        }
        List<String> binary = new ArrayList<>();
        root.path("x-amazon-apigateway-binary-media-types").forEach(type -> binary.add(type.asText()));
        Map<String, Map<String, Method>> methods = new TreeMap<>();
        for (var path : root.path("paths").properties()) {
            if (!path.getKey().startsWith("/")) {
                throw invalid("Path '" + path.getKey() + "' does not start with '/'.");
            }
            Map<String, Method> byMethod = new LinkedHashMap<>();
            for (var operation : path.getValue().properties()) {
                String httpMethod = OPERATIONS.get(operation.getKey().toLowerCase(Locale.ROOT));
                if (httpMethod != null) {
                    byMethod.put(httpMethod, method(path.getKey(), httpMethod, operation.getValue(), path.getValue().path("parameters"), root));
                }
            }
            methods.put(normalize(path.getKey()), byMethod);
        }
        return new Definition(title, root.path("info").path("description").asText(null), root.path("info").path("version").asText(null),
                binary.isEmpty() ? null : binary, methods);
    }

    private static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Method method(String path, String httpMethod, JsonNode operation, JsonNode pathParameters, JsonNode root) {
        JsonNode security = operation.has("security") ? operation.get("security") : root.path("security");
        for (JsonNode requirement : security) {
            if (!requirement.isEmpty()) {
                throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED,
                        "Importing %s %s with 'security' (authorizers, API keys) is not supported by Stratus yet; create them through the API.",
                        httpMethod, path);
            }
        }
        for (String extension : List.of("x-amazon-apigateway-request-validator", "x-amazon-apigateway-auth", "x-amazon-apigateway-api-key-source")) {
            if (operation.has(extension)) {
                throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED, "Importing %s on %s %s is not supported by Stratus yet.", extension, httpMethod, path);
            }
        }
        Map<String, Boolean> parameters = new LinkedHashMap<>();
        List<JsonNode> declared = new ArrayList<>();
        pathParameters.forEach(declared::add);
        operation.path("parameters").forEach(declared::add);
        for (JsonNode parameter : declared) {
            String kind = switch (parameter.path("in").asText()) {
                case "path" -> "path";
                case "query" -> "querystring";
                case "header" -> "header";
                default -> null;
            };
            if (kind != null && parameter.hasNonNull("name")) {
                parameters.put("method.request." + kind + "." + parameter.get("name").asText(), parameter.path("required").asBoolean(false));
            }
        }
        Map<String, MethodResponse> responses = new LinkedHashMap<>();
        for (var response : operation.path("responses").properties()) {
            if (response.getKey().matches("[1-5]\\d\\d")) {
                Map<String, Boolean> headers = new LinkedHashMap<>();
                response.getValue().path("headers").fieldNames().forEachRemaining(h -> headers.put("method.response.header." + h, false));
                responses.put(response.getKey(), new MethodResponse(response.getKey(), headers.isEmpty() ? null : headers, null));
            }
        }
        Integration integration = integration(path, httpMethod, operation.path("x-amazon-apigateway-integration"), responses);
        return new Method(httpMethod, "NONE", null, false, null, operation.path("operationId").asText(null),
                parameters.isEmpty() ? null : parameters, null, responses.isEmpty() ? null : responses, integration, null);
    }

    private static Integration integration(String path, String httpMethod, JsonNode node, Map<String, MethodResponse> methodResponses) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        Map<String, IntegrationResponse> responses = new LinkedHashMap<>();
        for (var response : node.path("responses").properties()) {
            String status = response.getValue().path("statusCode").asText(null);
            if (status == null) {
                throw invalid("The integration response '" + response.getKey() + "' of " + httpMethod + " " + path + " has no statusCode.");
            }
            // The method response an integration response needs, as AWS's importer adds it.
            methodResponses.putIfAbsent(status, new MethodResponse(status, null, null));
            responses.put(status, new IntegrationResponse(status, response.getKey().equals("default") ? null : response.getKey(),
                    strings(response.getValue().path("responseParameters")), strings(response.getValue().path("responseTemplates")), null));
        }
        String type = node.path("type").asText("").toUpperCase(Locale.ROOT);
        String passthrough = node.hasNonNull("passthroughBehavior") ? node.get("passthroughBehavior").asText().toUpperCase(Locale.ROOT) : "WHEN_NO_MATCH";
        Integration integration = new Integration(type, node.path("httpMethod").asText(null), node.path("uri").asText(null),
                node.path("connectionType").asText(null), node.path("connectionId").asText(null), node.path("credentials").asText(null),
                strings(node.path("requestParameters")), strings(node.path("requestTemplates")), passthrough, node.path("contentHandling").asText(null),
                node.hasNonNull("timeoutInMillis") ? node.get("timeoutInMillis").asInt() : 29_000, null, List.of(),
                responses.isEmpty() ? null : responses);
        return IntegrationRules.validate(integration, node.has("tlsConfig"));
    }

    private static Map<String, String> strings(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return values;
    }

    private static JsonNode parse(byte[] document) {
        if (document == null || document.length == 0) {
            throw invalid("The body is empty: send the OpenAPI definition.");
        }
        try {
            return JSON.readTree(document);
        } catch (IOException notJson) {
            try {
                JsonNode node = YAML.readTree(document);
                if (node == null) {
                    throw invalid("The body is empty: send the OpenAPI definition.");
                }
                return node;
            } catch (IOException notYaml) {
                throw invalid("The body is neither JSON nor YAML: " + notYaml.getMessage());
            }
        }
    }

    private static AwsException invalid(String reason) {
        return AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid OpenAPI input. %s", reason);
    }
}
