package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.GatewayResponse;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.GatewayResponseRequest;
import io.stratus.apigateway.rest.RestApiRequests.GatewayResponses;
import io.stratus.apigateway.rest.RestApiRequests.GetGatewayResponsesRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutGatewayResponseRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateGatewayResponseRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gateway responses: how an API answers when API Gateway itself answers (a missing route, a refused
 * caller, a failed integration). Every type exists with AWS's default until customized; deleting a
 * customization brings the default back. Changes reach a stage with the next deployment. Thread-safe.
 */
final class GatewayResponseOperations {

    static final String DEFAULT_TEMPLATE = "{\"message\":$context.error.messageString}";
    private static final Pattern STATUS_CODE = Pattern.compile("[1-5]\\d\\d");
    private static final Pattern SOURCE = Pattern.compile(
            "'.*'|method\\.request\\.(header|querystring|path|multivalueheader|multivaluequerystring)\\.[^.]+|stageVariables\\.[^.]+|context\\..+");

    private final RestApiStore store;

    GatewayResponseOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    GatewayResponse putGatewayResponse(RequestContext context, PutGatewayResponseRequest request) {
        GatewayError.Type type = type(request.responseType());
        GatewayResponse response = validate(new GatewayResponse(type.name(), request.statusCode(), copy(request.responseParameters()),
                copy(request.responseTemplates()), false));
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            RestApiStore.putGatewayResponse(txn, key, response);
            return response;
        });
    }

    GatewayResponse getGatewayResponse(RequestContext context, GatewayResponseRequest request) {
        GatewayError.Type type = type(request.responseType());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return RestApiStore.gatewayResponse(reader, key, type.name()).orElseGet(() -> standard(type));
    }

    GatewayResponses getGatewayResponses(RequestContext context, GetGatewayResponsesRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        Map<String, GatewayResponse> customized = RestApiStore.gatewayResponses(reader, key).stream()
                .collect(Collectors.toMap(GatewayResponse::responseType, r -> r));
        List<GatewayResponse> all = Arrays.stream(GatewayError.Type.values())
                .map(type -> customized.getOrDefault(type.name(), standard(type)))
                .toList();
        Pages.Page<GatewayResponse> page = Pages.of(all, GatewayResponse::responseType, request.position(), request.limit());
        return new GatewayResponses(page.position(), page.items());
    }

    GatewayResponse updateGatewayResponse(RequestContext context, UpdateGatewayResponseRequest request) {
        GatewayError.Type type = type(request.responseType());
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            GatewayResponse r = RestApiStore.gatewayResponse(txn, key, type.name()).orElseGet(() -> standard(type));
            for (Patch patch : patches) {
                r = switch (patch.first()) {
                    case "statusCode" -> new GatewayResponse(r.responseType(), patch.removes() ? null : patch.value(), r.responseParameters(),
                            r.responseTemplates(), false);
                    case "responseParameters" -> new GatewayResponse(r.responseType(), r.statusCode(),
                            Patches.applyToMap(r.responseParameters(), patch, v -> v), r.responseTemplates(), false);
                    case "responseTemplates" -> new GatewayResponse(r.responseType(), r.statusCode(), r.responseParameters(),
                            Patches.applyToMap(r.responseTemplates(), patch, v -> v), false);
                    default -> throw Patches.invalidPath(patch, "/statusCode", "/responseParameters/<name>", "/responseTemplates/<content type>");
                };
            }
            GatewayResponse updated = validate(new GatewayResponse(r.responseType(), r.statusCode(), r.responseParameters(), r.responseTemplates(), false));
            RestApiStore.putGatewayResponse(txn, key, updated);
            return updated;
        });
    }

    Empty deleteGatewayResponse(RequestContext context, GatewayResponseRequest request) {
        GatewayError.Type type = type(request.responseType());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            if (RestApiStore.gatewayResponse(txn, key, type.name()).isEmpty()) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Gateway Response identifier specified");
            }
            RestApiStore.deleteGatewayResponse(txn, key, type.name());
            return null;
        });
        return new Empty();
    }

    /** AWS's default for a type: its status (none for the DEFAULT_ ones) and a JSON message. */
    static GatewayResponse standard(GatewayError.Type type) {
        return new GatewayResponse(type.name(), type.status == 0 ? null : Integer.toString(type.status), null,
                Map.of("application/json", DEFAULT_TEMPLATE), true);
    }

    private static GatewayError.Type type(String name) {
        try {
            return GatewayError.Type.valueOf(name == null ? "" : name);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "1 validation error detected: Value '%s' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: %s",
                    name, Arrays.toString(GatewayError.Type.values()));
        }
    }

    private static GatewayResponse validate(GatewayResponse response) {
        if (response.statusCode() != null && !STATUS_CODE.matcher(response.statusCode()).matches()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid status code specified: %s", response.statusCode());
        }
        if (response.responseParameters() != null) {
            response.responseParameters().forEach((name, source) -> {
                if (!name.startsWith("gatewayresponse.header.") || name.length() == "gatewayresponse.header.".length()) {
                    throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                            "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: %s]", name);
                }
                if (source == null || !SOURCE.matcher(source).matches()) {
                    throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                            "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: %s]",
                            source);
                }
            });
        }
        return response;
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null || map.isEmpty() ? null : new LinkedHashMap<>(map);
    }
}
