package io.stratus.testkit;

import static java.util.Objects.requireNonNull;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A Stratus server running in this JVM, with what an AWS SDK client needs to reach it. Clients it
 * builds share one HTTP client and are closed with it. Thread-safe.
 */
public final class Stratus implements AutoCloseable {

    /** The access key and secret tests sign with; any key works unless auth is SIGV4. */
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private final SdkHttpClient httpClient = ApacheHttpClient.builder().maxConnections(128).build();
    private final List<SdkClient> clients = new ArrayList<>();
    /** The HTTP clients of {@link #httpsClient}'s clients, one each (each trusts this server only). */
    private final List<SdkHttpClient> httpsClients = new ArrayList<>();
    private final TestClock clock = new TestClock();
    private StratusConfig config;
    private StratusServer server;

    public Stratus(StratusConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.server = StratusServer.start(config, clock);
        // Restarts reuse the port clients already point at.
        this.config = config.withPort(server.port());
    }

    /** Starts a server with the given storage on a free port; for tests that manage it themselves. */
    public static Stratus start(StratusConfig.Storage storage, Path dataDir) {
        return new Stratus(StratusConfig.defaults().withPort(0).withStorage(storage, dataDir));
    }

    public synchronized URI endpoint() {
        return server.endpoint();
    }

    public synchronized int port() {
        return server.port();
    }

    public Region region() {
        return Region.of(config.region());
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    public synchronized StratusServer server() {
        return server;
    }

    /**
     * Points an SDK client builder at this server (endpoint, region, credentials, HTTP client) and
     * builds it. The client is closed when this server is.
     */
    public synchronized <B extends AwsClientBuilder<B, C>, C extends SdkClient> C client(B builder) {
        C client = configure(builder).build();
        clients.add(client);
        return client;
    }

    /** Points an SDK client builder at this server without building it, for further settings. */
    public <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        builder.endpointOverride(endpoint()).region(region()).credentialsProvider(credentials());
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(httpClient);
        }
        forcePathStyle(builder);
        return builder;
    }

    /**
     * As {@link #client(AwsClientBuilder)}, over HTTPS: {@code https://localhost:<port>}, trusting
     * only this server's certificate authority. Requests then have {@code aws:SecureTransport} true.
     * For synchronous clients ({@code S3Client.builder()}, not {@code S3AsyncClient.builder()}).
     */
    public synchronized <B extends AwsClientBuilder<B, C>, C extends SdkClient> C httpsClient(B builder) {
        if (!(builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync)) {
            throw new IllegalArgumentException("httpsClient builds synchronous clients; " + builder.getClass().getName() + " is not one");
        }
        X509Certificate authority = server.tls().authority();
        SdkHttpClient https = ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trusting(authority)).build();
        builder.endpointOverride(URI.create("https://localhost:" + port())).region(region()).credentialsProvider(credentials());
        sync.httpClient(https);
        forcePathStyle(builder);
        C client = builder.build();
        clients.add(client);
        httpsClients.add(https);
        return client;
    }

    /**
     * TLS for other clients of this server ({@code java.net.http.HttpClient}, a raw socket): trusts
     * this server's certificate authority and nothing else.
     */
    public SSLContext sslContext() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trusting(server().tls().authority()), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS to trust Stratus", e);
        }
    }

    private static TrustManager[] trusting(X509Certificate authority) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("stratus", authority);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot trust Stratus's certificate authority", e);
        }
    }

    /** Builds a client of the given SDK type, e.g. {@code client(SqsClient.class)}. */
    @SuppressWarnings("unchecked")
    public <C extends SdkClient> C client(Class<C> type) {
        try {
            Method factory = type.getMethod("builder");
            return (C) client((AwsClientBuilder) factory.invoke(null));
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException(type.getName() + " is not an AWS SDK client type", e);
        }
    }

    /**
     * Stops the server as a deployment would (in-flight requests finish, the store closes) and
     * starts it again on the same port and data directory: what was acknowledged must still be there.
     */
    public synchronized void restart() {
        server.close();
        server = StratusServer.start(config, clock);
    }

    /** The clock the server tells time by; move it to test expirations without sleeping. */
    public TestClock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        clients.forEach(SdkClient::close);
        clients.clear();
        httpsClients.forEach(SdkHttpClient::close);
        httpsClients.clear();
        httpClient.close();
        server.close();
    }

    /** S3 clients address buckets by path here: {@code <bucket>.localhost} does not resolve everywhere. */
    private static void forcePathStyle(Object builder) {
        try {
            Method method = builder.getClass().getMethod("forcePathStyle", Boolean.class);
            method.setAccessible(true);
            method.invoke(builder, Boolean.TRUE);
        } catch (NoSuchMethodException e) {
            // Not an S3 client.
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot set path-style addressing", e);
        }
    }
}
