package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * One operation of a service, declared once and served by every protocol the service speaks.
 *
 * @param name the AWS action name, e.g. {@code SendMessage}
 * @param inputType the request record
 * @param handler what runs the operation
 * @param http the REST binding (method, URI, success status); null for RPC protocols
 */
public record OperationDefinition<I, O>(String name, Class<I> inputType, OperationHandler<I, O> handler, HttpBinding http) {

    public OperationDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(inputType, "inputType is null");
        requireNonNull(handler, "handler is null");
    }

    /** Runs the handler on an input the codec decoded for this operation. */
    public Object invoke(io.stratus.core.RequestContext context, Object input) {
        return handler.handle(context, inputType.cast(input));
    }

    /**
     * Smithy's {@code @http} trait.
     *
     * @param method the HTTP method
     * @param uri the URI pattern
     * @param successCode the status of a successful response
     */
    public record HttpBinding(String method, UriTemplate uri, int successCode) {

        public HttpBinding {
            requireNonNull(method, "method is null");
            requireNonNull(uri, "uri is null");
        }
    }
}
