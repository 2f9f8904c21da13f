package io.stratus.apigateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.protocol.HttpResponse;

/** What a route's authorizer decided about a call. */
sealed interface AuthorizerDecision {

    /**
     * The call goes on to the integration.
     *
     * @param v2 {@code requestContext.authorizer} of a format 2.0 event ({@code {"jwt": …}} or {@code {"lambda": …}})
     * @param v1 {@code requestContext.authorizer} of a format 1.0 event
     */
    record Allow(ObjectNode v2, ObjectNode v1) implements AuthorizerDecision {}

    /** The call ends here with this response. */
    record Deny(HttpResponse response) implements AuthorizerDecision {}

    static Deny unauthorized() {
        return new Deny(GatewayResponses.message(401, "Unauthorized"));
    }

    static Deny forbidden() {
        return new Deny(GatewayResponses.message(403, "Forbidden"));
    }

    static Deny internalError() {
        return new Deny(GatewayResponses.message(500, "Internal Server Error"));
    }
}
