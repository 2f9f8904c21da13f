package io.stratus.apigateway.http;

import static io.stratus.apigateway.http.HttpApiRules.badRequest;
import static io.stratus.apigateway.http.HttpApiRules.notYet;
import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.http.HttpApiModel.AuthorizerRequest;
import io.stratus.apigateway.http.HttpApiModel.AuthorizerResponse;
import io.stratus.apigateway.http.HttpApiModel.CreateAuthorizerRequest;
import io.stratus.apigateway.http.HttpApiModel.Empty;
import io.stratus.apigateway.http.HttpApiModel.GetAuthorizersResponse;
import io.stratus.apigateway.http.HttpApiModel.ListRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateAuthorizerRequest;
import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.http.HttpApiResources.JwtConfiguration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.proxy.IntegrationUris;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The authorizer operations of the HTTP API control plane: JWT authorizers (an issuer and its
 * audiences) and Lambda authorizers ({@code REQUEST}, payload format 1.0 or 2.0). Thread-safe.
 */
final class AuthorizerOperations {

    static final String JWT = "JWT";
    static final String REQUEST = "REQUEST";
    private static final int ID_LENGTH = 6;
    private static final Pattern IDENTITY_SOURCE = Pattern.compile(
            "\\$request\\.(header|querystring)\\.[A-Za-z0-9!#$%&'*+.^_`|~-]+|\\$context\\.[A-Za-z0-9.]+|\\$stageVariables\\.[A-Za-z0-9_]+");

    private final HttpApiStore store;
    private final Clock clock;

