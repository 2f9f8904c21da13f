package io.stratus.server.routing;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.QueryString;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.UriTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the service a request is for, with the clues AWS clients leave, in this order: Stratus's
 * own {@code /_stratus/} paths; {@code /_aws/<label>/<resource>/…}, the path form of a host-addressed
 * resource for clients that cannot set Host; the host ({@code <bucket>.s3.…}, {@code <api>.execute-api.…},
 * {@code <id>.lambda-url.…}) whatever domain follows — before the credential scope, because a
 * browser or curl calling an API or function URL may carry a signature for another service; the SigV4 credential
 * scope's service; {@code X-Amz-Target}; the awsQuery {@code Action} and {@code Version}; the
 * path of a REST operation; and S3 as the fallback, as AWS endpoints do. Immutable after
 * construction; thread-safe.
 */
public final class Router {

    private static final String PLATFORM_PREFIX = "/_stratus/";
    private static final String RESOURCE_PATH_PREFIX = "/_aws/";

    private final List<ServiceDefinition> services;
    private final Map<String, ServiceDefinition> byTargetPrefix = new HashMap<>();
    private final Map<String, ServiceDefinition> byQueryVersion = new HashMap<>();
    private final Map<String, List<ServiceDefinition>> bySigningName = new HashMap<>();
    private final Map<String, ServiceDefinition> byHostLabel = new HashMap<>();
    private final Map<String, ServiceDefinition> byEndpointLabel = new HashMap<>();
    private final ServiceDefinition fallback;

    /**
     * @param hostLabels services whose operations are addressed by a host label, e.g. {@code s3} for
     *     {@code <bucket>.s3.localhost}; the labels of the services' {@linkplain ServiceDefinition#endpoints()
     *     endpoints} ({@code <api>.execute-api.localhost}) need not be listed
     */
    public Router(List<ServiceDefinition> services, Map<String, String> hostLabels) {
        this.services = List.copyOf(requireNonNull(services, "services is null"));
        for (ServiceDefinition service : this.services) {
            if (service.targetPrefix() != null) {
                byTargetPrefix.put(service.targetPrefix(), service);
            }
            if (service.speaks(Protocol.AWS_QUERY)) {
                byQueryVersion.put(service.queryVersion(), service);
            }
            bySigningName.computeIfAbsent(service.signingName(), k -> new ArrayList<>()).add(service);
            bySigningName.computeIfAbsent(service.name(), k -> new ArrayList<>());
            if (!bySigningName.get(service.name()).contains(service)) {
                bySigningName.get(service.name()).add(service);
            }
            service.endpoints().keySet().forEach(label -> byEndpointLabel.put(label, service));
        }
        hostLabels.forEach((label, serviceName) -> find(serviceName).ifPresent(service -> byHostLabel.put(label, service)));
        this.fallback = find("s3").orElse(null);
    }

