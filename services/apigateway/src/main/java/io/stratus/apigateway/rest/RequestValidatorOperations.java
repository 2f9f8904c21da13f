package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.RequestValidator;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiRequests.CreateRequestValidatorRequest;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.GetRequestValidatorsRequest;
import io.stratus.apigateway.rest.RestApiRequests.RequestValidatorRequest;
import io.stratus.apigateway.rest.RestApiRequests.RequestValidators;
import io.stratus.apigateway.rest.RestApiRequests.UpdateRequestValidatorRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.storage.StoreReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Request validators of a REST API: {@code validateRequestParameters} checks that the method's
 * required {@code method.request.*} parameters are present, {@code validateRequestBody} that the
 * body matches the method's request model for its content type ({@link ModelSchemas}). Thread-safe.
 */
final class RequestValidatorOperations {

    private final RestApiStore store;

    RequestValidatorOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    RequestValidator createRequestValidator(RequestContext context, CreateRequestValidatorRequest request) {
        RequestValidator validator = new RequestValidator(Ids.lowerAlphanumeric(6), request.name(),
                Boolean.TRUE.equals(request.validateRequestBody()), Boolean.TRUE.equals(request.validateRequestParameters()));
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            RestApiStore.putValidator(txn, key, validator);
            return validator;
        });
    }

    RequestValidator getRequestValidator(RequestContext context, RequestValidatorRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return validator(reader, key, request.requestValidatorId());
    }

    RequestValidators getRequestValidators(RequestContext context, GetRequestValidatorsRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        List<RequestValidator> all = RestApiStore.validators(reader, key).stream().sorted(Comparator.comparing(RequestValidator::id)).toList();
        Pages.Page<RequestValidator> page = Pages.of(all, RequestValidator::id, request.position(), request.limit());
        return new RequestValidators(page.position(), page.items());
    }

    RequestValidator updateRequestValidator(RequestContext context, UpdateRequestValidatorRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            RequestValidator v = validator(txn, key, request.requestValidatorId());
            for (Patch patch : patches) {
                v = switch (patch.first()) {
                    case "name" -> new RequestValidator(v.id(), patch.removes() ? null : patch.value(), v.validateRequestBody(), v.validateRequestParameters());
                    case "validateRequestBody" -> new RequestValidator(v.id(), v.name(), Patches.booleanValue(patch), v.validateRequestParameters());
                    case "validateRequestParameters" -> new RequestValidator(v.id(), v.name(), v.validateRequestBody(), Patches.booleanValue(patch));
                    default -> throw Patches.invalidPath(patch, "/name", "/validateRequestBody", "/validateRequestParameters");
                };
            }
            RestApiStore.putValidator(txn, key, v);
            return v;
        });
    }

    Empty deleteRequestValidator(RequestContext context, RequestValidatorRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            validator(txn, key, request.requestValidatorId());
            for (Resource resource : RestApiStore.resources(txn, key)) {
                for (Method method : resource.methods().values()) {
                    if (request.requestValidatorId().equals(method.requestValidatorId())) {
                        throw AwsException.of(ApiGatewayErrors.CONFLICT, "Cannot delete request validator '%s', is referenced in method: %s %s",
                                request.requestValidatorId(), method.httpMethod(), resource.path());
                    }
                }
            }
            RestApiStore.deleteValidator(txn, key, request.requestValidatorId());
            return null;
        });
        return new Empty();
    }

    private static RequestValidator validator(StoreReader reader, ApiKey key, String validatorId) {
        return RestApiStore.validator(reader, key, validatorId == null ? "" : validatorId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Request Validator identifier specified"));
    }

    /**
     * The names of the method's required parameters the request lacks, in the order the method
     * declares them; empty when none is missing.
     */
    static List<String> missingParameters(Method method, HttpRequest request, Map<String, String> pathParameters) {
        List<String> missing = new ArrayList<>();
        if (method.requestParameters() == null) {
            return missing;
        }
        method.requestParameters().forEach((name, required) -> {
            if (!Boolean.TRUE.equals(required)) {
                return;
            }
            String[] parts = name.split("\\.", 4);
            if (parts.length < 4) {
                return;
            }
            boolean present = switch (parts[2]) {
                case "path" -> pathParameters.containsKey(parts[3]);
                case "querystring", "multivaluequerystring" -> !request.query().all(parts[3]).isEmpty();
                case "header", "multivalueheader" -> !request.headerValues(parts[3]).isEmpty();
                default -> true;
            };
            if (!present) {
                missing.add(parts[3]);
            }
        });
        return missing;
    }
}
