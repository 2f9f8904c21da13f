package io.stratus.server.edge;

import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.util.concurrent.CompletionStage;

/**
 * Answers one request. Called on a virtual thread per request; may block; must not throw. The
 * stage it returns is usually complete already; an operation that waits on another thread's work
 * completes it later, from that thread. It never completes exceptionally.
 */
@FunctionalInterface
public interface RequestDispatcher {
    CompletionStage<HttpResponse> dispatch(HttpRequest request);
}
