package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.RestApiModel.Integration;
import io.stratus.apigateway.rest.RestApiModel.IntegrationResponse;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.MethodResponse;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiModel.Stage;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.apigateway.rest.RestApiStore.DeployedApi;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.storage.StoreReader;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * GetExport: a stage's deployment as OpenAPI 3 ({@code oas30}) or Swagger 2 ({@code swagger}), in
 * JSON or YAML by the {@code Accept} header, with {@code x-amazon-apigateway-integration} when asked
 * for {@code extensions=integrations} — which ImportRestApi reads back. Thread-safe.
 */
final class ExportOperations {

    record GetExportRequest(@HttpLabel("restapi_id") String restApiId, @HttpLabel("stage_name") String stageName,
            @HttpLabel("export_type") String exportType, @HttpQuery("extensions") String extensions, @HttpHeader("Accept") String accepts,
            @HttpHeader("Host") String host) {}

    record GetExportResponse(@HttpHeader("Content-Type") String contentType, @HttpHeader("Content-Disposition") String contentDisposition,
            @HttpPayload byte[] body) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final RestApiStore store;

    ExportOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    GetExportResponse getExport(RequestContext context, GetExportRequest request) {
        boolean openApi3 = switch (request.exportType() == null ? "" : request.exportType()) {
            case "oas30" -> true;
            case "swagger" -> false;
            default -> throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid export type specified: %s. Valid options are oas30, swagger",
                    request.exportType());
        };
        String extensions = request.extensions() == null ? "" : request.extensions();
        for (String extension : extensions.split(",")) {
            RestApiService.notYet("The export extension " + extension.trim(), !extension.isBlank() && !extension.trim().equals("integrations"));
        }
        boolean integrations = extensions.contains("integrations");
        boolean yaml = request.accepts() != null && request.accepts().toLowerCase(Locale.ROOT).contains("yaml");
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApi api = RestApiOperations.api(reader, key);
        Stage stage = RestApiStore.stage(reader, key, request.stageName() == null ? "" : request.stageName())
                .orElseThrow(() -> AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Stage identifier specified"));
        DeployedApi deployed = RestApiStore.deployment(reader, key, stage.deploymentId())
                .orElseThrow(() -> AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Deployment identifier specified"));
        ObjectNode document = document(api, stage, deployed, openApi3, integrations, request.host());
        try {
            byte[] body = (yaml ? YAML : JSON).writeValueAsBytes(document);
            String file = api.name() + "-" + stage.stageName() + "-" + request.exportType() + (yaml ? ".yaml" : ".json");
            return new GetExportResponse(yaml ? "application/yaml" : "application/json", "attachment; filename=\"" + file + "\"", body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the export of " + api.id(), e);
        }
    }

    private static ObjectNode document(RestApi api, Stage stage, DeployedApi deployed, boolean openApi3, boolean integrations, String host) {
        ObjectNode root = JSON.createObjectNode();
        root.put(openApi3 ? "openapi" : "swagger", openApi3 ? "3.0.1" : "2.0");
        ObjectNode info = root.putObject("info");
        info.put("title", api.name());
        if (api.description() != null) {
            info.put("description", api.description());
        }
        info.put("version", api.version() != null ? api.version() : deployed.deployment().createdDate().toString());
        String server = (host == null ? api.id() + ".execute-api.localhost" : host);
        if (openApi3) {
            ObjectNode entry = root.putArray("servers").addObject();
            entry.put("url", "http://" + server + "/{basePath}");
            entry.putObject("variables").putObject("basePath").put("default", stage.stageName());
        } else {
            root.put("host", server);
            root.put("basePath", "/" + stage.stageName());
            root.putArray("schemes").add("http");
        }
        ObjectNode paths = root.putObject("paths");
        deployed.resources().stream().filter(r -> !r.methods().isEmpty()).sorted(Comparator.comparing(Resource::path)).forEach(resource -> {
            ObjectNode path = paths.putObject(resource.path());
            resource.methods().values().stream().sorted(Comparator.comparing(Method::httpMethod))
                    .forEach(method -> operation(path, method, openApi3, integrations));
        });
        if (api.binaryMediaTypes() != null) {
            ArrayNode binary = root.putArray("x-amazon-apigateway-binary-media-types");
            api.binaryMediaTypes().forEach(binary::add);
        }
        return root;
    }

    private static void operation(ObjectNode path, Method method, boolean openApi3, boolean integrations) {
        String name = method.httpMethod().equals("ANY") ? "x-amazon-apigateway-any-method" : method.httpMethod().toLowerCase(Locale.ROOT);
        ObjectNode operation = path.putObject(name);
        if (method.operationName() != null) {
            operation.put("operationId", method.operationName());
        }
        if (method.requestParameters() != null) {
            ArrayNode parameters = operation.putArray("parameters");
            method.requestParameters().forEach((key, required) -> {
                String[] parts = key.split("\\.", 4);
                String in = switch (parts[2]) {
                    case "path" -> "path";
                    case "querystring", "multivaluequerystring" -> "query";
                    default -> "header";
                };
                ObjectNode parameter = parameters.addObject();
                parameter.put("name", parts[3]);
                parameter.put("in", in);
                parameter.put("required", in.equals("path") || Boolean.TRUE.equals(required));
                if (openApi3) {
                    parameter.putObject("schema").put("type", "string");
                } else {
                    parameter.put("type", "string");
                }
            });
        }
        ObjectNode responses = operation.putObject("responses");
        for (MethodResponse response : method.responses().values()) {
            ObjectNode entry = responses.putObject(response.statusCode());
            entry.put("description", response.statusCode() + " response");
            if (response.responseParameters() != null) {
                ObjectNode headers = entry.putObject("headers");
                response.responseParameters().keySet().forEach(header -> {
                    ObjectNode schema = headers.putObject(header.substring("method.response.header.".length()));
                    if (openApi3) {
                        schema.putObject("schema").put("type", "string");
                    } else {
                        schema.put("type", "string");
                    }
                });
            }
        }
        if (integrations && method.methodIntegration() != null) {
            operation.set("x-amazon-apigateway-integration", integration(method.methodIntegration()));
        }
    }

    private static ObjectNode integration(Integration integration) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", integration.type().toLowerCase(Locale.ROOT));
        if (integration.integrationHttpMethod() != null) {
            node.put("httpMethod", integration.integrationHttpMethod());
        }
        if (integration.uri() != null) {
            node.put("uri", integration.uri());
        }
        putMap(node, "requestParameters", integration.requestParameters());
        putMap(node, "requestTemplates", integration.requestTemplates());
        if (integration.passthroughBehavior() != null) {
            node.put("passthroughBehavior", integration.passthroughBehavior().toLowerCase(Locale.ROOT));
        }
        if (integration.timeoutInMillis() != null) {
            node.put("timeoutInMillis", integration.timeoutInMillis());
        }
        if (!integration.responses().isEmpty()) {
            ObjectNode responses = node.putObject("responses");
            for (IntegrationResponse response : integration.responses().values()) {
                ObjectNode entry = responses.putObject(response.selectionPattern() == null ? "default" : response.selectionPattern());
                entry.put("statusCode", response.statusCode());
                putMap(entry, "responseParameters", response.responseParameters());
                putMap(entry, "responseTemplates", response.responseTemplates());
            }
        }
        return node;
    }

    private static void putMap(ObjectNode node, String member, Map<String, String> values) {
        if (values != null && !values.isEmpty()) {
            ObjectNode map = node.putObject(member);
            values.forEach(map::put);
        }
    }
}
