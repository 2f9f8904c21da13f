package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.Authorizer;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiRequests.AuthorizerRequest;
import io.stratus.apigateway.rest.RestApiRequests.Authorizers;
import io.stratus.apigateway.rest.RestApiRequests.CreateAuthorizerRequest;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.GetAuthorizersRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateAuthorizerRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Lambda authorizers of a REST API ({@code TOKEN} and {@code REQUEST}); what they decide at invoke
 * time is {@link LambdaAuthorizers}. Cognito user pool authorizers are not supported yet.
 * Thread-safe.
 */
final class AuthorizerOperations {

    static final int DEFAULT_TTL_SECONDS = 300;
    private static final Pattern IDENTITY_SOURCE = Pattern.compile(
            "method\\.request\\.(header|querystring|multivalueheader|multivaluequerystring)\\.[^.,\\s]+|stageVariables\\.[^.,\\s]+|context\\.[^,\\s]+");

    private final RestApiStore store;

    AuthorizerOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    Authorizer createAuthorizer(RequestContext context, CreateAuthorizerRequest request) {
        if (request.name() == null || request.name().isBlank()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Authorizer name must be non-empty");
        }
        Authorizer authorizer = validate(new Authorizer(Ids.lowerAlphanumeric(6), request.name(), request.type(),
                request.providerARNs() == null || request.providerARNs().isEmpty() ? null : List.copyOf(request.providerARNs()),
                request.authType(), request.authorizerUri(), request.authorizerCredentials(), request.identitySource(),
                request.identityValidationExpression(),
                request.authorizerResultTtlInSeconds() == null ? DEFAULT_TTL_SECONDS : request.authorizerResultTtlInSeconds()));
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            RestApiStore.putAuthorizer(txn, key, authorizer);
            return authorizer;
        });
    }

    private static Authorizer validate(Authorizer authorizer) {
        String type = authorizer.type();
        if (type == null || !List.of("TOKEN", "REQUEST", "COGNITO_USER_POOLS").contains(type)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                    "1 validation error detected: Value '%s' at 'createAuthorizerInput.type' failed to satisfy constraint: Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]",
                    type);
        }
        RestApiService.notYet("COGNITO_USER_POOLS authorizers", type.equals("COGNITO_USER_POOLS"));
        if (authorizer.authorizerUri() == null || IntegrationRules.functionArn(authorizer.authorizerUri()) == null) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid Authorizer URI: %s. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.",
                    authorizer.authorizerUri());
        }
        String source = authorizer.identitySource();
        if (type.equals("TOKEN")) {
            if (source == null || !source.startsWith("method.request.header.") || source.contains(",")) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                        "Invalid identity source specified: %s. A TOKEN authorizer takes one method.request.header.<name>.", source);
            }
        } else if (source != null && !source.isBlank()) {
            for (String part : source.split(",")) {
                if (!IDENTITY_SOURCE.matcher(part.trim()).matches()) {
                    throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid identity source specified: %s", part.trim());
                }
            }
        }
        if (authorizer.identityValidationExpression() != null) {
            try {
                Pattern.compile(authorizer.identityValidationExpression());
            } catch (PatternSyntaxException e) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid identity validation expression specified: %s",
                        authorizer.identityValidationExpression());
            }
        }
        Integer ttl = authorizer.authorizerResultTtlInSeconds();
        if (ttl != null && (ttl < 0 || ttl > 3600)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Authorizer result TTL must be between 0 and 3600 seconds");
        }
        return authorizer;
    }

    Authorizer getAuthorizer(RequestContext context, AuthorizerRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return authorizer(reader, key, request.authorizerId());
    }

    Authorizers getAuthorizers(RequestContext context, GetAuthorizersRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        List<Authorizer> all = RestApiStore.authorizers(reader, key).stream().sorted(Comparator.comparing(Authorizer::id)).toList();
        Pages.Page<Authorizer> page = Pages.of(all, Authorizer::id, request.position(), request.limit());
        return new Authorizers(page.position(), page.items());
    }

    Authorizer updateAuthorizer(RequestContext context, UpdateAuthorizerRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Authorizer a = authorizer(txn, key, request.authorizerId());
            for (Patch patch : patches) {
                String value = patch.removes() ? null : patch.value();
                a = switch (patch.first()) {
                    case "name" -> new Authorizer(a.id(), Patches.value(patch), a.type(), a.providerARNs(), a.authType(), a.authorizerUri(),
                            a.authorizerCredentials(), a.identitySource(), a.identityValidationExpression(), a.authorizerResultTtlInSeconds());
                    case "type" -> new Authorizer(a.id(), a.name(), Patches.value(patch), a.providerARNs(), a.authType(), a.authorizerUri(),
                            a.authorizerCredentials(), a.identitySource(), a.identityValidationExpression(), a.authorizerResultTtlInSeconds());
                    case "authorizerUri" -> new Authorizer(a.id(), a.name(), a.type(), a.providerARNs(), a.authType(), value,
                            a.authorizerCredentials(), a.identitySource(), a.identityValidationExpression(), a.authorizerResultTtlInSeconds());
                    case "authorizerCredentials" -> new Authorizer(a.id(), a.name(), a.type(), a.providerARNs(), a.authType(), a.authorizerUri(),
                            value, a.identitySource(), a.identityValidationExpression(), a.authorizerResultTtlInSeconds());
                    case "identitySource" -> new Authorizer(a.id(), a.name(), a.type(), a.providerARNs(), a.authType(), a.authorizerUri(),
                            a.authorizerCredentials(), value, a.identityValidationExpression(), a.authorizerResultTtlInSeconds());
                    case "identityValidationExpression" -> new Authorizer(a.id(), a.name(), a.type(), a.providerARNs(), a.authType(),
                            a.authorizerUri(), a.authorizerCredentials(), a.identitySource(), value, a.authorizerResultTtlInSeconds());
                    case "authorizerResultTtlInSeconds" -> new Authorizer(a.id(), a.name(), a.type(), a.providerARNs(), a.authType(),
                            a.authorizerUri(), a.authorizerCredentials(), a.identitySource(), a.identityValidationExpression(), ttl(patch));
                    default -> throw Patches.invalidPath(patch, "/name", "/type", "/authorizerUri", "/authorizerCredentials", "/identitySource",
                            "/identityValidationExpression", "/authorizerResultTtlInSeconds");
                };
            }
            Authorizer updated = validate(a);
            RestApiStore.putAuthorizer(txn, key, updated);
            return updated;
        });
    }

    private static int ttl(Patch patch) {
        try {
            return Integer.parseInt(Patches.value(patch));
        } catch (NumberFormatException e) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid authorizer result TTL: %s", patch.value());
        }
    }

    Empty deleteAuthorizer(RequestContext context, AuthorizerRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            authorizer(txn, key, request.authorizerId());
            for (Resource resource : RestApiStore.resources(txn, key)) {
                for (Method method : resource.methods().values()) {
                    if (request.authorizerId().equals(method.authorizerId())) {
                        throw AwsException.of(ApiGatewayErrors.CONFLICT, "Cannot delete authorizer '%s', is referenced in method: %s %s",
                                request.authorizerId(), method.httpMethod(), resource.path());
                    }
                }
            }
            RestApiStore.deleteAuthorizer(txn, key, request.authorizerId());
            return null;
        });
        return new Empty();
    }

    static Authorizer authorizer(StoreReader reader, ApiKey key, String authorizerId) {
        return RestApiStore.authorizer(reader, key, authorizerId == null ? "" : authorizerId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Authorizer identifier specified"));
    }
}
