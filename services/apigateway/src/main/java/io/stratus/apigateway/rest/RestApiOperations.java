package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.EndpointConfiguration;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiRequests.CreateResourceRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateRestApiRequest;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.GetResourcesRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetRestApisRequest;
import io.stratus.apigateway.rest.RestApiRequests.ResourceRequest;
import io.stratus.apigateway.rest.RestApiRequests.Resources;
import io.stratus.apigateway.rest.RestApiRequests.RestApiRequest;
import io.stratus.apigateway.rest.RestApiRequests.RestApis;
import io.stratus.apigateway.rest.RestApiRequests.UpdateResourceRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateRestApiRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The operations on REST APIs themselves and on their resource trees. Thread-safe. */
final class RestApiOperations {

    static final int RESOURCE_ID_LENGTH = 10;
    static final Pattern PATH_PART = Pattern.compile("\\{[a-zA-Z0-9._-]+\\+?}|[a-zA-Z0-9._:@&=$,;!'*()~-]+");
    private static final Set<String> API_KEY_SOURCES = Set.of("HEADER", "AUTHORIZER");
    private static final Set<String> ENDPOINT_TYPES = Set.of("EDGE", "REGIONAL", "PRIVATE");

    private final RestApiStore store;
    private final Clock clock;
    private final ApiDirectory directory;

    RestApiOperations(RestApiStore store, Clock clock, ApiDirectory directory) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    // RestApis

    RestApi createRestApi(RequestContext context, CreateRestApiRequest request) {
        if (request.name() == null || request.name().isBlank()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid REST API name specified");
        }
        RestApiService.notYet("cloneFrom", request.cloneFrom() != null);
        RestApiService.notYet("minimumCompressionSize", request.minimumCompressionSize() != null);
        RestApiService.notYet("policy (resource policies)", request.policy() != null && !request.policy().isBlank());
        String apiKeySource = request.apiKeySource() == null ? "HEADER" : request.apiKeySource();
        apiKeySource(apiKeySource);
        EndpointConfiguration endpoint = endpointConfiguration(request.endpointConfiguration());
        String rootId = Ids.lowerAlphanumeric(RESOURCE_ID_LENGTH);
        return store.transaction(txn -> {
            String id = directory.register(txn, new ApiDirectory.Location(context.accountId(), context.region(), ApiDirectory.Kind.REST));
            RestApi api = new RestApi(id, request.name(), request.description(), clock.instant(), request.version(),
                    emptyToNull(request.binaryMediaTypes()), apiKeySource, endpoint, emptyToNull(request.tags()),
                    Boolean.TRUE.equals(request.disableExecuteApiEndpoint()), rootId);
            ApiKey key = new ApiKey(context.accountId(), context.region(), id);
            RestApiStore.putApi(txn, key, api);
            RestApiStore.putResource(txn, key, new Resource(rootId, null, null, "/", null));
            ModelOperations.createDefaults(txn, key);
            return api;
        });
    }

    private static String apiKeySource(String source) {
        if (!API_KEY_SOURCES.contains(source)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid API key source specified: %s", source);
        }
        RestApiService.notYet("apiKeySource AUTHORIZER (usageIdentifierKey)", source.equals("AUTHORIZER"));
        return source;
    }

