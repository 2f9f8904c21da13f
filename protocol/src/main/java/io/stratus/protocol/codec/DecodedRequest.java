package io.stratus.protocol.codec;

import static java.util.Objects.requireNonNull;

import io.stratus.protocol.OperationDefinition;

/** The operation a request asks for, with its decoded input record. */
public record DecodedRequest(OperationDefinition<?, ?> operation, Object input) {

    public DecodedRequest {
        requireNonNull(operation, "operation is null");
        requireNonNull(input, "input is null");
    }
}
