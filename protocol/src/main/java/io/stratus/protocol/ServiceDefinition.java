package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

import io.stratus.protocol.shape.MemberNaming;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the edge needs to know to route to a service and speak its protocols: names, protocol
 * metadata and the operations. Built once at startup; immutable.
 */
public final class ServiceDefinition {

    /** The largest body a buffered (non-streaming) request may have unless a service says otherwise. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;

    private final String name;
    private final String signingName;
    private final List<Protocol> protocols;
    private final String targetPrefix;
    private final String queryVersion;
    private final String xmlNamespace;
    private final String errorNamespace;
    private final boolean queryCompatible;
    private final String pathAddressMember;
    private final boolean crc32Header;
    private final MemberNaming naming;
    private final long maxRequestBytes;
    private final Map<String, OperationDefinition<?, ?>> operations;
    /** REST operations by HTTP method, the most specific URI first (declaration order among equals). */
    private final Map<String, List<OperationDefinition<?, ?>>> byMethod;
    private final Map<String, HttpEndpoint> endpoints;
    private final ResponseFilter responseFilter;
    private final RequestObserver observer;
    private final OperationGuard guard;

    private ServiceDefinition(Builder builder) {
        this.name = builder.name;
        this.signingName = builder.signingName != null ? builder.signingName : builder.name;
        this.protocols = List.copyOf(builder.protocols);
        this.targetPrefix = builder.targetPrefix;
        this.queryVersion = builder.queryVersion;
        this.xmlNamespace = builder.xmlNamespace;
        this.errorNamespace = builder.errorNamespace;
        this.queryCompatible = builder.queryCompatible;
        this.pathAddressMember = builder.pathAddressMember;
        this.crc32Header = builder.crc32Header;
        this.naming = builder.naming;
        this.maxRequestBytes = builder.maxRequestBytes;
        Map<String, OperationDefinition<?, ?>> operations = new LinkedHashMap<>(builder.operations);
        this.operations = java.util.Collections.unmodifiableMap(operations);
        this.guard = builder.guard;
        Map<String, List<OperationDefinition<?, ?>>> byMethod = new java.util.HashMap<>();
        operations.values().stream()
                .filter(op -> op.http() != null)
                .sorted(java.util.Comparator.comparingInt((OperationDefinition<?, ?> op) -> op.http().uri().specificity()).reversed())
                .forEach(op -> byMethod.computeIfAbsent(op.http().method(), m -> new java.util.ArrayList<>()).add(op));
        byMethod.replaceAll((method, list) -> List.copyOf(list));
        this.byMethod = Map.copyOf(byMethod);
        this.endpoints = Map.copyOf(builder.endpoints);
        this.responseFilter = builder.responseFilter;
        this.observer = builder.observer;
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException(name + ": a service speaks at least one protocol");
        }
        for (Protocol protocol : protocols) {
            switch (protocol) {
                case AWS_JSON_1_0, AWS_JSON_1_1, AWS_CBOR_1_1 -> requireNonNull(targetPrefix, name + ": awsJson needs a target prefix");
                case AWS_QUERY -> {
                    requireNonNull(queryVersion, name + ": awsQuery needs a version");
                    requireNonNull(xmlNamespace, name + ": awsQuery needs an XML namespace");
                }
                case REST_JSON_1, REST_XML -> operations.values().forEach(op ->
                        requireNonNull(op.http(), name + "." + op.name() + ": REST protocols need an HTTP binding"));
            }
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The service's short name, as in metrics and the health endpoint: {@code sqs}, {@code sts}. */
    public String name() {
        return name;
    }

    /** The SigV4 signing name clients put in their credential scope. */
    public String signingName() {
        return signingName;
    }

    public List<Protocol> protocols() {
        return protocols;
    }

    public boolean speaks(Protocol protocol) {
        return protocols.contains(protocol);
    }

    /** The protocol requests without other clues are read with. */
    public Protocol primaryProtocol() {
        return protocols.getFirst();
    }

    /** The {@code X-Amz-Target} prefix of awsJson requests, e.g. {@code DynamoDB_20120810}. */
    public String targetPrefix() {
        return targetPrefix;
    }

    /** The awsQuery {@code Version} parameter, e.g. {@code 2011-06-15}. */
    public String queryVersion() {
        return queryVersion;
    }

    public String xmlNamespace() {
        return xmlNamespace;
    }

    /** The namespace some services put before the code in JSON {@code __type}, or null. */
    public String errorNamespace() {
        return errorNamespace;
    }

    /** Whether JSON errors also carry the awsQuery code ({@code x-amzn-query-error}), as SQS does. */
    public boolean queryCompatible() {
        return queryCompatible;
    }

    /**
     * The awsQuery parameter that a request sent to a path other than {@code /} takes its URL as,
     * when it does not carry it itself; null when the service is addressed at its root only.
     */
    public String pathAddressMember() {
        return pathAddressMember;
    }

    /** Whether JSON responses carry {@code x-amz-crc32}, the CRC32 of the body, as DynamoDB's do. */
    public boolean crc32Header() {
        return crc32Header;
    }

    public MemberNaming naming() {
        return naming;
    }

    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    public Optional<OperationDefinition<?, ?>> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    public Collection<OperationDefinition<?, ?>> operations() {
        return operations.values();
    }

    /** The operations with an HTTP binding of this method, the most specific URI template first; for the REST protocols. */
    public List<OperationDefinition<?, ?>> operationsWithMethod(String method) {
        return byMethod.getOrDefault(method, List.of());
    }

    /**
     * What serves plain HTTP requests addressed to one of the service's resources by host
     * ({@code <resource>.<label>.localhost}) or by {@code /_aws/<label>/<resource>/…} path (API invoke
     * URLs, function URLs), by label; empty when the service is reached only through its operations.
     */
    public Map<String, HttpEndpoint> endpoints() {
        return endpoints;
    }

    /** The endpoint serving resources addressed under {@code label}; see {@link #endpoints()}. */
    public Optional<HttpEndpoint> endpoint(String label) {
        return Optional.ofNullable(endpoints.get(label));
    }

    /** What adds request-dependent headers to the service's responses, if anything. */
    public Optional<ResponseFilter> responseFilter() {
        return Optional.ofNullable(responseFilter);
    }

    /** What checks the caller of each of the service's operations before it runs, if anything; see {@link OperationGuard}. */
    public Optional<OperationGuard> guard() {
        return Optional.ofNullable(guard);
    }

    /** What sees each of the service's requests once answered, if anything. */
    public Optional<RequestObserver> observer() {
        return Optional.ofNullable(observer);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Not thread-safe; build on one thread. */
    public static final class Builder {
        private final String name;
        private String signingName;
        private final List<Protocol> protocols = new java.util.ArrayList<>();
        private String targetPrefix;
        private String queryVersion;
        private String xmlNamespace;
        private String errorNamespace;
        private boolean queryCompatible;
        private String pathAddressMember;
        private boolean crc32Header;
        private MemberNaming naming = MemberNaming.PASCAL_CASE;
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private final Map<String, OperationDefinition<?, ?>> operations = new LinkedHashMap<>();
        private final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        private ResponseFilter responseFilter;
        private RequestObserver observer;
        private OperationGuard guard;

        private Builder(String name) {
            this.name = requireNonNull(name, "name is null");
        }

        public Builder signingName(String signingName) {
            this.signingName = requireNonNull(signingName, "signingName is null");
            return this;
        }

        /** Adds a protocol; the first one added is the primary. */
        public Builder protocol(Protocol protocol) {
            protocols.add(requireNonNull(protocol, "protocol is null"));
            return this;
        }

        public Builder targetPrefix(String targetPrefix) {
            this.targetPrefix = requireNonNull(targetPrefix, "targetPrefix is null");
            return this;
        }

        public Builder queryVersion(String queryVersion, String xmlNamespace) {
            this.queryVersion = requireNonNull(queryVersion, "queryVersion is null");
            this.xmlNamespace = requireNonNull(xmlNamespace, "xmlNamespace is null");
            return this;
        }

        public Builder xmlNamespace(String xmlNamespace) {
            this.xmlNamespace = requireNonNull(xmlNamespace, "xmlNamespace is null");
            return this;
        }

        public Builder errorNamespace(String errorNamespace) {
            this.errorNamespace = requireNonNull(errorNamespace, "errorNamespace is null");
            return this;
        }

        public Builder queryCompatible() {
            this.queryCompatible = true;
            return this;
        }

        /**
         * Lets awsQuery requests address a resource by sending to its URL instead of naming it in
         * {@code member}, as SQS's Query API has always allowed ({@code POST /<account>/<queue>}).
         */
        public Builder addressedByPath(String member) {
            this.pathAddressMember = requireNonNull(member, "member is null");
            return this;
        }

        public Builder crc32Header() {
            this.crc32Header = true;
            return this;
        }

        public Builder naming(MemberNaming naming) {
            this.naming = requireNonNull(naming, "naming is null");
            return this;
        }

        public Builder maxRequestBytes(long maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /** Declares an RPC operation (awsJson, awsQuery). */
        public <I, O> Builder operation(String name, Class<I> inputType, OperationHandler<I, O> handler) {
            return add(new OperationDefinition<>(name, inputType, handler, null));
        }

        /** Declares a REST operation with its {@code @http} binding. */
        public <I, O> Builder operation(String name, String method, String uri, int successCode, Class<I> inputType, OperationHandler<I, O> handler) {
            return add(new OperationDefinition<>(name, inputType, handler,
                    new OperationDefinition.HttpBinding(method, UriTemplate.parse(uri), successCode)));
        }

        private Builder add(OperationDefinition<?, ?> operation) {
            if (operations.putIfAbsent(operation.name(), operation) != null) {
                throw new IllegalArgumentException(name + ": operation declared twice: " + operation.name());
            }
            return this;
        }

        /** Serves the service's resources addressed under {@code label} over plain HTTP; see {@link ServiceDefinition#endpoints()}. */
        public Builder endpoint(String label, HttpEndpoint endpoint) {
            requireNonNull(label, "label is null");
            if (endpoints.putIfAbsent(label, requireNonNull(endpoint, "endpoint is null")) != null) {
                throw new IllegalArgumentException(name + ": endpoint label declared twice: " + label);
            }
            return this;
        }

        /** Adds request-dependent headers to responses; see {@link ResponseFilter}. */
        public Builder responseFilter(ResponseFilter responseFilter) {
            this.responseFilter = requireNonNull(responseFilter, "responseFilter is null");
            return this;
        }

        /** Shows every answered request to {@code observer}; see {@link RequestObserver}. */
        public Builder observer(RequestObserver observer) {
            this.observer = requireNonNull(observer, "observer is null");
            return this;
        }

        /** Checks every operation's caller before it runs; see {@link OperationGuard}. */
        public Builder guard(OperationGuard guard) {
            this.guard = requireNonNull(guard, "guard is null");
            return this;
        }

        public ServiceDefinition build() {
            return new ServiceDefinition(this);
        }
    }
}
