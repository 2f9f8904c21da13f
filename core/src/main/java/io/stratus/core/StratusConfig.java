package io.stratus.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's configuration, as given on the command line or in {@code STRATUS_*} variables.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param hostname the host name used in URLs Stratus hands out (queue URLs, invoke URLs)
 * @param region the region of requests that do not name one
 * @param storage which store keeps the state
 * @param dataDir where the durable store keeps its files
 * @param durability whether an acknowledged write is synced to disk first
 * @param auth whether SigV4 signatures are verified
 * @param maxBodyBytes the largest request body the edge accepts
 * @param shutdownGrace how long in-flight requests may run on after a stop is asked for
 */
public record StratusConfig(
        String host,
        int port,
        String hostname,
        String region,
        Storage storage,
        Path dataDir,
        Durability durability,
        Auth auth,
        long maxBodyBytes,
        Duration shutdownGrace) {

    public static final int DEFAULT_PORT = 4566;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final long DEFAULT_MAX_BODY_BYTES = 5L * 1024 * 1024 * 1024;

    public StratusConfig {
        requireNonNull(host, "host is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(region, "region is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(durability, "durability is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    /** The defaults of {@code stratus start}. */
    public static StratusConfig defaults() {
        return new StratusConfig("127.0.0.1", DEFAULT_PORT, "localhost", DEFAULT_REGION, Storage.ROCKSDB,
                Path.of(".stratus"), Durability.STRICT, Auth.NONE, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10));
    }

    public StratusConfig withPort(int port) {
        return new StratusConfig(host, port, hostname, region, storage, dataDir, durability, auth, maxBodyBytes, shutdownGrace);
    }

    public StratusConfig withStorage(Storage storage, Path dataDir) {
        return new StratusConfig(host, port, hostname, region, storage, dataDir, durability, auth, maxBodyBytes, shutdownGrace);
    }

    public StratusConfig withAuth(Auth auth) {
        return new StratusConfig(host, port, hostname, region, storage, dataDir, durability, auth, maxBodyBytes, shutdownGrace);
    }

    public StratusConfig withMaxBodyBytes(long maxBodyBytes) {
        return new StratusConfig(host, port, hostname, region, storage, dataDir, durability, auth, maxBodyBytes, shutdownGrace);
    }

    public enum Storage { ROCKSDB, MEMORY }

    public enum Durability { STRICT, RELAXED }

    public enum Auth { NONE, SIGV4 }
}
