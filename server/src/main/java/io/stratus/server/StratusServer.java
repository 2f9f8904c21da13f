package io.stratus.server;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGateway;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.StratusConfig;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.ChangeFeeds;
import io.stratus.core.spi.ObjectSource;
import io.stratus.dynamodb.DynamoDbService;
import io.stratus.events.EventsService;
import io.stratus.kinesis.KinesisService;
import io.stratus.lambda.LambdaService;
import io.stratus.lambda.LambdaSettings;
import io.stratus.logs.LogsService;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.protocol.codec.ProtocolCodec;
import io.stratus.s3.S3Service;
import io.stratus.sns.SnsService;
import io.stratus.server.edge.Edge;
import io.stratus.server.edge.RequestDispatcher;
import io.stratus.server.edge.TlsIdentity;
import io.stratus.server.routing.Router;
import io.stratus.sqs.SqsService;
import io.stratus.storage.Store;
import io.stratus.storage.Stores;
import io.stratus.sts.StsService;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stratus in one object: the store, every service, the router and the edge. The only class that
 * knows all services. Start it with {@link #start(StratusConfig)}, stop it with {@link #close()};
 * both are thread-safe and closing twice is harmless.
 */
public final class StratusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StratusServer.class);

    /** Services addressed by a host label: {@code <bucket>.s3.…}, {@code <api>.execute-api.…}. */
    private static final Map<String, String> HOST_LABELS = Map.of("s3", "s3");

    private final StratusConfig config;
    private final Store store;
    private final List<StratusService> services;
    private final Metrics metrics;
    private final Edge edge;
    private final CompletableFuture<TlsIdentity> tls;
    private boolean closed;

    private StratusServer(StratusConfig config, Store store, List<StratusService> services, Metrics metrics, Edge edge,
            CompletableFuture<TlsIdentity> tls) {
        this.config = config;
        this.store = store;
        this.services = List.copyOf(services);
        this.metrics = metrics;
        this.edge = edge;
        this.tls = tls;
    }

    /** Starts with the system clock; see {@link #start(StratusConfig, Clock)}. */
    public static StratusServer start(StratusConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Opens the store, starts every service and binds the port; every service tells time by
     * {@code clock} (tests move it instead of sleeping). The store opens (RocksDB loads its
     * native library and replays its log) on another thread while the edge binds; requests that
     * arrive meanwhile wait until everything is ready.
     */
    public static StratusServer start(StratusConfig config, Clock clock) {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        CompletableFuture<Store> opening = new CompletableFuture<>();
        Thread.ofPlatform().name("stratus-store-open").start(() -> {
            try {
                opening.complete(Stores.open(config.storage(), config.dataDir(), config.durability()));
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        });
        Metrics metrics = new Metrics();
        CompletableFuture<RequestDispatcher> ready = new CompletableFuture<>();
        // Made once the server is up (the JDK's TLS takes a few hundred milliseconds to set up): a TLS connection before then waits.
        CompletableFuture<TlsIdentity> tls = new CompletableFuture<>();
        Edge edge;
        try {
            edge = Edge.start(config.host(), config.port(), config.maxBodyBytes(), tls, request -> ready.join().dispatch(request),
                    StratusServer::bareError);
        } catch (InterruptedException | RuntimeException e) {
            metrics.close();
            opening.thenAccept(Store::close);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        Store store = null;
        List<StratusService> services = new ArrayList<>();
        try {
            store = join(opening);
            StsService sts = new StsService(store, clock);
            services.add(sts);
            Authenticator authenticator = new Authenticator(config.auth(), sts, clock);
            // Queue URLs name the host clients were told to use and the port actually bound.
            SqsService sqs = new SqsService(store, clock, URI.create("http://" + config.hostname() + ":" + edge.port()));
            services.add(sqs);
            DynamoDbService dynamodb = new DynamoDbService(store, clock);
            services.add(dynamodb);
            services.add(dynamodb.streams());
            KinesisService kinesis = new KinesisService(store, clock);
            services.add(kinesis);
            ChangeFeed streams = new ChangeFeeds(Map.of("dynamodb", dynamodb.changeFeed(), "kinesis", kinesis.changeFeed()));
            // Services deliver to each other through these targets (Lambda, SNS and EventBridge
            // both deliver and receive), connected once all exist, before any service starts.
            ServiceTargets targets = new ServiceTargets();
            LogsService logs = new LogsService(store, targets, clock);
            services.add(logs);
            // Functions call back on loopback when the edge listens on every interface.
            String functionsHost = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
            URI functionsEndpoint = URI.create("http://" + (functionsHost.contains(":") ? "[" + functionsHost + "]" : functionsHost) + ":" + edge.port());
            LambdaSettings lambdaSettings = (config.storage() == StratusConfig.Storage.MEMORY
                    ? LambdaSettings.temporary(functionsEndpoint)
                    : LambdaSettings.durable(config.dataDir().resolve("lambda"), functionsEndpoint)).withSystemProperties()
                    // Function URLs, like queue URLs, name the host clients were told to use.
                    .withUrlHostname(config.hostname());
            // Lambda reads function code from S3, and S3 notifies Lambda: Lambda is built first and
            // reads objects through this, which points at S3 as soon as S3 exists (before any request).
            java.util.concurrent.atomic.AtomicReference<ObjectSource> s3Objects = new java.util.concurrent.atomic.AtomicReference<>();
            ObjectSource objects = (account, bucket, key, version) -> s3Objects.get().open(account, bucket, key, version);
            LambdaService lambda = new LambdaService(store, clock, lambdaSettings, sqs.queues(), streams,
                    targets, logs.logs(), objects, sts);
            services.add(lambda);
            S3Service s3 = config.storage() == StratusConfig.Storage.MEMORY
                    ? S3Service.temporary(store, clock, targets, authenticator::authenticatePost)
                    : new S3Service(store, clock, config.dataDir().resolve("s3"), false, targets, authenticator::authenticatePost);
            s3Objects.set(s3.objects());
            SnsService sns = new SnsService(store, clock, URI.create("http://" + config.hostname() + ":" + edge.port()), targets,
                    SnsService.retryUnitFromSystemProperties());
            EventsService events = new EventsService(store, clock, targets, EventsService.retryDelayFromSystemProperties());
            targets.connect(new ServiceTargets.Receivers(sqs.queues(), lambda.functions(), sns.topics(), events.buses(), s3.buckets(),
                    kinesis.streams()));
            services.add(s3);
            services.add(sns);
            services.add(events);
            services.addAll(new ApiGateway(store, clock, lambda.functions()).services());

            for (StratusService service : services) {
                service.start();
                ServiceDefinition definition = service.definition();
                LOG.info("{} ready ({} operations, {})", definition.name(), definition.operations().size(),
                        definition.protocols().stream().map(StratusServer::protocolName).collect(Collectors.joining(", ")));
            }
            List<ServiceDefinition> definitions = services.stream().map(StratusService::definition).toList();
            Router router = new Router(definitions, HOST_LABELS);
            PlatformEndpoints platform = new PlatformEndpoints(Version.get(), store.info().engine(),
                    () -> definitions.stream().map(d -> new PlatformEndpoints.ServiceState(d.name(), "running")).toList(), metrics);
            ready.complete(new RequestPipeline(router, authenticator, platform, metrics, clock, config.region()));
            Thread.ofPlatform().daemon().name("stratus-tls").start(() -> {
                try {
                    tls.complete(TlsIdentity.open(config.dataDir().resolve("tls"), config.hostname()));
                } catch (RuntimeException e) {
                    LOG.warn("HTTPS is not available: {}", e.getMessage());
                    tls.completeExceptionally(e);
                }
            });
            return new StratusServer(config, store, services, metrics, edge, tls);
        } catch (RuntimeException e) {
            ready.complete(request -> CompletableFuture.completedFuture(
                    bareError(new AwsException(io.stratus.core.CommonErrors.SERVICE_UNAVAILABLE, "Stratus failed to start."), request)));
            edge.close();
            closeAll(services, store, metrics);
            throw e;
        }
    }

    private static Store join(CompletableFuture<Store> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static io.stratus.protocol.HttpResponse bareError(AwsException error, io.stratus.protocol.HttpRequest request) {
        return ProtocolCodec.of(ErrorShapes.guess(request)).encodeError(null, error, Ids.requestId());
    }

    private static String protocolName(Protocol protocol) {
        return switch (protocol) {
            case AWS_JSON_1_0 -> "awsJson1_0";
            case AWS_JSON_1_1 -> "awsJson1_1";
            case AWS_CBOR_1_1 -> "awsJson1_1 in CBOR";
            case AWS_QUERY -> "awsQuery";
            case REST_JSON_1 -> "restJson1";
            case REST_XML -> "restXml";
        };
    }

    /** The port the edge listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return edge.port();
    }

    /** Where clients reach this server, e.g. {@code http://127.0.0.1:4566}. */
    public URI endpoint() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /**
     * What HTTPS on this server's port answers with, once made (shortly after start): clients that
     * trust its {@link TlsIdentity#authority()} ({@code tls/ca.pem} in the data directory) reach it
     * at {@code https://localhost:<port>}.
     */
    public TlsIdentity tls() {
        return tls.join();
    }

    public StratusConfig config() {
        return config;
    }

    /**
     * Stops accepting, lets in-flight requests finish (up to the configured grace), stops the
     * services, then flushes and closes the store.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        edge.stop(config.shutdownGrace());
        closeAll(services, store, metrics);
        awaitTls();
    }

    /**
     * Lets the thread making the TLS identity finish: a JVM that exits while it loads classes can
     * crash writing its class-data archive (seen with {@code -XX:+AutoCreateSharedArchive}, when
     * {@code stratus start --exit-when-ready} exited a moment after start).
     */
    private void awaitTls() {
        try {
            tls.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Said when it failed; a slow one is left to the JVM.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<StratusService> services, Store store, Metrics metrics) {
        if (store == null) {
            metrics.close();
            return;
        }
        for (StratusService service : services.reversed()) {
            try {
                service.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing {} failed", service.definition().name(), e);
            }
        }
        try {
            store.close();
        } finally {
            metrics.close();
        }
    }
}
