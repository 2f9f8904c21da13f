package io.stratus.server.edge;

import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;

/** Answers one request. Called on a virtual thread per request; may block; must not throw. */
@FunctionalInterface
public interface RequestDispatcher {
    HttpResponse dispatch(HttpRequest request);
}
