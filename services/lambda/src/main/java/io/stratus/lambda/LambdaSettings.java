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
 */
public record LambdaSettings(Path dataDir, boolean temporary, URI endpoint, int accountConcurrency, Duration idleTimeout, int asyncConcurrency) {

    public static final int DEFAULT_ACCOUNT_CONCURRENCY = 1000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_ASYNC_CONCURRENCY = 4;

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
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency);
    }

    public LambdaSettings withIdleTimeout(Duration idleTimeout) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency);
    }

    public LambdaSettings withAsyncConcurrency(int asyncConcurrency) {
        return new LambdaSettings(dataDir, temporary, endpoint, accountConcurrency, idleTimeout, asyncConcurrency);
    }
}
