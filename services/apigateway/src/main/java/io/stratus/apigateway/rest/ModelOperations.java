package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.MethodResponse;
import io.stratus.apigateway.rest.RestApiModel.Model;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiRequests.CreateModelRequest;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.GetModelsRequest;
import io.stratus.apigateway.rest.RestApiRequests.ModelRequest;
import io.stratus.apigateway.rest.RestApiRequests.Models;
import io.stratus.apigateway.rest.RestApiRequests.UpdateModelRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Models of a REST API: JSON Schemas (draft 4) that methods name in {@code requestModels} and
 * {@code responseModels}, and that request validators check bodies against. Every API starts with
 * AWS's {@code Empty} and {@code Error} models. A model a method or another model uses cannot be
 * deleted. Thread-safe.
 */
final class ModelOperations {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]+");
    private static final int MAX_SCHEMA_BYTES = 400 * 1024;

    private final RestApiStore store;

    ModelOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The models AWS gives every new REST API. */
    static void createDefaults(Transaction txn, ApiKey key) {
        RestApiStore.putModel(txn, key, new Model(Ids.lowerAlphanumeric(6), "Empty", "This is a default empty schema model",
                "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}",
                "application/json"));
        RestApiStore.putModel(txn, key, new Model(Ids.lowerAlphanumeric(6), "Error", "This is a default error schema model",
                "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Error Schema\",\n  \"type\" : \"object\",\n"
                        + "  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" }\n  }\n}",
                "application/json"));
    }

    Model createModel(RequestContext context, CreateModelRequest request) {
        if (request.name() == null || request.name().isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Model name must be non-empty");
        }
        if (!NAME.matcher(request.name()).matches()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid model name specified: %s. Model names must be alphanumeric.", request.name());
        }
        if (request.contentType() == null || request.contentType().isBlank()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Content type must be non-empty");
        }
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            if (RestApiStore.model(txn, key, request.name()).isPresent()) {
                throw AwsException.of(ApiGatewayErrors.CONFLICT, "Model name already exists for this REST API");
            }
            Model model = new Model(Ids.lowerAlphanumeric(6), request.name(), request.description(),
                    checkSchema(txn, key, request.schema()), request.contentType());
            RestApiStore.putModel(txn, key, model);
            return model;
        });
    }

    /** A schema must be a draft 4 JSON Schema whose model references name models of its API. */
    private static String checkSchema(StoreReader reader, ApiKey key, String schema) {
        if (schema == null || schema.isEmpty()) {
            return null;
        }
        if (schema.length() > MAX_SCHEMA_BYTES) {
            throw invalidModel(List.of("Model schema is larger than 400 KB"));
        }
        List<String> problems = ModelSchemas.problems(key.apiId(), schema, name -> RestApiStore.model(reader, key, name).isPresent());
        if (!problems.isEmpty()) {
            throw invalidModel(problems);
        }
        return schema;
    }

    private static AwsException invalidModel(List<String> problems) {
        return AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid model specified: Validation Result: warnings : [], errors : [%s]",
                String.join(", ", problems));
    }

    Model getModel(RequestContext context, ModelRequest request) {
        RestApiService.notYet("flatten", Boolean.TRUE.equals(request.flatten()));
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return model(reader, key, request.modelName());
    }

    Models getModels(RequestContext context, GetModelsRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        List<Model> all = RestApiStore.models(reader, key).stream().sorted(Comparator.comparing(Model::name)).toList();
        Pages.Page<Model> page = Pages.of(all, Model::name, request.position(), request.limit());
        return new Models(page.position(), page.items());
    }

    Model updateModel(RequestContext context, UpdateModelRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Model m = model(txn, key, request.modelName());
            for (Patch patch : patches) {
                if (patch.path().size() != 1) {
                    throw Patches.invalidPath(patch, "/schema", "/description");
                }
                m = switch (patch.first()) {
                    case "schema" -> new Model(m.id(), m.name(), m.description(), checkSchema(txn, key, Patches.value(patch)), m.contentType());
                    case "description" -> new Model(m.id(), m.name(), patch.removes() ? null : patch.value(), m.schema(), m.contentType());
                    default -> throw Patches.invalidPath(patch, "/schema", "/description");
                };
            }
            RestApiStore.putModel(txn, key, m);
            return m;
        });
    }

    Empty deleteModel(RequestContext context, ModelRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Model model = model(txn, key, request.modelName());
            for (Resource resource : RestApiStore.resources(txn, key)) {
                for (Method method : resource.methods().values()) {
                    if (names(method.requestModels(), model.name())) {
                        throw AwsException.of(ApiGatewayErrors.CONFLICT, "Cannot delete model '%s', is referenced in method request: %s/%s",
                                model.name(), resource.path(), method.httpMethod());
                    }
                    for (MethodResponse response : method.responses().values()) {
                        if (names(response.responseModels(), model.name())) {
                            throw AwsException.of(ApiGatewayErrors.CONFLICT, "Cannot delete model '%s', is referenced in method response: %s/%s",
                                    model.name(), resource.path(), method.httpMethod());
                        }
                    }
                }
            }
            for (Model other : RestApiStore.models(txn, key)) {
                if (!other.name().equals(model.name()) && other.schema() != null
                        && ModelSchemas.referencedModels(key.apiId(), other.schema()).contains(model.name())) {
                    throw AwsException.of(ApiGatewayErrors.CONFLICT, "Cannot delete model '%s', is referenced in model: %s", model.name(), other.name());
                }
            }
            RestApiStore.deleteModel(txn, key, model.name());
            return null;
        });
        return new Empty();
    }

    private static boolean names(Map<String, String> models, String name) {
        return models != null && models.containsValue(name);
    }

    /** Methods may only name models of their API. */
    static void checkModels(StoreReader reader, ApiKey key, Map<String, String> models) {
        if (models == null) {
            return;
        }
        for (String name : models.values()) {
            if (name == null || RestApiStore.model(reader, key, name).isEmpty()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid model identifier specified: %s", name);
            }
        }
    }

    private static Model model(StoreReader reader, ApiKey key, String name) {
        return RestApiStore.model(reader, key, name == null ? "" : name).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid model name specified: %s", name));
    }
}