    AuthorizerOperations(HttpApiStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    AuthorizerResponse createAuthorizer(RequestContext context, CreateAuthorizerRequest request) {
        Authorizer authorizer = check(Ids.lowerAlphanumeric(ID_LENGTH), request.name(), request.authorizerType(), request.identitySource(),
                request.jwtConfiguration(), request.authorizerUri(), request.authorizerPayloadFormatVersion(), request.enableSimpleResponses(),
                request.authorizerResultTtlInSeconds(), request.identityValidationExpression());
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER, authorizer.authorizerId(), authorizer);
            AutoDeployments.deploy(writes, context.accountId(), context.region(), request.apiId(), HttpApiRules.now(clock));
            return null;
        });
        return response(authorizer);
    }

    AuthorizerResponse getAuthorizer(RequestContext context, AuthorizerRequest request) {
        HttpApiRules.requireApi(store, context, request.apiId());
        return response(store.<Authorizer>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER,
                request.authorizerId()).orElseThrow(() -> notFound(request.authorizerId())));
    }

    GetAuthorizersResponse getAuthorizers(RequestContext context, ListRequest request) {
        HttpApiRules.Page page = HttpApiRules.page(request.maxResults(), request.nextToken());
        HttpApiRules.requireApi(store, context, request.apiId());
        List<Authorizer> authorizers = store.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER,
                page.after(), page.fetch());
        return new GetAuthorizersResponse(page.items(authorizers).stream().map(AuthorizerOperations::response).toList(),
                page.nextToken(authorizers, Authorizer::authorizerId));
    }

    AuthorizerResponse updateAuthorizer(RequestContext context, UpdateAuthorizerRequest request) {
        Authorizer authorizer = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Authorizer current = writes.<Authorizer>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER,
                    request.authorizerId()).orElseThrow(() -> notFound(request.authorizerId()));
            if (request.authorizerType() != null && !request.authorizerType().equals(current.authorizerType())) {
                throw badRequest("The authorizerType of an authorizer cannot change.");
            }
            Authorizer updated = check(current.authorizerId(),
                    request.name() != null ? request.name() : current.name(),
                    current.authorizerType(),
                    request.identitySource() != null ? request.identitySource() : current.identitySource(),
                    request.jwtConfiguration() != null ? request.jwtConfiguration() : current.jwtConfiguration(),
                    request.authorizerUri() != null ? request.authorizerUri() : current.authorizerUri(),
                    request.authorizerPayloadFormatVersion() != null ? request.authorizerPayloadFormatVersion() : current.authorizerPayloadFormatVersion(),
                    request.enableSimpleResponses() != null ? request.enableSimpleResponses() : current.enableSimpleResponses(),
                    request.authorizerResultTtlInSeconds() != null ? request.authorizerResultTtlInSeconds() : current.authorizerResultTtlInSeconds(),
                    request.identityValidationExpression());
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER, updated.authorizerId(), updated);
            AutoDeployments.deploy(writes, context.accountId(), context.region(), request.apiId(), HttpApiRules.now(clock));
            return updated;
        });
        return response(authorizer);
    }

    Empty deleteAuthorizer(RequestContext context, AuthorizerRequest request) {
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            writes.<Authorizer>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER, request.authorizerId())
                    .orElseThrow(() -> notFound(request.authorizerId()));
            List<Route> routes = writes.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE);
            for (Route route : routes) {
                if (request.authorizerId().equals(route.authorizerId())) {
                    throw HttpApiRules.conflict("Authorizer %s is used by route %s (%s); change the route's authorization first.",
                            request.authorizerId(), route.routeId(), route.routeKey());
                }
            }
            writes.deletePart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER, request.authorizerId());
            AutoDeployments.deploy(writes, context.accountId(), context.region(), request.apiId(), HttpApiRules.now(clock));
            return null;
        });
        return new Empty();
    }

    private static Authorizer check(String authorizerId, String name, String type, List<String> identitySource, JwtConfiguration jwt,
            String uri, String payloadFormatVersion, Boolean simpleResponses, Integer ttl, String identityValidationExpression) {
        HttpApiRules.checkName(name);
        HttpApiRules.required(type, "authorizerType");
        notYet("identityValidationExpression (WebSocket APIs)", identityValidationExpression != null);
        List<String> sources = identitySource == null ? List.of() : identitySource;
        for (String source : sources) {
            if (!IDENTITY_SOURCE.matcher(source).matches()) {
                throw badRequest("Invalid identity source: %s", source);
            }
        }
        int ttlSeconds = ttl == null ? 0 : ttl;
        if (ttlSeconds < 0 || ttlSeconds > 3600) {
            throw badRequest("authorizerResultTtlInSeconds must be between 0 and 3600.");
        }
        switch (type) {
            case JWT -> {
                if (sources.size() != 1 || sources.getFirst().startsWith("$context.") || sources.getFirst().startsWith("$stageVariables.")) {
                    throw badRequest("A JWT authorizer needs exactly one identity source, a header or query string parameter.");
                }
                if (jwt == null || jwt.issuer() == null || jwt.audience() == null || jwt.audience().isEmpty()) {
                    throw badRequest("A JWT authorizer needs a jwtConfiguration with an issuer and at least one audience.");
                }
                checkIssuer(jwt.issuer());
                if (uri != null || payloadFormatVersion != null || Boolean.TRUE.equals(simpleResponses) || ttlSeconds != 0) {
                    throw badRequest("authorizerUri, authorizerPayloadFormatVersion, enableSimpleResponses and authorizerResultTtlInSeconds "
                            + "are for REQUEST authorizers.");
                }
                return new Authorizer(authorizerId, name, JWT, sources, new JwtConfiguration(List.copyOf(jwt.audience()), jwt.issuer()), null, null,
                        false, 0);
            }
            case REQUEST -> {
                if (jwt != null) {
                    throw badRequest("jwtConfiguration is for JWT authorizers.");
                }
                if (IntegrationUris.functionArn(HttpApiRules.required(uri, "authorizerUri")).isEmpty()) {
                    throw badRequest("Invalid authorizerUri: %s (a Lambda function's invocation URI)", uri);
                }
                if (payloadFormatVersion == null || !(payloadFormatVersion.equals("1.0") || payloadFormatVersion.equals("2.0"))) {
                    throw badRequest("A REQUEST authorizer needs the authorizerPayloadFormatVersion 1.0 or 2.0.");
                }
                if (Boolean.TRUE.equals(simpleResponses) && !payloadFormatVersion.equals("2.0")) {
                    throw badRequest("enableSimpleResponses needs the authorizerPayloadFormatVersion 2.0.");
                }
                if (ttlSeconds > 0 && sources.isEmpty()) {
                    throw badRequest("Caching authorizer results needs at least one identity source.");
                }
                return new Authorizer(authorizerId, name, REQUEST, sources, null, uri, payloadFormatVersion, Boolean.TRUE.equals(simpleResponses),
                        ttlSeconds);
            }
            default -> throw badRequest("Invalid authorizerType: %s (JWT or REQUEST)", type);
        }
    }

    private static void checkIssuer(String issuer) {
        try {
            URI uri = new URI(issuer);
            if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
                throw badRequest("Invalid issuer: %s", issuer);
            }
        } catch (java.net.URISyntaxException e) {
            throw badRequest("Invalid issuer: %s", issuer);
        }
    }

    private static AwsException notFound(String authorizerId) {
        return HttpApiRules.notFound("Invalid Authorizer identifier specified %s", authorizerId);
    }

    static AuthorizerResponse response(Authorizer authorizer) {
        boolean request = authorizer.authorizerType().equals(REQUEST);
        return new AuthorizerResponse(authorizer.authorizerId(), authorizer.authorizerPayloadFormatVersion(),
                request ? authorizer.authorizerResultTtlInSeconds() : null, authorizer.authorizerType(), authorizer.authorizerUri(),
                request ? authorizer.enableSimpleResponses() : null, authorizer.identitySource().isEmpty() ? null : authorizer.identitySource(),
                authorizer.jwtConfiguration(), authorizer.name());
    }
}
