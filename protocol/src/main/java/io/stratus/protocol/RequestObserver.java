package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;

/**
 * Sees every request a service answered once its response is made, errors included: what S3's
 * server access logs record. Called on the thread that finished the request; must be quick (hand
 * slow work to a thread of its own) and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {

    void completed(Completed request);

    /**
     * A request and its answer.
     *
     * @param operation the operation's name, {@code endpoint} for a request to one of the service's
     *     {@link HttpEndpoint}s, or {@code unknown} when the request matched none
     * @param sent the request as the client sent it (its path, query and {@code Host})
     * @param request the request as the service saw it (a host-addressed resource, or the resource an
     *     endpoint serves, as its path's first segment)
     * @param context who called, with the request id, arrival time, connection and signing
     * @param response the response (its body may still be streaming)
     * @param errorCode the AWS error code of an error response, else null
     * @param nanos from the request's arrival until its response was made
     */
    record Completed(String operation, HttpRequest sent, HttpRequest request, RequestContext context, HttpResponse response,
            String errorCode, long nanos) {

        public Completed {
            requireNonNull(operation, "operation is null");
            requireNonNull(sent, "sent is null");
            requireNonNull(request, "request is null");
            requireNonNull(context, "context is null");
            requireNonNull(response, "response is null");
        }
    }
}
