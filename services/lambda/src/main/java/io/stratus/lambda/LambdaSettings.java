package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the server runs Lambda.
 *
 * @param dataDir where function code, extracted task roots and the runtimes' bootstraps live
 * @param temporary whether {@code dataDir} is this run's alone and deleted on close (memory store)
 * @param endpoint where functions reach Stratus ({@code AWS_ENDPOINT_URL}), e.g. {@code http://127.0.0.1:4566}
 * @param accountConcurrency how many invocations an account may run at once
 * @param idleTimeout how long a warm environment may wait for work before it is stopped
 * @param asyncConcurrency how many of one function's {@code Event} invocations may run at once (the
 *     rest wait in its queue)
 * @param asyncRetryDelay how long a failed {@code Event} invocation waits before its first retry;
 *     the second waits twice as long. AWS waits about 1 minute, then 2 (the default); tests
 *     shorten it. The server reads it from the system property {@value #ASYNC_RETRY_DELAY_PROPERTY}
 *     (an ISO-8601 duration such as {@code PT1S})
 * @param urlHostname the host name function URLs are handed out under, after
 *     {@code <url-id>.lambda-url.<region>.}, with {@code endpoint}'s port: the server's configured
 *     host name (default {@code localhost})
 * @param nodeModules a {@code node_modules} directory Node.js functions find modules in after their
 *     own and their layers', as AWS's Node.js runtimes find the AWS SDK for JavaScript v3 in
 *     {@code /var/runtime/node_modules}; null for none. Stratus cannot ship those modules (they come
 *     from npm); the server reads this from the system property {@value #NODE_MODULES_PROPERTY}
 */
public record LambdaSettings(Path dataDir, boolean temporary, URI endpoint, int accountConcurrency, Duration idleTimeout, int asyncConcurrency,
        Duration asyncRetryDelay, String urlHostname, Path nodeModules) {

    public static final int DEFAULT_ACCOUNT_CONCURRENCY = 1000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_ASYNC_CONCURRENCY = 4;
    public static final Duration DEFAULT_ASYNC_RETRY_DELAY = Duration.ofMinutes(1);
    /** The system property the server reads {@link #asyncRetryDelay} from. */
    public static final String ASYNC_RETRY_DELAY_PROPERTY = "stratus.lambda.asyncRetryDelay";
    /** The system property the server reads {@link #accountConcurrency} from. */
    public static final String ACCOUNT_CONCURRENCY_PROPERTY = "stratus.lambda.accountConcurrency";
    /** The system property the server reads {@link #idleTimeout} from. */
    public static final String IDLE_TIMEOUT_PROPERTY = "stratus.lambda.idleTimeout";
    /** The system property the server reads {@link #asyncConcurrency} from. */
    public static final String ASYNC_CONCURRENCY_PROPERTY = "stratus.lambda.asyncConcurrency";
    /** The system property the server reads {@link #nodeModules} from. */
    public static final String NODE_MODULES_PROPERTY = "stratus.lambda.nodeModules";
    public static final String DEFAULT_URL_HOSTNAME = "localhost";

    public LambdaSettings {
        requireNonNull(dataDir, "dataDir is null");
        // Runtimes start with their task root as working directory: every path handed to them
        // (bootstrap, LAMBDA_TASK_ROOT) must be absolute, and `--data-dir` defaults to a relative one.
        dataDir = dataDir.toAbsolutePath().normalize();
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        if (accountConcurrency < 1) {
            throw new IllegalArgumentException("accountConcurrency must be positive: " + accountConcurrency);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (asyncConcurrency < 1) {
            throw new IllegalArgumentException("asyncConcurrency must be positive: " + asyncConcurrency);
        }
        requireNonNull(asyncRetryDelay, "asyncRetryDelay is null");
        if (asyncRetryDelay.isNegative()) {
            throw new IllegalArgumentException("asyncRetryDelay must not be negative: " + asyncRetryDelay);
        }
        requireNonNull(urlHostname, "urlHostname is null");
        nodeModules = nodeModules == null ? null : nodeModules.toAbsolutePath().normalize();
    }

    /** Without a directory of runtime modules. */
    public LambdaSettings(Path dataDir, boolean temporary, URI endpoint, int accountConcurrency, Duration idleTimeout, int asyncConcurrency,
            Duration asyncRetryDelay, String urlHostname) {
        this(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, null);
    }

    /** Function URLs under {@value #DEFAULT_URL_HOSTNAME}. */
    public LambdaSettings(Path dataDir, boolean temporary, URI endpoint, int accountConcurrency, Duration idleTimeout, int asyncConcurrency,
            Duration asyncRetryDelay) {
        this(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, DEFAULT_URL_HOSTNAME);
    }

    /** With AWS's retry delay. */
    public LambdaSettings(Path dataDir, boolean temporary, URI endpoint, int accountConcurrency, Duration idleTimeout, int asyncConcurrency) {
        this(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, DEFAULT_ASYNC_RETRY_DELAY);
    }

    /** Keeps code under {@code dataDir}, durably, with the default limits. */
    public static LambdaSettings durable(Path dataDir, URI endpoint) {
        return new LambdaSettings(dataDir, false, endpoint, DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_IDLE_TIMEOUT, DEFAULT_ASYNC_CONCURRENCY);
    }

    /** Keeps code in a fresh temporary directory deleted on close, for a server whose state is in memory. */
    public static LambdaSettings temporary(URI endpoint) {
        try {
            return new LambdaSettings(Files.createTempDirectory("stratus-lambda-"), true, endpoint, DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_IDLE_TIMEOUT, DEFAULT_ASYNC_CONCURRENCY);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for function code", e);
        }
    }

    public LambdaSettings withAccountConcurrency(int accountConcurrency) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, nodeModules);
    }

    public LambdaSettings withIdleTimeout(Duration idleTimeout) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, nodeModules);
    }

    public LambdaSettings withAsyncConcurrency(int asyncConcurrency) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, nodeModules);
    }

    public LambdaSettings withAsyncRetryDelay(Duration asyncRetryDelay) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, nodeModules);
    }

    /** The server's address as clients were told it: {@code http://<urlHostname>:<endpoint's port>}. */
    URI clientEndpoint() {
        int port = endpoint.getPort();
        return URI.create("http://" + urlHostname + (port < 0 ? "" : ":" + port));
    }

    public LambdaSettings withNodeModules(Path nodeModules) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, nodeModules);
    }

    public LambdaSettings withUrlHostname(String urlHostname) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency, asyncRetryDelay, urlHostname, nodeModules);
    }

    /**
     * These settings with what the system properties change ({@value #ACCOUNT_CONCURRENCY_PROPERTY},
     * {@value #IDLE_TIMEOUT_PROPERTY}, {@value #ASYNC_CONCURRENCY_PROPERTY},
     * {@value #ASYNC_RETRY_DELAY_PROPERTY}, {@value #NODE_MODULES_PROPERTY}), for the server to apply at start.
     *
     * @throws IllegalArgumentException when a property is not a valid value
     */
    public LambdaSettings withSystemProperties() {
        LambdaSettings settings = this;
        Integer concurrency = positiveInteger(ACCOUNT_CONCURRENCY_PROPERTY);
        if (concurrency != null) {
            settings = settings.withAccountConcurrency(concurrency);
        }
        Duration idle = duration(IDLE_TIMEOUT_PROPERTY);
        if (idle != null) {
            settings = settings.withIdleTimeout(idle);
        }
        Integer asyncLanes = positiveInteger(ASYNC_CONCURRENCY_PROPERTY);
        if (asyncLanes != null) {
            settings = settings.withAsyncConcurrency(asyncLanes);
        }
        Duration delay = duration(ASYNC_RETRY_DELAY_PROPERTY);
        if (delay != null) {
            settings = settings.withAsyncRetryDelay(delay);
        }
        String modules = System.getProperty(NODE_MODULES_PROPERTY);
        if (modules != null && !modules.isBlank()) {
            Path directory = Path.of(modules.trim());
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException(NODE_MODULES_PROPERTY + " must name a directory: " + modules);
            }
            settings = settings.withNodeModules(directory);
        }
        return settings;
    }

    private static Integer positiveInteger(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException(property + " must be a positive whole number: " + value);
    }

    private static Duration duration(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration duration = Duration.parse(value.trim());
            if (duration.isPositive()) {
                return duration;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // Said below.
        }
        throw new IllegalArgumentException(property + " must be a positive ISO-8601 duration such as PT1S: " + value);
    }
}