    private Optional<ServiceDefinition> find(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Routes a request.
     *
     * @param scopeService the service named in the request's SigV4 credential scope, or null
     */
    public Route route(HttpRequest request, String scopeService) {
        if (request.rawPath().startsWith(PLATFORM_PREFIX)) {
            return new Route.ToPlatform(request.rawPath().substring(PLATFORM_PREFIX.length()));
        }

        Optional<Route> byResourcePath = routeByResourcePath(request.rawPath());
        if (byResourcePath.isPresent()) {
            return byResourcePath.get();
        }

        Optional<Route> byHost = routeByHost(request.host(), request.rawPath());
        if (byHost.isPresent()) {
            return byHost.get();
        }

        List<ServiceDefinition> candidates = scopeService == null ? services : bySigningName.getOrDefault(scopeService, List.of());

        Optional<String> target = request.header("x-amz-target");
        if (target.isPresent()) {
            int dot = target.get().lastIndexOf('.');
            ServiceDefinition service = byTargetPrefix.get(dot < 0 ? target.get() : target.get().substring(0, dot));
            if (service == null || (scopeService != null && !candidates.contains(service))) {
                return unroutable(Protocol.AWS_JSON_1_1, CommonErrors.UNKNOWN_OPERATION, "No service answers X-Amz-Target " + target.get() + ".");
            }
            if (service.speaks(Protocol.AWS_CBOR_1_1) && request.mediaType().startsWith("application/x-amz-cbor")) {
                return new Route.ToService(service, Protocol.AWS_CBOR_1_1);
            }
            return new Route.ToService(service, service.speaks(Protocol.AWS_JSON_1_0) ? Protocol.AWS_JSON_1_0 : Protocol.AWS_JSON_1_1);
        }

        QueryString query = queryParameters(request);
        if (query.contains("Action")) {
            Optional<ServiceDefinition> byVersion = query.first("Version").map(byQueryVersion::get);
            Optional<ServiceDefinition> service = candidates.stream()
                    .filter(s -> s.speaks(Protocol.AWS_QUERY))
                    .filter(s -> byVersion.isEmpty() || byVersion.get() == s || scopeService != null)
                    .findFirst();
            if (service.isPresent() && !hasRestMatch(service.get(), request)) {
                return new Route.ToService(service.get(), Protocol.AWS_QUERY);
            }
        }

        for (ServiceDefinition service : candidates) {
            if ((service.speaks(Protocol.REST_JSON_1) || service.speaks(Protocol.REST_XML)) && service != fallback && hasRestMatch(service, request)) {
                return new Route.ToService(service, service.speaks(Protocol.REST_JSON_1) ? Protocol.REST_JSON_1 : Protocol.REST_XML);
            }
        }

        if (scopeService != null && candidates.size() == 1) {
            ServiceDefinition only = candidates.getFirst();
            return new Route.ToService(only, only.primaryProtocol());
        }
        // A JSON request S3 has no operation for is a JSON service's unknown operation, not S3's.
        if (fallback != null && (scopeService == null || candidates.contains(fallback))
                && (!request.mediaType().contains("json") || hasOperation(fallback, request))) {
            return new Route.ToService(fallback, fallback.primaryProtocol());
        }
        if (query.contains("Action")) {
            return unroutable(Protocol.AWS_QUERY, CommonErrors.INVALID_ACTION, "No service answers Action " + query.first("Action").orElse("") + ".");
        }
        if (query.contains("Version") || request.mediaType().equals("application/x-www-form-urlencoded")) {
            return unroutable(Protocol.AWS_QUERY, CommonErrors.MISSING_ACTION, "Missing Action");
        }
        if (request.mediaType().contains("json")) {
            return unroutable(Protocol.REST_JSON_1, CommonErrors.UNKNOWN_OPERATION, "No service answers " + request.method() + " " + request.rawPath() + ".");
        }
        // S3 is the fallback, as on AWS's endpoints; without it, say so in S3's shape.
        return unroutable(Protocol.REST_XML, CommonErrors.NOT_IMPLEMENTED,
                "No Stratus service answers " + request.method() + " " + request.rawPath() + ", and S3 is not available.");
    }

    private static Route unroutable(Protocol protocol, CommonErrors code, String message) {
        return new Route.Unroutable(protocol, new AwsException(code, message));
    }

    /** {@code /_aws/execute-api/<api>/prod/items}: as if sent to {@code <api>.execute-api.…/prod/items}. */
    private Optional<Route> routeByResourcePath(String rawPath) {
        if (!rawPath.startsWith(RESOURCE_PATH_PREFIX)) {
            return Optional.empty();
        }
        String rest = rawPath.substring(RESOURCE_PATH_PREFIX.length());
        int labelEnd = rest.indexOf('/');
        if (labelEnd <= 0) {
            return Optional.empty();
        }
        String label = rest.substring(0, labelEnd);
        ServiceDefinition service = byEndpointLabel.get(label);
        if (service == null) {
            return Optional.empty();
        }
        int resourceEnd = rest.indexOf('/', labelEnd + 1);
        String resource = resourceEnd < 0 ? rest.substring(labelEnd + 1) : rest.substring(labelEnd + 1, resourceEnd);
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Route.ToEndpoint(service, label, resource, resourceEnd < 0 ? "/" : rest.substring(resourceEnd)));
    }

    private Optional<Route> routeByHost(String host, String rawPath) {
        if (host.isEmpty() || byHostLabel.isEmpty() && byEndpointLabel.isEmpty()) {
            return Optional.empty();
        }
        String[] labels = host.split("\\.");
        // <name>.<service>.<anything>: a bucket (which may itself contain dots), an API id, a
        // function URL id. The first label is always the name, never the service.
        for (int i = 1; i < labels.length; i++) {
            String resource = String.join(".", java.util.Arrays.copyOfRange(labels, 0, i));
            ServiceDefinition endpointService = byEndpointLabel.get(labels[i]);
            if (endpointService != null) {
                return Optional.of(new Route.ToEndpoint(endpointService, labels[i], resource, rawPath.isEmpty() ? "/" : rawPath));
            }
            ServiceDefinition service = byHostLabel.get(labels[i]);
            if (service != null) {
                return Optional.of(new Route.ToService(service, service.primaryProtocol(), resource));
            }
        }
        return Optional.empty();
    }

    private static boolean hasRestMatch(ServiceDefinition service, HttpRequest request) {
        if (!service.speaks(Protocol.REST_JSON_1) && !service.speaks(Protocol.REST_XML)) {
            return false;
        }
        for (var operation : service.operations()) {
            UriTemplate uri = operation.http().uri();
            if (uri.match(request.rawPath(), request.query()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the service's operations matches the request's method, path and query. */
    private static boolean hasOperation(ServiceDefinition service, HttpRequest request) {
        return service.operations().stream().anyMatch(operation -> operation.http().method().equals(request.method())
                && operation.http().uri().match(request.rawPath(), request.query()).isPresent());
    }

    /** The query string plus, for a form POST, the form body: where awsQuery puts Action. */
    private static QueryString queryParameters(HttpRequest request) {
        if (request.method().equals("POST") && request.mediaType().equals("application/x-www-form-urlencoded")) {
            String body = new String(request.bodyBytes(ServiceDefinition.DEFAULT_MAX_REQUEST_BYTES), StandardCharsets.UTF_8);
            String combined = request.rawQuery().isEmpty() ? body : request.rawQuery() + "&" + body;
            return QueryString.parse(combined);
        }
        return request.query();
    }
}
