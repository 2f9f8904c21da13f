package io.stratus.server.cli;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import io.stratus.storage.StoreFormatException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus start}: serves every service on one port until stopped (SIGTERM, Ctrl-C). */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Serve every service on one port until stopped.")
final class StartCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("stratus");

    @Option(names = "--host", defaultValue = "${env:STRATUS_HOST:-127.0.0.1}",
            description = "Address to bind (env STRATUS_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:STRATUS_PORT:-4566}",
            description = "Port to bind, 0 for any free one (env STRATUS_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--hostname", defaultValue = "${env:STRATUS_HOSTNAME:-localhost}",
            description = "Host name in URLs Stratus hands out; <name>.s3.<hostname> and the like route too (env STRATUS_HOSTNAME; default ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--storage", defaultValue = "${env:STRATUS_STORAGE:-rocksdb}",
            description = "Where state lives: ${COMPLETION-CANDIDATES} (env STRATUS_STORAGE; default ${DEFAULT-VALUE}).")
    StratusConfig.Storage storage;

    @Option(names = "--data-dir", defaultValue = "${env:STRATUS_DATA_DIR:-.stratus}",
            description = "Directory of the durable store (env STRATUS_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--durability", defaultValue = "${env:STRATUS_DURABILITY:-strict}",
            description = "strict: acknowledge writes once synced to disk; relaxed: once in the log (env STRATUS_DURABILITY; default ${DEFAULT-VALUE}).")
    StratusConfig.Durability durability;

    @Option(names = "--auth", defaultValue = "${env:STRATUS_AUTH:-none}",
            description = "none: accept any credentials; sigv4: verify signatures (env STRATUS_AUTH; default ${DEFAULT-VALUE}).")
    StratusConfig.Auth auth;

    @Option(names = "--region", defaultValue = "${env:STRATUS_REGION:-us-east-1}",
            description = "Region of requests that name none (env STRATUS_REGION; default ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--max-body-size", defaultValue = "${env:STRATUS_MAX_BODY_SIZE:-5368709120}",
            description = "Largest request body in bytes (env STRATUS_MAX_BODY_SIZE; default ${DEFAULT-VALUE}).")
    long maxBodySize;

    /** For the launcher: start everything, then stop at once (it records a class-data archive this way). */
    @Option(names = "--exit-when-ready", hidden = true)
    boolean exitWhenReady;

    @Option(names = "--shutdown-grace", defaultValue = "${env:STRATUS_SHUTDOWN_GRACE:-10}",
            description = "Seconds in-flight requests may run on after a stop (env STRATUS_SHUTDOWN_GRACE; default ${DEFAULT-VALUE}).")
    int shutdownGraceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        StratusConfig config = new StratusConfig(host, port, hostname, region, storage, dataDir, durability, auth,
                maxBodySize, Duration.ofSeconds(shutdownGraceSeconds));
        StratusServer server;
        try {
            server = StratusServer.start(config);
        } catch (StoreFormatException e) {
            LOG.error("{}", e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // A port in use, a data dir another Stratus holds: one sentence, not a stack trace.
            LOG.error("Stratus could not start: {}", e.getMessage());
            LOG.debug("Start failure", e);
            return 1;
        }
        if (exitWhenReady) {
            server.close();
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping");
            server.close();
            LOG.info("Stopped");
            stopped.countDown();
        }, "stratus-shutdown"));
        long readyMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info("Stratus {} listening on {} ({} store{}), ready in {} ms", io.stratus.server.Version.get(), server.endpoint(),
                storage.name().toLowerCase(java.util.Locale.ROOT),
                storage == StratusConfig.Storage.ROCKSDB ? " in " + dataDir.toAbsolutePath().normalize() : "", readyMillis);
        try {
            server.tls();
            LOG.info("HTTPS on the same port for clients that trust {} (AWS_CA_BUNDLE for the AWS CLI and boto3)",
                    dataDir.resolve("tls").resolve("ca.pem").toAbsolutePath().normalize());
        } catch (java.util.concurrent.CompletionException e) {
            // Said when it failed.
        }
        stopped.await();
        return 0;
    }
}
