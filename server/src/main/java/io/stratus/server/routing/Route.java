package io.stratus.server.routing;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;

/** Where the router sends a request. */
public sealed interface Route {

    /**
     * To a service, read with one of its protocols.
     *
     * @param hostResource the resource the host named ({@code mybucket} of {@code mybucket.s3.localhost}),
     *     which the service sees as the path's first segment, as if addressed by path; or null
     */
    record ToService(ServiceDefinition service, Protocol protocol, String hostResource) implements Route {
        public ToService {
            requireNonNull(service, "service is null");
            requireNonNull(protocol, "protocol is null");
        }

        public ToService(ServiceDefinition service, Protocol protocol) {
            this(service, protocol, null);
        }
    }

    /**
     * To the plain-HTTP endpoint of one of a service's resources: an API's invoke URL, a function URL.
     *
     * @param label the endpoint's label, as in {@code <resource>.<label>.localhost} or {@code /_aws/<label>/<resource>}
     * @param resource the resource the host or {@code /_aws/<label>/<resource>} path named
     * @param path the rest of the path, still percent-encoded, starting with {@code /}
     */
    record ToEndpoint(ServiceDefinition service, String label, String resource, String path) implements Route {
        public ToEndpoint {
            requireNonNull(service, "service is null");
            requireNonNull(label, "label is null");
            requireNonNull(resource, "resource is null");
            requireNonNull(path, "path is null");
            if (service.endpoint(label).isEmpty()) {
                throw new IllegalArgumentException(service.name() + " has no HTTP endpoint " + label);
            }
        }
    }

    /** To Stratus's own endpoints under {@code /_stratus/}. */
    record ToPlatform(String path) implements Route {}

    /**
     * Nowhere: no service claims the request.
     *
     * @param protocol the protocol the request looks like it speaks, for the error's shape
     * @param error what the client is told
     */
    record Unroutable(Protocol protocol, AwsException error) implements Route {}
}
