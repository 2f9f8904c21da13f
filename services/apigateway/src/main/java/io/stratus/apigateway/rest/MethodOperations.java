package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.Integration;
import io.stratus.apigateway.rest.RestApiModel.IntegrationResponse;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.MethodResponse;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.MethodRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutIntegrationRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutIntegrationResponseRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutMethodRequest;
import io.stratus.apigateway.rest.RestApiRequests.PutMethodResponseRequest;
import io.stratus.apigateway.rest.RestApiRequests.StatusRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateIntegrationRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateMethodRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateStatusRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The operations on a resource's methods, method responses, integrations and integration
 * responses. All of them live in the resource's one stored value, so each change rewrites that
 * value in a transaction. Thread-safe.
 */
final class MethodOperations {

    static final List<String> HTTP_METHODS = List.of("ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");
    private static final Pattern STATUS_CODE = Pattern.compile("[1-5]\\d\\d");

    private final RestApiStore store;

    MethodOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    // Methods

    Method putMethod(RequestContext context, PutMethodRequest request) {
        String httpMethod = httpMethod(request.httpMethod());
        String authorization = authorizationType(request.authorizationType());
        Map<String, Boolean> parameters = requestParameters(request.requestParameters());
        String authorizerId = authorization.equals("CUSTOM") ? request.authorizerId() : null;
        Method method = new Method(httpMethod, authorization, authorizerId, Boolean.TRUE.equals(request.apiKeyRequired()),
                request.requestValidatorId() == null || request.requestValidatorId().isEmpty() ? null : request.requestValidatorId(), request.operationName(), parameters,
                request.requestModels() == null || request.requestModels().isEmpty() ? null : Map.copyOf(request.requestModels()), null, null,
                request.authorizationScopes() == null || request.authorizationScopes().isEmpty() ? null : List.copyOf(request.authorizationScopes()));
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Resource resource = RestApiOperations.resource(txn, key, request.resourceId());
            if (resource.methods().containsKey(httpMethod)) {
                throw AwsException.of(ApiGatewayErrors.CONFLICT, "Method already exists for this resource");
            }
            checkAuthorizer(txn, key, method);
            RestApiStore.putResource(txn, key, withMethod(resource, method));
            return method;
        });
    }

    Method getMethod(RequestContext context, MethodRequest request) {
        return method(find(context, request.restApiId(), request.resourceId()), request.httpMethod());
    }

    Method updateMethod(RequestContext context, UpdateMethodRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Resource resource = RestApiOperations.resource(txn, key, request.resourceId());
            Method updated = method(resource, request.httpMethod());
            for (Patch patch : patches) {
                updated = patch(updated, patch);
            }
            if (!"CUSTOM".equals(updated.authorizationType()) && updated.authorizerId() != null) {
                updated = withAuthorization(updated, updated.authorizationType(), null);
            }
            checkAuthorizer(txn, key, updated);
            RestApiStore.putResource(txn, key, withMethod(resource, updated));
            return updated;
        });
    }

    /** A CUSTOM method names an authorizer of its API; a validated one, a validator of its API. */
    private static void checkAuthorizer(StoreReader reader, ApiKey key, Method method) {
        ModelOperations.checkModels(reader, key, method.requestModels());
        if (method.requestValidatorId() != null && RestApiStore.validator(reader, key, method.requestValidatorId()).isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid Request Validator identifier specified");
        }
        if ("CUSTOM".equals(method.authorizationType())
                && (method.authorizerId() == null || RestApiStore.authorizer(reader, key, method.authorizerId()).isEmpty())) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.");
        }
    }

    private static Method withAuthorization(Method m, String type, String authorizerId) {
        return new Method(m.httpMethod(), type, authorizerId, m.apiKeyRequired(), m.requestValidatorId(), m.operationName(), m.requestParameters(),
                m.requestModels(), m.methodResponses(), m.methodIntegration(), m.authorizationScopes());
    }

    private static Method patch(Method m, Patch patch) {
        return switch (patch.first()) {
            case "authorizationType" -> withAuthorization(m, authorizationType(Patches.value(patch)), m.authorizerId());
            case "apiKeyRequired" -> new Method(m.httpMethod(), m.authorizationType(), m.authorizerId(), Patches.booleanValue(patch),
                    m.requestValidatorId(), m.operationName(), m.requestParameters(), m.requestModels(), m.methodResponses(), m.methodIntegration(),
                    m.authorizationScopes());
            case "requestValidatorId" -> new Method(m.httpMethod(), m.authorizationType(), m.authorizerId(), m.apiKeyRequired(),
                    patch.removes() || patch.value() == null || patch.value().isEmpty() ? null : patch.value(), m.operationName(),
                    m.requestParameters(), m.requestModels(), m.methodResponses(), m.methodIntegration(), m.authorizationScopes());
            case "authorizerId" -> withAuthorization(m, m.authorizationType(),
                    patch.removes() || patch.value() == null || patch.value().isEmpty() ? null : patch.value());
            case "operationName" -> new Method(m.httpMethod(), m.authorizationType(), m.authorizerId(), m.apiKeyRequired(), m.requestValidatorId(),
                    patch.removes() ? null : patch.value(), m.requestParameters(), m.requestModels(), m.methodResponses(), m.methodIntegration(),
                    m.authorizationScopes());
            case "requestParameters" -> {
                requestParameters(Map.of(patch.rest(), true));
                Map<String, Boolean> parameters = Patches.applyToMap(m.requestParameters(), patch, Boolean::parseBoolean);
                yield new Method(m.httpMethod(), m.authorizationType(), m.authorizerId(), m.apiKeyRequired(), m.requestValidatorId(),
                        m.operationName(), parameters, m.requestModels(), m.methodResponses(), m.methodIntegration(), m.authorizationScopes());
            }
            case "requestModels" -> new Method(m.httpMethod(), m.authorizationType(), m.authorizerId(), m.apiKeyRequired(), m.requestValidatorId(),
                    m.operationName(), m.requestParameters(), Patches.applyToMap(m.requestModels(), patch, v -> v), m.methodResponses(),
                    m.methodIntegration(), m.authorizationScopes());
            default -> throw Patches.invalidPath(patch, "/authorizationType", "/apiKeyRequired", "/operationName", "/requestParameters/<name>",
                    "/requestModels/<content type>", "/requestValidatorId", "/authorizerId");
        };
    }

    Empty deleteMethod(RequestContext context, MethodRequest request) {
        changeResource(context, request.restApiId(), request.resourceId(), resource -> {
            method(resource, request.httpMethod());
            Map<String, Method> methods = new LinkedHashMap<>(resource.methods());
            methods.remove(request.httpMethod());
            return resource.withMethods(methods);
        });
        return new Empty();
    }

    // Method responses

    MethodResponse putMethodResponse(RequestContext context, PutMethodResponseRequest request) {
        String status = statusCode(request.statusCode());
        Map<String, Boolean> parameters = request.responseParameters() == null || request.responseParameters().isEmpty() ? null
                : Map.copyOf(request.responseParameters());
        if (parameters != null) {
            parameters.keySet().forEach(MethodOperations::responseParameterName);
        }
        MethodResponse response = new MethodResponse(status, parameters,
                request.responseModels() == null || request.responseModels().isEmpty() ? null : Map.copyOf(request.responseModels()));
        changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            Map<String, MethodResponse> responses = new LinkedHashMap<>(method.responses());
            responses.put(status, response);
            return method.withResponses(responses);
        });
        return response;
    }

    MethodResponse getMethodResponse(RequestContext context, StatusRequest request) {
        Method method = method(find(context, request.restApiId(), request.resourceId()), request.httpMethod());
        MethodResponse response = method.responses().get(request.statusCode());
        if (response == null) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Response status code specified");
        }
        return response;
    }

    MethodResponse updateMethodResponse(RequestContext context, UpdateStatusRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        return changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            MethodResponse response = method.responses().get(request.statusCode());
            if (response == null) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Response status code specified");
            }
            for (Patch patch : patches) {
                response = switch (patch.first()) {
                    case "responseParameters" -> {
                        responseParameterName(patch.rest());
                        yield new MethodResponse(response.statusCode(), Patches.applyToMap(response.responseParameters(), patch, Boolean::parseBoolean),
                                response.responseModels());
                    }
                    case "responseModels" -> new MethodResponse(response.statusCode(), response.responseParameters(),
                            Patches.applyToMap(response.responseModels(), patch, v -> v));
                    default -> throw Patches.invalidPath(patch, "/responseParameters/<name>", "/responseModels/<content type>");
                };
            }
            Map<String, MethodResponse> responses = new LinkedHashMap<>(method.responses());
            responses.put(request.statusCode(), response);
            return method.withResponses(responses);
        }).responses().get(request.statusCode());
    }

    Empty deleteMethodResponse(RequestContext context, StatusRequest request) {
        changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            if (!method.responses().containsKey(request.statusCode())) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Response status code specified");
            }
            Map<String, MethodResponse> responses = new LinkedHashMap<>(method.responses());
            responses.remove(request.statusCode());
            return method.withResponses(responses);
        });
        return new Empty();
    }

    // Integrations

    Integration putIntegration(RequestContext context, PutIntegrationRequest request) {
        Integration integration = IntegrationRules.validate(new Integration(request.type(), request.integrationHttpMethod(), request.uri(),
                request.connectionType(), request.connectionId(), request.credentials(), copy(request.requestParameters()),
                copy(request.requestTemplates()), request.passthroughBehavior(), request.contentHandling(), request.timeoutInMillis(),
                request.cacheNamespace(), request.cacheKeyParameters() == null ? List.of() : List.copyOf(request.cacheKeyParameters()), null),
                request.tlsConfig() != null && !request.tlsConfig().isNull() && !request.tlsConfig().isEmpty());
        return changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            Integration withId = new Integration(integration.type(), integration.integrationHttpMethod(), integration.uri(),
                    integration.connectionType(), integration.connectionId(), integration.credentials(), integration.requestParameters(),
                    integration.requestTemplates(),
                    integration.passthroughBehavior() == null ? "WHEN_NO_MATCH" : integration.passthroughBehavior(),
                    integration.contentHandling(), integration.timeoutInMillis() == null ? 29_000 : integration.timeoutInMillis(),
                    request.cacheNamespace() == null ? request.resourceId() : request.cacheNamespace(),
                    integration.cacheKeyParameters(), null);
            return method.withIntegration(withId);
        }).methodIntegration();
    }

    Integration getIntegration(RequestContext context, MethodRequest request) {
        return integration(method(find(context, request.restApiId(), request.resourceId()), request.httpMethod()));
    }

    Integration updateIntegration(RequestContext context, UpdateIntegrationRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        return changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            Integration updated = integration(method);
            for (Patch patch : patches) {
                updated = IntegrationRules.patch(updated, patch);
            }
            return method.withIntegration(IntegrationRules.validate(updated, false));
        }).methodIntegration();
    }

    Empty deleteIntegration(RequestContext context, MethodRequest request) {
        changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            integration(method);
            return method.withIntegration(null);
        });
        return new Empty();
    }

    // Integration responses

    IntegrationResponse putIntegrationResponse(RequestContext context, PutIntegrationResponseRequest request) {
        String status = statusCode(request.statusCode());
        selectionPattern(request.selectionPattern());
        RestApiService.notYet("contentHandling (binary conversion)", request.contentHandling() != null);
        Map<String, String> parameters = copy(request.responseParameters());
        if (parameters != null) {
            parameters.forEach((name, value) -> {
                responseParameterName(name);
                IntegrationRules.responseParameterSource(value);
            });
        }
        IntegrationResponse response = new IntegrationResponse(status,
                request.selectionPattern() == null || request.selectionPattern().isEmpty() ? null : request.selectionPattern(),
                parameters, copy(request.responseTemplates()), null);
        changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            Integration integration = integration(method);
            if (!method.responses().containsKey(status)) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid mapping expression specified: Validation Result: warnings : [], errors : [No method response exists for method.]");
            }
            Map<String, IntegrationResponse> responses = new LinkedHashMap<>(integration.responses());
            responses.put(status, response);
            return method.withIntegration(integration.withResponses(responses));
        });
        return response;
    }

    IntegrationResponse getIntegrationResponse(RequestContext context, StatusRequest request) {
        Integration integration = integration(method(find(context, request.restApiId(), request.resourceId()), request.httpMethod()));
        IntegrationResponse response = integration.responses().get(request.statusCode());
        if (response == null) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Response status code specified");
        }
        return response;
    }

    IntegrationResponse updateIntegrationResponse(RequestContext context, UpdateStatusRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        Method updated = changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            Integration integration = integration(method);
            IntegrationResponse response = integration.responses().get(request.statusCode());
            if (response == null) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Response status code specified");
            }
            for (Patch patch : patches) {
                response = patch(response, patch);
            }
            Map<String, IntegrationResponse> responses = new LinkedHashMap<>(integration.responses());
            responses.put(request.statusCode(), response);
            return method.withIntegration(integration.withResponses(responses));
        });
        return updated.methodIntegration().responses().get(request.statusCode());
    }

    private static IntegrationResponse patch(IntegrationResponse r, Patch patch) {
        return switch (patch.first()) {
            case "selectionPattern" -> {
                String pattern = patch.removes() || patch.value() == null || patch.value().isEmpty() ? null : patch.value();
                yield new IntegrationResponse(r.statusCode(), selectionPattern(pattern), r.responseParameters(), r.responseTemplates(), r.contentHandling());
            }
            case "responseTemplates" -> new IntegrationResponse(r.statusCode(), r.selectionPattern(), r.responseParameters(),
                    Patches.applyToMap(r.responseTemplates(), patch, v -> v), r.contentHandling());
            case "responseParameters" -> {
                responseParameterName(patch.rest());
                if (!patch.removes()) {
                    IntegrationRules.responseParameterSource(Patches.value(patch));
                }
                yield new IntegrationResponse(r.statusCode(), r.selectionPattern(), Patches.applyToMap(r.responseParameters(), patch, v -> v),
                        r.responseTemplates(), r.contentHandling());
            }
            case "contentHandling" -> {
                RestApiService.notYet("contentHandling (binary conversion)", !patch.removes());
                yield r;
            }
            default -> throw Patches.invalidPath(patch, "/selectionPattern", "/responseTemplates/<content type>", "/responseParameters/<name>",
                    "/contentHandling");
        };
    }

    Empty deleteIntegrationResponse(RequestContext context, StatusRequest request) {
        changeMethod(context, request.restApiId(), request.resourceId(), request.httpMethod(), method -> {
            Integration integration = integration(method);
            if (!integration.responses().containsKey(request.statusCode())) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Response status code specified");
            }
            Map<String, IntegrationResponse> responses = new LinkedHashMap<>(integration.responses());
            responses.remove(request.statusCode());
            return method.withIntegration(integration.withResponses(responses));
        });
        return new Empty();
    }

    // Shared

    private Resource find(RequestContext context, String apiId, String resourceId) {
        ApiKey key = RestApiOperations.key(context, apiId);
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return RestApiOperations.resource(reader, key, resourceId);
    }

    private Resource changeResource(RequestContext context, String apiId, String resourceId, UnaryOperator<Resource> change) {
        ApiKey key = RestApiOperations.key(context, apiId);
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Resource updated = change.apply(RestApiOperations.resource(txn, key, resourceId));
            RestApiStore.putResource(txn, key, updated);
            return updated;
        });
    }

    private Method changeMethod(RequestContext context, String apiId, String resourceId, String httpMethod, UnaryOperator<Method> change) {
        return changeResource(context, apiId, resourceId, resource -> withMethod(resource, change.apply(method(resource, httpMethod))))
                .methods().get(httpMethod);
    }

    private static Resource withMethod(Resource resource, Method method) {
        Map<String, Method> methods = new LinkedHashMap<>(resource.methods());
        methods.put(method.httpMethod(), method);
        return resource.withMethods(methods);
    }

    static Method method(Resource resource, String httpMethod) {
        Method method = resource.methods().get(httpMethod);
        if (method == null) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Method identifier specified");
        }
        return method;
    }

    private static Integration integration(Method method) {
        if (method.methodIntegration() == null) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Integration identifier specified");
        }
        return method.methodIntegration();
    }

    private static String httpMethod(String httpMethod) {
        if (httpMethod == null || !HTTP_METHODS.contains(httpMethod)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid HttpMethod specified. Valid options are %s", String.join(",", HTTP_METHODS));
        }
        return httpMethod;
    }

    private static String authorizationType(String type) {
        if (type == null) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS");
        }
        switch (type) {
            case "NONE", "CUSTOM", "AWS_IAM" -> {
                return type;
            }
            case "COGNITO_USER_POOLS" -> throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED,
                    "authorizationType %s is not supported by Stratus yet; use NONE, AWS_IAM or CUSTOM (a Lambda authorizer).", type);
            default -> throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS");
        }
    }

    private static final Pattern REQUEST_PARAMETER = Pattern.compile("method\\.request\\.(path|querystring|header|multivaluequerystring|multivalueheader)\\.[^.]+.*");

    private static Map<String, Boolean> requestParameters(Map<String, Boolean> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return null;
        }
        for (String name : parameters.keySet()) {
            if (!REQUEST_PARAMETER.matcher(name).matches()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid method parameter specified: %s", name);
            }
        }
        return Map.copyOf(parameters);
    }

    private static void responseParameterName(String name) {
        if (!name.startsWith("method.response.header.") || name.length() == "method.response.header.".length()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: %s]", name);
        }
    }

    private static String selectionPattern(String pattern) {
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid selection pattern specified: %s", pattern);
            }
        }
        return pattern;
    }

    private static String statusCode(String statusCode) {
        if (statusCode == null || !STATUS_CODE.matcher(statusCode).matches()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid status code specified: %s", statusCode);
        }
        return statusCode;
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null || map.isEmpty() ? null : new LinkedHashMap<>(map);
    }
}
