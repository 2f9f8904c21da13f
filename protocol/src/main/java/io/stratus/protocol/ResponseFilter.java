package io.stratus.protocol;

/**
 * Adds to a service's responses what depends on the request rather than on the operation: S3's
 * CORS headers for a request that carries {@code Origin}. Called after the response is encoded,
 * for errors too once the caller is authenticated; must be quick when it has nothing to add.
 */
@FunctionalInterface
public interface ResponseFilter {

    /**
     * @param request the request as the service saw it (a host-addressed resource already in its path)
     * @param response the response, to add headers to
     */
    void filter(HttpRequest request, HttpResponse response);
}
