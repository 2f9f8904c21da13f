package io.stratus.apigateway;

import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;

/**
 * Serves calls to the invoke URL of one kind of API (REST or HTTP): finds the stage and route or
 * resource, runs authorizers and the integration, and answers as API Gateway would. Thread-safe;
 * called on virtual threads, may block on the integration.
 */
@FunctionalInterface
public interface ApiInvoker {

    /**
     * @param location where the API lives, as the directory knows it
     * @param request the call, its path starting after the API id ({@code /prod/items/7})
     */
    HttpResponse invoke(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request);
}
