package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.apigateway.rest.RestApiModel.Authorizer;
import io.stratus.apigateway.rest.RestApiModel.Deployment;
import io.stratus.apigateway.rest.RestApiModel.GatewayResponse;
import io.stratus.apigateway.rest.RestApiModel.Model;
import io.stratus.apigateway.rest.RestApiModel.RequestValidator;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiModel.Stage;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * REST APIs in the store, one key per item: the API {@code (account, region, api)}, each resource
 * (with its methods and integrations) {@code (account, region, api, resource)}, each deployment
 * with the resource tree it froze, and each stage. Reads go straight to the store; writes are made
 * in a {@link Transaction} the caller runs through {@link #transaction}. Thread-safe: the store is.
 */
final class RestApiStore {

    /** A deployment and the resources and authorizers as they were when it was made; immutable once written. */
    record DeployedApi(Deployment deployment, List<Resource> resources, List<Authorizer> authorizers, List<GatewayResponse> gatewayResponses,
            List<RequestValidator> validators, List<Model> models) {

        DeployedApi {
            authorizers = authorizers == null ? List.of() : authorizers;
            gatewayResponses = gatewayResponses == null ? List.of() : gatewayResponses;
            validators = validators == null ? List.of() : validators;
            models = models == null ? List.of() : models;
        }
    }

    enum Kind {
        API("apigateway.rest.apis", RestApi.class),
        RESOURCE("apigateway.rest.resources", Resource.class),
        DEPLOYMENT("apigateway.rest.deployments", DeployedApi.class),
        STAGE("apigateway.rest.stages", Stage.class),
        AUTHORIZER("apigateway.rest.authorizers", Authorizer.class),
        GATEWAY_RESPONSE("apigateway.rest.gatewayresponses", GatewayResponse.class),
        VALIDATOR("apigateway.rest.requestvalidators", RequestValidator.class),
        MODEL("apigateway.rest.models", Model.class);

        final String keyspace;
        final Class<?> type;

        Kind(String keyspace, Class<?> type) {
            this.keyspace = keyspace;
            this.type = type;
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Store store;

    RestApiStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    <T> T transaction(Function<Transaction, T> body) {
        return store.transaction(body::apply);
    }

    StoreReader reader() {
        return store;
    }

    /** Runs {@code action} after every commit that changes one of {@code kinds}' keyspaces. */
    void onCommit(Runnable action, Kind... kinds) {
        for (Kind kind : kinds) {
            store.addListener(kind.keyspace, changes -> action.run());
        }
    }

    static Optional<RestApi> api(StoreReader reader, ApiKey api) {
        return get(reader, Kind.API, RestApi.class, api.key());
    }

    static Optional<Resource> resource(StoreReader reader, ApiKey api, String resourceId) {
        return get(reader, Kind.RESOURCE, Resource.class, api.key(resourceId));
    }

    static List<Resource> resources(StoreReader reader, ApiKey api) {
        return list(reader, Kind.RESOURCE, Resource.class, api.key());
    }

    static Optional<DeployedApi> deployment(StoreReader reader, ApiKey api, String deploymentId) {
        return get(reader, Kind.DEPLOYMENT, DeployedApi.class, api.key(deploymentId));
    }

    static List<DeployedApi> deployments(StoreReader reader, ApiKey api) {
        return list(reader, Kind.DEPLOYMENT, DeployedApi.class, api.key());
    }

    static Optional<Stage> stage(StoreReader reader, ApiKey api, String stageName) {
        return get(reader, Kind.STAGE, Stage.class, api.key(stageName));
    }

    static List<Stage> stages(StoreReader reader, ApiKey api) {
        return list(reader, Kind.STAGE, Stage.class, api.key());
    }

    static Optional<Authorizer> authorizer(StoreReader reader, ApiKey api, String authorizerId) {
        return get(reader, Kind.AUTHORIZER, Authorizer.class, api.key(authorizerId));
    }

    static List<Authorizer> authorizers(StoreReader reader, ApiKey api) {
        return list(reader, Kind.AUTHORIZER, Authorizer.class, api.key());
    }

    static void putAuthorizer(Transaction txn, ApiKey api, Authorizer authorizer) {
        txn.put(Kind.AUTHORIZER.keyspace, api.key(authorizer.id()), encode(authorizer));
    }

    static void deleteAuthorizer(Transaction txn, ApiKey api, String authorizerId) {
        txn.delete(Kind.AUTHORIZER.keyspace, api.key(authorizerId));
    }

    static Optional<GatewayResponse> gatewayResponse(StoreReader reader, ApiKey api, String type) {
        return get(reader, Kind.GATEWAY_RESPONSE, GatewayResponse.class, api.key(type));
    }

    static List<GatewayResponse> gatewayResponses(StoreReader reader, ApiKey api) {
        return list(reader, Kind.GATEWAY_RESPONSE, GatewayResponse.class, api.key());
    }

    static void putGatewayResponse(Transaction txn, ApiKey api, GatewayResponse response) {
        txn.put(Kind.GATEWAY_RESPONSE.keyspace, api.key(response.responseType()), encode(response));
    }

    static void deleteGatewayResponse(Transaction txn, ApiKey api, String type) {
        txn.delete(Kind.GATEWAY_RESPONSE.keyspace, api.key(type));
    }

    static Optional<RequestValidator> validator(StoreReader reader, ApiKey api, String validatorId) {
        return get(reader, Kind.VALIDATOR, RequestValidator.class, api.key(validatorId));
    }

    static List<RequestValidator> validators(StoreReader reader, ApiKey api) {
        return list(reader, Kind.VALIDATOR, RequestValidator.class, api.key());
    }

    static void putValidator(Transaction txn, ApiKey api, RequestValidator validator) {
        txn.put(Kind.VALIDATOR.keyspace, api.key(validator.id()), encode(validator));
    }

    static void deleteValidator(Transaction txn, ApiKey api, String validatorId) {
        txn.delete(Kind.VALIDATOR.keyspace, api.key(validatorId));
    }

    static Optional<Model> model(StoreReader reader, ApiKey api, String name) {
        return get(reader, Kind.MODEL, Model.class, api.key(name));
    }

    static List<Model> models(StoreReader reader, ApiKey api) {
        return list(reader, Kind.MODEL, Model.class, api.key());
    }

    static void putModel(Transaction txn, ApiKey api, Model model) {
        txn.put(Kind.MODEL.keyspace, api.key(model.name()), encode(model));
    }

    static void deleteModel(Transaction txn, ApiKey api, String name) {
        txn.delete(Kind.MODEL.keyspace, api.key(name));
    }

    /** Up to {@code limit} APIs of the account and region whose ids sort at or after {@code from} (null: from the first). */
    static List<RestApi> apis(StoreReader reader, String accountId, String region, String from, int limit) {
        byte[] prefix = Key.builder().add(accountId).add(region).build();
        byte[] start = from == null ? prefix : Key.builder().add(accountId).add(region).add(from).build();
        List<RestApi> apis = new ArrayList<>();
        try (Scan scan = reader.scan(Kind.API.keyspace, new KeyRange(start, KeyRange.prefix(prefix).end()))) {
            while (scan.hasNext() && apis.size() < limit) {
                apis.add(decode(scan.next().value(), RestApi.class));
            }
        }
        return apis;
    }

    static void putApi(Transaction txn, ApiKey api, RestApi value) {
        txn.put(Kind.API.keyspace, api.key(), encode(value));
    }

    static void putResource(Transaction txn, ApiKey api, Resource resource) {
        txn.put(Kind.RESOURCE.keyspace, api.key(resource.id()), encode(resource));
    }

    static void deleteResource(Transaction txn, ApiKey api, String resourceId) {
        txn.delete(Kind.RESOURCE.keyspace, api.key(resourceId));
    }

    static void putDeployment(Transaction txn, ApiKey api, DeployedApi deployed) {
        txn.put(Kind.DEPLOYMENT.keyspace, api.key(deployed.deployment().id()), encode(deployed));
    }

    static void deleteDeployment(Transaction txn, ApiKey api, String deploymentId) {
        txn.delete(Kind.DEPLOYMENT.keyspace, api.key(deploymentId));
    }

    static void putStage(Transaction txn, ApiKey api, Stage stage) {
        txn.put(Kind.STAGE.keyspace, api.key(stage.stageName()), encode(stage));
    }

    static void deleteStage(Transaction txn, ApiKey api, String stageName) {
        txn.delete(Kind.STAGE.keyspace, api.key(stageName));
    }

    /** Removes the API and everything in it. */
    static void deleteAll(Transaction txn, ApiKey api) {
        for (Kind kind : Kind.values()) {
            List<byte[]> keys = new ArrayList<>();
            try (Scan scan = txn.scan(kind.keyspace, KeyRange.prefix(api.key()))) {
                while (scan.hasNext()) {
                    keys.add(scan.next().key());
                }
            }
            keys.forEach(key -> txn.delete(kind.keyspace, key));
        }
    }

    private static <T> Optional<T> get(StoreReader reader, Kind kind, Class<T> type, byte[] key) {
        byte[] value = reader.get(kind.keyspace, key);
        return value == null ? Optional.empty() : Optional.of(decode(value, type));
    }

    private static <T> List<T> list(StoreReader reader, Kind kind, Class<T> type, byte[] prefix) {
        List<T> items = new ArrayList<>();
        try (Scan scan = reader.scan(kind.keyspace, KeyRange.prefix(prefix))) {
            while (scan.hasNext()) {
                items.add(decode(scan.next().value(), type));
            }
        }
        return items;
    }

    static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T decode(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }

    /** Where one API's items are keyed: {@code (account, region, api, …)}. */
    record ApiKey(String accountId, String region, String apiId) {

        ApiKey {
            requireNonNull(accountId, "accountId is null");
            requireNonNull(region, "region is null");
            requireNonNull(apiId, "apiId is null");
        }

        byte[] key() {
            return Key.builder().add(accountId).add(region).add(apiId).build();
        }

        byte[] key(String item) {
            return Key.builder().add(accountId).add(region).add(apiId).add(item).build();
        }
    }
}
