package io.stratus.server.edge;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;

/**
 * Encodes an error raised before any service is known (bad HTTP, oversized body, shutdown, an
 * unexpected failure), in the shape the request's clues suggest.
 */
@FunctionalInterface
public interface ErrorResponses {

    /**
     * @param request what is known of the request (its head; the body is not available), or null
     *     when not even the head could be read
     */
    HttpResponse bareError(AwsException error, HttpRequest request);
}
