package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.OpenApiImport.Definition;
import io.stratus.apigateway.rest.RestApiModel.EndpointConfiguration;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ImportRestApi and PutRestApi: a REST API from an OpenAPI definition ({@link OpenApiImport}), as a
 * new API or over an existing one ({@code overwrite} replaces every resource, {@code merge} adds and
 * replaces methods). Thread-safe.
 */
final class ImportOperations {

    record ImportRestApiRequest(@HttpQuery("failonwarnings") Boolean failOnWarnings, @HttpPayload byte[] body) {}

    record PutRestApiRequest(@HttpLabel("restapi_id") String restApiId, @HttpQuery("mode") String mode,
            @HttpQuery("failonwarnings") Boolean failOnWarnings, @HttpPayload byte[] body) {}

    private final RestApiStore store;
    private final Clock clock;
    private final ApiDirectory directory;

    ImportOperations(RestApiStore store, Clock clock, ApiDirectory directory) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    RestApi importRestApi(RequestContext context, ImportRestApiRequest request) {
        Definition definition = OpenApiImport.read(request.body());
        return store.transaction(txn -> {
            String id = directory.register(txn, new ApiDirectory.Location(context.accountId(), context.region(), ApiDirectory.Kind.REST));
            String rootId = Ids.lowerAlphanumeric(RestApiOperations.RESOURCE_ID_LENGTH);
            RestApi api = new RestApi(id, definition.title(), definition.description(), clock.instant(), definition.version(),
                    definition.binaryMediaTypes(), "HEADER", new EndpointConfiguration(List.of("EDGE"), null), null, false, rootId);
            ApiKey key = new ApiKey(context.accountId(), context.region(), id);
            RestApiStore.putApi(txn, key, api);
            ModelOperations.createDefaults(txn, key);
            build(txn, key, Map.of("/", new Resource(rootId, null, null, "/", null)), definition);
            return api;
        });
    }

    RestApi putRestApi(RequestContext context, PutRestApiRequest request) {
        String mode = request.mode() == null ? "merge" : request.mode();
        if (!mode.equals("merge") && !mode.equals("overwrite")) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid mode specified: %s. Valid options are merge, overwrite", mode);
        }
        Definition definition = OpenApiImport.read(request.body());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApi api = RestApiOperations.api(txn, key);
            Map<String, Resource> byPath = new HashMap<>();
            for (Resource resource : RestApiStore.resources(txn, key)) {
                if (mode.equals("overwrite") && resource.parentId() != null) {
                    RestApiStore.deleteResource(txn, key, resource.id());
                } else {
                    byPath.put(resource.path(), mode.equals("overwrite") ? resource.withMethods(Map.of()) : resource);
                }
            }
            if (mode.equals("overwrite")) {
                api = new RestApi(api.id(), definition.title(), definition.description(), api.createdDate(), definition.version(),
                        definition.binaryMediaTypes(), api.apiKeySource(), api.endpointConfiguration(), api.tags(), api.disableExecuteApiEndpoint(),
                        api.rootResourceId());
                RestApiStore.putApi(txn, key, api);
            }
            build(txn, key, byPath, definition);
            return api;
        });
    }

    /** Creates the resources the definition's paths need and puts its methods on them. */
    private static void build(Transaction txn, ApiKey key, Map<String, Resource> existing, Definition definition) {
        Map<String, Resource> byPath = new LinkedHashMap<>(existing);
        for (Map.Entry<String, Map<String, Method>> path : definition.methods().entrySet()) {
            Resource resource = resource(byPath, path.getKey());
            Map<String, Method> methods = new LinkedHashMap<>(resource.methods());
            methods.putAll(path.getValue());
            byPath.put(resource.path(), resource.withMethods(methods));
        }
        byPath.values().forEach(resource -> RestApiStore.putResource(txn, key, resource));
    }

    private static Resource resource(Map<String, Resource> byPath, String path) {
        Resource found = byPath.get(path);
        if (found != null) {
            return found;
        }
        int slash = path.lastIndexOf('/');
        Resource parent = resource(byPath, slash == 0 ? "/" : path.substring(0, slash));
        String pathPart = path.substring(slash + 1);
        if (!RestApiOperations.PATH_PART.matcher(pathPart).matches()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid OpenAPI input. Path part '%s' of %s is not a valid resource path part.",
                    pathPart, path);
        }
        if (parent.greedy()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid OpenAPI input. %s is below a greedy path variable.", path);
        }
        Resource created = new Resource(Ids.lowerAlphanumeric(RestApiOperations.RESOURCE_ID_LENGTH), parent.id(), pathPart, path, null);
        byPath.put(path, created);
        return created;
    }
}