    private static EndpointConfiguration endpointConfiguration(EndpointConfiguration given) {
        if (given == null || given.types() == null || given.types().isEmpty()) {
            return new EndpointConfiguration(List.of("EDGE"), null);
        }
        if (given.types().size() > 1) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Cannot create an api with multiple Endpoint Types.");
        }
        for (String type : given.types()) {
            if (!ENDPOINT_TYPES.contains(type)) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid Endpoint Type specified: %s", type);
            }
        }
        return given;
    }

    RestApi getRestApi(RequestContext context, RestApiRequest request) {
        return api(store.reader(), key(context, request.restApiId()));
    }

    RestApis getRestApis(RequestContext context, GetRestApisRequest request) {
        int limit = Pages.limit(request.limit());
        List<RestApi> apis = RestApiStore.apis(store.reader(), context.accountId(), context.region(),
                request.position() == null || request.position().isEmpty() ? null : request.position(), limit + 1);
        String position = apis.size() > limit ? apis.get(limit).id() : null;
        return new RestApis(position, List.copyOf(apis.subList(0, Math.min(limit, apis.size()))));
    }

    RestApi updateRestApi(RequestContext context, UpdateRestApiRequest request) {
        ApiKey key = key(context, request.restApiId());
        List<Patch> patches = Patches.parse(request.patchOperations());
        return store.transaction(txn -> {
            RestApi api = api(txn, key);
            for (Patch patch : patches) {
                api = patch(api, patch);
            }
            RestApiStore.putApi(txn, key, api);
            return api;
        });
    }

    private static RestApi patch(RestApi api, Patch patch) {
        String[] allowed = {"/name", "/description", "/version", "/binaryMediaTypes/<type>", "/apiKeySource", "/disableExecuteApiEndpoint"};
        return switch (patch.first()) {
            case "name" -> {
                if (patch.removes()) {
                    throw Patches.invalidPath(patch, allowed);
                }
                yield new RestApi(api.id(), Patches.value(patch), api.description(), api.createdDate(), api.version(), api.binaryMediaTypes(),
                        api.apiKeySource(), api.endpointConfiguration(), api.tags(), api.disableExecuteApiEndpoint(), api.rootResourceId());
            }
            case "description" -> new RestApi(api.id(), api.name(), patch.removes() ? null : patch.value(), api.createdDate(), api.version(),
                    api.binaryMediaTypes(), api.apiKeySource(), api.endpointConfiguration(), api.tags(), api.disableExecuteApiEndpoint(), api.rootResourceId());
            case "version" -> new RestApi(api.id(), api.name(), api.description(), api.createdDate(), patch.removes() ? null : patch.value(),
                    api.binaryMediaTypes(), api.apiKeySource(), api.endpointConfiguration(), api.tags(), api.disableExecuteApiEndpoint(), api.rootResourceId());
            case "binaryMediaTypes" -> {
                String type = patch.rest();
                if (type.isEmpty()) {
                    throw Patches.invalidPath(patch, allowed);
                }
                List<String> types = new ArrayList<>(api.binaryMediaTypes() == null ? List.of() : api.binaryMediaTypes());
                switch (patch.op()) {
                    case "add" -> {
                        if (!types.contains(type)) {
                            types.add(type);
                        }
                    }
                    case "remove" -> types.remove(type);
                    default -> {
                        types.remove(type);
                        types.add(Patches.value(patch));
                    }
                }
                yield new RestApi(api.id(), api.name(), api.description(), api.createdDate(), api.version(), emptyToNull(types),
                        api.apiKeySource(), api.endpointConfiguration(), api.tags(), api.disableExecuteApiEndpoint(), api.rootResourceId());
            }
            case "apiKeySource" -> {
                String source = apiKeySource(Patches.value(patch));
                yield new RestApi(api.id(), api.name(), api.description(), api.createdDate(), api.version(), api.binaryMediaTypes(),
                        source, api.endpointConfiguration(), api.tags(), api.disableExecuteApiEndpoint(), api.rootResourceId());
            }
            case "disableExecuteApiEndpoint" -> new RestApi(api.id(), api.name(), api.description(), api.createdDate(), api.version(),
                    api.binaryMediaTypes(), api.apiKeySource(), api.endpointConfiguration(), api.tags(), Patches.booleanValue(patch), api.rootResourceId());
            default -> throw Patches.invalidPath(patch, allowed);
        };
    }

    Empty deleteRestApi(RequestContext context, RestApiRequest request) {
        ApiKey key = key(context, request.restApiId());
        store.transaction(txn -> {
            api(txn, key);
            RestApiStore.deleteAll(txn, key);
            directory.unregister(txn, key.apiId());
            return null;
        });
        return new Empty();
    }

    // Resources

    Resource createResource(RequestContext context, CreateResourceRequest request) {
        ApiKey key = key(context, request.restApiId());
        String pathPart = request.pathPart();
        if (pathPart == null || !PATH_PART.matcher(pathPart).matches()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
        }
        return store.transaction(txn -> {
            api(txn, key);
            Resource parent = resource(txn, key, request.parentId());
            List<Resource> all = RestApiStore.resources(txn, key);
            checkSiblings(all, parent, pathPart, null);
            Resource resource = new Resource(Ids.lowerAlphanumeric(RESOURCE_ID_LENGTH), parent.id(), pathPart, childPath(parent.path(), pathPart), null);
            RestApiStore.putResource(txn, key, resource);
            return resource;
        });
    }

    private static void checkSiblings(List<Resource> all, Resource parent, String pathPart, String self) {
        if (parent.greedy()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Cannot create a child of a resource with a greedy path variable: %s", parent.pathPart());
        }
        boolean variable = pathPart.startsWith("{");
        for (Resource sibling : all) {
            if (!parent.id().equals(sibling.parentId()) || sibling.id().equals(self)) {
                continue;
            }
            if (sibling.pathPart().equals(pathPart)) {
                throw AwsException.of(ApiGatewayErrors.CONFLICT, "Another resource with the same parent already has this name: %s", pathPart);
            }
            if (variable && sibling.variable()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "A sibling (%s) of this resource already has a variable path part -- only one is allowed",
                        sibling.pathPart());
            }
        }
    }

    private static String childPath(String parentPath, String pathPart) {
        return parentPath.equals("/") ? "/" + pathPart : parentPath + "/" + pathPart;
    }

    Resource getResource(RequestContext context, ResourceRequest request) {
        ApiKey key = key(context, request.restApiId());
        StoreReader reader = store.reader();
        api(reader, key);
        return shown(resource(reader, key, request.resourceId()), embedsMethods(request.embed()));
    }

    Resources getResources(RequestContext context, GetResourcesRequest request) {
        ApiKey key = key(context, request.restApiId());
        StoreReader reader = store.reader();
        api(reader, key);
        List<Resource> all = new ArrayList<>(RestApiStore.resources(reader, key));
        all.sort(Comparator.comparing(Resource::id));
        Pages.Page<Resource> page = Pages.of(all, Resource::id, request.position(), request.limit());
        boolean embed = embedsMethods(request.embed());
        return new Resources(page.position(), page.items().stream().map(r -> shown(r, embed)).toList());
    }

    private static boolean embedsMethods(List<String> embed) {
        return embed != null && embed.stream().flatMap(e -> java.util.Arrays.stream(e.split(","))).anyMatch(e -> e.trim().equals("methods"));
    }

    /** A resource as the list shows it: without {@code embed=methods}, each method as an empty object. */
    private static Resource shown(Resource resource, boolean withMethods) {
        if (withMethods || resource.resourceMethods() == null) {
            return resource;
        }
        Map<String, Method> bare = new LinkedHashMap<>();
        resource.methods().keySet().forEach(m -> bare.put(m, new Method(null, null, null, null, null, null, null, null, null, null, null)));
        return resource.withMethods(bare);
    }

    Resource updateResource(RequestContext context, UpdateResourceRequest request) {
        ApiKey key = key(context, request.restApiId());
        List<Patch> patches = Patches.parse(request.patchOperations());
        return store.transaction(txn -> {
            api(txn, key);
            Resource resource = resource(txn, key, request.resourceId());
            if (resource.parentId() == null) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Root resource cannot be updated");
            }
            String pathPart = resource.pathPart();
            String parentId = resource.parentId();
            for (Patch patch : patches) {
                switch (patch.first()) {
                    case "pathPart" -> pathPart = Patches.value(patch);
                    case "parentId" -> parentId = Patches.value(patch);
                    default -> throw Patches.invalidPath(patch, "/pathPart", "/parentId");
                }
            }
            if (!PATH_PART.matcher(pathPart).matches()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
            }
            List<Resource> all = RestApiStore.resources(txn, key);
            Resource parent = resource(txn, key, parentId);
            if (descendants(all, resource.id()).contains(parent.id()) || parent.id().equals(resource.id())) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Resources cannot be moved under one of their own children");
            }
            checkSiblings(all, parent, pathPart, resource.id());
            Resource updated = new Resource(resource.id(), parent.id(), pathPart, childPath(parent.path(), pathPart), resource.resourceMethods());
            RestApiStore.putResource(txn, key, updated);
            repath(txn, key, all, updated);
            return updated;
        });
    }

    /** Rewrites the paths of a moved or renamed resource's descendants. */
    private static void repath(Transaction txn, ApiKey key, List<Resource> all, Resource moved) {
        for (Resource child : all) {
            if (moved.id().equals(child.parentId())) {
                Resource updated = new Resource(child.id(), child.parentId(), child.pathPart(), childPath(moved.path(), child.pathPart()), child.resourceMethods());
                RestApiStore.putResource(txn, key, updated);
                repath(txn, key, all, updated);
            }
        }
    }

    Empty deleteResource(RequestContext context, ResourceRequest request) {
        ApiKey key = key(context, request.restApiId());
        store.transaction(txn -> {
            api(txn, key);
            Resource resource = resource(txn, key, request.resourceId());
            if (resource.parentId() == null) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Cannot delete root resource");
            }
            for (String id : descendants(RestApiStore.resources(txn, key), resource.id())) {
                RestApiStore.deleteResource(txn, key, id);
            }
            RestApiStore.deleteResource(txn, key, resource.id());
            return null;
        });
        return new Empty();
    }

    private static List<String> descendants(List<Resource> all, String id) {
        Map<String, List<String>> children = new HashMap<>();
        all.forEach(r -> {
            if (r.parentId() != null) {
                children.computeIfAbsent(r.parentId(), k -> new ArrayList<>()).add(r.id());
            }
        });
        List<String> found = new ArrayList<>();
        List<String> pending = new ArrayList<>(children.getOrDefault(id, List.of()));
        while (!pending.isEmpty()) {
            String next = pending.removeLast();
            found.add(next);
            pending.addAll(children.getOrDefault(next, List.of()));
        }
        return found;
    }

    // Shared look-ups

    static ApiKey key(RequestContext context, String apiId) {
        return new ApiKey(context.accountId(), context.region(), apiId == null ? "" : apiId);
    }

    static RestApi api(StoreReader reader, ApiKey key) {
        return RestApiStore.api(reader, key).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid API identifier specified %s:%s", key.accountId(), key.apiId()));
    }

    static Resource resource(StoreReader reader, ApiKey key, String resourceId) {
        return RestApiStore.resource(reader, key, resourceId == null ? "" : resourceId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Resource identifier specified"));
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : List.copyOf(list);
    }

    private static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
        return map == null || map.isEmpty() ? null : Map.copyOf(map);
    }
}
