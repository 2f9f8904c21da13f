package io.stratus.server.edge;

import io.stratus.core.AwsException;
import java.io.IOException;

/** Why a request body could not be read to its end, as the AWS error the client gets. */
public final class BodyException extends IOException {

    private final AwsException error;

    BodyException(AwsException error) {
        super(error.getMessage());
        this.error = error;
    }

    public AwsException error() {
        return error;
    }
}
