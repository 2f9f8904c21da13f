package io.stratus.server;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Accounts;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Ids;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.RequestObserver;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.auth.SigV4Auth;
import io.stratus.protocol.codec.DecodedRequest;
import io.stratus.protocol.codec.ProtocolCodec;
import io.stratus.server.edge.BodyException;
import io.stratus.server.edge.RequestDispatcher;
import io.stratus.server.routing.Route;
import io.stratus.server.routing.Router;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path every request takes, as a short list of steps: request id → SigV4 scope → route →
 * authenticate (account, region) → decode → operation → encode, with one place that turns
 * exceptions into AWS errors, metrics, the access log and the service's {@link RequestObserver}.
 * Thread-safe; one instance serves all request threads.
 */
final class RequestPipeline implements RequestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("stratus.access");

    private final Router router;
    private final Authenticator authenticator;
    private final PlatformEndpoints platform;
    private final Metrics metrics;
    private final Clock clock;
    private final String defaultRegion;

    RequestPipeline(Router router, Authenticator authenticator, PlatformEndpoints platform, Metrics metrics, Clock clock, String defaultRegion) {
        this.router = requireNonNull(router, "router is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.platform = requireNonNull(platform, "platform is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.defaultRegion = requireNonNull(defaultRegion, "defaultRegion is null");
    }

    @Override
    public CompletionStage<HttpResponse> dispatch(HttpRequest request) {
        long start = System.nanoTime();
        Instant receivedAt = clock.instant();
        String requestId = Ids.requestId();
        Outcome outcome = new Outcome();
        Object answer;
        try {
            answer = handle(request, requestId, receivedAt, outcome);
        } catch (RuntimeException e) {
            answer = failed(request, outcome, e, requestId);
        }
        if (answer instanceof HttpResponse response) {
            return CompletableFuture.completedFuture(finish(request, outcome, response, requestId, start));
        }
        // An operation that answers later: finished on the thread that completes it.
        @SuppressWarnings("unchecked")
        CompletionStage<HttpResponse> later = (CompletionStage<HttpResponse>) answer;
        return later.handle((response, failure) -> finish(request, outcome,
                failure == null ? response : failed(request, outcome, unwrap(failure), requestId), requestId, start));
    }

    private HttpResponse failed(HttpRequest request, Outcome outcome, RuntimeException e, String requestId) {
        if (outcome.protocol == null) {
            outcome.protocol = ErrorShapes.guess(request);
        }
        AwsException error = toAwsError(e, requestId);
        outcome.errorCode = error.errorCode().code();
        HttpResponse response = error(outcome, error, requestId);
        if (outcome.serviceRequest != null && outcome.service.responseFilter().isPresent()) {
            try {
                outcome.service.responseFilter().get().filter(outcome.serviceRequest, response);
            } catch (RuntimeException filterFailure) {
                // The error answers as it is: a filter that fails here must not turn it into another.
                LOG.warn("Response filter of {} failed on the error of request {}", outcome.serviceName, requestId, filterFailure);
            }
        }
        return response;
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    /** The request id header, metrics and the access log of a response. */
    private HttpResponse finish(HttpRequest request, Outcome outcome, HttpResponse response, String requestId, long start) {
        if (!response.hasHeader("x-amzn-RequestId") && !response.hasHeader("x-amz-request-id")) {
            response.header("x-amzn-RequestId", requestId);
        }
        long nanos = System.nanoTime() - start;
        metrics.recordRequest(outcome.serviceName, outcome.operation, response.status(), nanos);
        if (outcome.context != null && outcome.service.observer().isPresent()) {
            observe(outcome.service.observer().get(), new RequestObserver.Completed(outcome.operation, request, outcome.serviceRequest,
                    outcome.context, response, outcome.errorCode, nanos));
        }
        if (ACCESS.isDebugEnabled()) {
            ACCESS.debug("{} {} {} {}.{} {} {}µs", requestId, request.method(), request.rawPath(), outcome.serviceName,
                    outcome.operation, response.status(), nanos / 1000);
        }
        return response;
    }

    private static void observe(RequestObserver observer, RequestObserver.Completed completed) {
        try {
            observer.completed(completed);
        } catch (RuntimeException e) {
            LOG.warn("Observer of {} failed on request {}", completed.operation(), completed.context().requestId(), e);
        }
    }

    /** The response, or a stage that completes with it (an operation that answers later, see {@link io.stratus.protocol.OperationHandler}). */
    private Object handle(HttpRequest request, String requestId, Instant receivedAt, Outcome outcome) {
        Authenticator.Claim claim = authenticator.claim(request);
        Route route = router.route(request, claim.scopeService());
        return switch (route) {
            case Route.ToPlatform toPlatform -> {
                outcome.serviceName = "stratus";
                outcome.operation = PlatformEndpoints.isKnown(toPlatform.path()) ? toPlatform.path() : "unknown";
                yield platform.handle(request, toPlatform.path(), requestId);
            }
            case Route.Unroutable unroutable -> {
                outcome.protocol = unroutable.protocol();
                yield error(outcome, unroutable.error(), requestId);
            }
            case Route.ToEndpoint toEndpoint -> {
                // Invoke URLs are public, as on AWS: the resource (an API's authorizers, a function
                // URL's auth type) decides who may call.
                ServiceDefinition service = toEndpoint.service();
                outcome.service = service;
                outcome.serviceName = service.name();
                outcome.operation = "endpoint";
                outcome.protocol = Protocol.REST_JSON_1;
                RequestContext context = endpointContext(request, claim, service, requestId, receivedAt);
                HttpRequest endpointRequest = request.withPath(toEndpoint.path());
                if (service.observer().isPresent()) {
                    // The observer sees the resource the endpoint serves as the path's first segment, as for the service's operations.
                    outcome.context = context;
                    outcome.serviceRequest = endpointRequest.withPathPrefix("/" + toEndpoint.resource());
                }
                yield service.endpoint(toEndpoint.label()).orElseThrow().handle(context, toEndpoint.resource(), endpointRequest);
            }
            case Route.ToService toService -> {
                ServiceDefinition service = toService.service();
                outcome.service = service;
                outcome.serviceName = service.name();
                outcome.protocol = toService.protocol();
                claim.rethrowMalformed();
                Caller caller = authenticator.authenticate(request, claim, service);
                HttpRequest decodedRequest = authenticator.decodeBody(request, claim);
                if (toService.hostResource() != null) {
                    // After SigV4, which signs the path as sent: the service sees the resource the host named as its first segment.
                    decodedRequest = decodedRequest.withPathPrefix("/" + toService.hostResource());
                }
                RequestContext context = new RequestContext(requestId, caller.principal().accountId(),
                        caller.region() != null ? caller.region() : defaultRegion, caller.accessKeyId(), caller.principal(), receivedAt,
                        connection(request), signing(claim), request.header(TRACE_HEADER).orElse(null));
                outcome.context = context;
                outcome.serviceRequest = decodedRequest;
                ProtocolCodec codec = ProtocolCodec.of(toService.protocol());
                DecodedRequest decoded = codec.decode(service, decodedRequest);
                outcome.operation = decoded.operation().name();
                RequestContext allowed = service.guard().isEmpty() ? context
                        : service.guard().get().check(decoded.operation().name(), context, decoded.input(), decodedRequest);
                Object output = decoded.operation().invoke(allowed, decoded.input());
                HttpRequest filtered = decodedRequest;
                if (output instanceof CompletionStage<?> later) {
                    yield later.thenApply(value -> encode(service, codec, decoded, value, filtered, requestId));
                }
                yield encode(service, codec, decoded, output, filtered, requestId);
            }
        };
    }

    private static HttpResponse encode(ServiceDefinition service, ProtocolCodec codec, DecodedRequest decoded, Object output, HttpRequest request,
            String requestId) {
        HttpResponse response = codec.encode(service, decoded.operation(), output, requestId);
        if (service.responseFilter().isPresent()) {
            service.responseFilter().get().filter(request, response);
        }
        return response;
    }

    /**
     * Who calls an endpoint: a signed request's caller, proven as far as {@code --auth} proves
     * callers of the AWS APIs; anyone else (unsigned, or a signature that does not hold) is
     * anonymous, with the server's default account and region and no access key.
     */
    /** The X-Ray trace header, which the AWS SDKs send from inside a Lambda function (see {@link RequestContext#traceHeader}). */
    private static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    private RequestContext endpointContext(HttpRequest request, Authenticator.Claim claim, ServiceDefinition service, String requestId,
            Instant receivedAt) {
        if (claim.auth() != null) {
            try {
                Caller caller = authenticator.authenticate(request, claim, service);
                return new RequestContext(requestId, caller.principal().accountId(), caller.region() != null ? caller.region() : defaultRegion,
                        caller.accessKeyId(), caller.principal(), receivedAt, connection(request), signing(claim));
            } catch (AwsException e) {
                LOG.debug("Endpoint request {} with a signature that does not hold: {}", requestId, e.getMessage());
            }
        }
        return new RequestContext(requestId, Accounts.DEFAULT_ACCOUNT, defaultRegion, null, Principal.root(Accounts.DEFAULT_ACCOUNT), receivedAt,
                connection(request), null);
    }

    private static RequestContext.Connection connection(HttpRequest request) {
        return RequestContext.Connection.of(request.sourceIp(), request.tlsVersion());
    }

    /** How a request with this claim was signed (SigV4 in its header or its query); null for an unsigned one. */
    private static RequestContext.Signing signing(Authenticator.Claim claim) {
        SigV4Auth auth = claim.auth();
        return auth == null ? null
                : new RequestContext.Signing(auth.presigned() ? RequestContext.Signing.Form.QUERY : RequestContext.Signing.Form.HEADER,
                        SigV4Auth.ALGORITHM, auth.requestTime());
    }

    private static AwsException toAwsError(RuntimeException e, String requestId) {
        if (e instanceof AwsException aws) {
            return aws;
        }
        if (e instanceof UncheckedIOException io && io.getCause() instanceof BodyException body) {
            return body.error();
        }
        LOG.error("Request {} failed", requestId, e);
        return new AwsException(CommonErrors.INTERNAL_FAILURE, "We encountered an internal error. Please try again.");
    }

    private static HttpResponse error(Outcome outcome, AwsException error, String requestId) {
        Protocol protocol = outcome.protocol != null ? outcome.protocol : Protocol.AWS_JSON_1_1;
        return ProtocolCodec.of(protocol).encodeError(outcome.service, error, requestId);
    }

    /**
     * What is known about a request so far, for errors and metrics. Written by the request's thread
     * only, before the operation answers; read after (on the thread that completes a later answer).
     */
    private static final class Outcome {
        ServiceDefinition service;
        Protocol protocol;
        String serviceName = "unknown";
        String operation = "unknown";
        /** Who called a service, and the request as the service saw it: known once the caller is authenticated. */
        RequestContext context;
        HttpRequest serviceRequest;
        String errorCode;
    }
}
