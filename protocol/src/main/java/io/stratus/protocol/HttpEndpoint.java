package io.stratus.protocol;

import io.stratus.core.RequestContext;

/**
 * Serves plain HTTP requests addressed to a resource of a service rather than to one of its AWS
 * operations: an API's invoke URL ({@code <api>.execute-api.localhost/prod/items}), a function URL.
 * The request names no operation and is not read by a protocol codec; the endpoint answers with
 * whatever status, headers and body the resource produces.
 *
 * <p>Called on a virtual thread, one call per request; may block.
 */
@FunctionalInterface
public interface HttpEndpoint {

    /**
     * @param context the request's id and time; its account and region are the caller's when the
     *     request is signed, else the server's defaults — the resource decides where it lives
     * @param resource the resource the host or path named, e.g. the API id
     * @param request the request with the resource taken out of its path, which starts with {@code /}
     */
    HttpResponse handle(RequestContext context, String resource, HttpRequest request);
}
