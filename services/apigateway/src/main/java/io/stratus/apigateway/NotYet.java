package io.stratus.apigateway;

import io.stratus.core.AwsException;
import io.stratus.protocol.ServiceDefinition;
import java.util.List;

/**
 * How both API Gateway control planes answer for what Stratus does not have yet: {@code NotImplemented}
 * (501) with a message naming the operation or setting, never a success that did nothing. A 501 is
 * what the HTTP standard says for it, and what S3 itself answers for functionality it does not
 * implement; AWS SDKs and the CLI surface it with its message and, unlike 500 and 503, do not retry it.
 * API Gateway's own {@code BadRequestException} stays for input that is wrong on AWS too.
 */
public final class NotYet {

    /** An operation that is declared so a client learns what it asked for is missing, rather than an unknown-operation error. */
    public record Operation(String name, String method, String uri) {}

    /** An input with no members: what the request carried does not matter. */
    public record Unsupported() {}

    private NotYet() {}

    /** The error for {@code what} (an operation, a setting, a value): "{@code <what> is not supported by Stratus yet.}" */
    public static AwsException error(String what) {
        return AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED, "%s is not supported by Stratus yet.", what);
    }

    /** Refuses a setting that was given and that Stratus would not act on. */
    public static void setting(String what, boolean given) {
        if (given) {
            throw error(what);
        }
    }

    /** Declares {@code operations} on {@code builder}, each answering {@link #error} with its name. */
    public static ServiceDefinition.Builder operations(ServiceDefinition.Builder builder, List<Operation> operations) {
        for (Operation operation : operations) {
            builder.operation(operation.name(), operation.method(), operation.uri(), 200, Unsupported.class, (context, input) -> {
                throw error(operation.name());
            });
        }
        return builder;
    }
}
