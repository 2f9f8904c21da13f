package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs invocations on the environment pool: synchronous ones on the caller's thread, {@code Event}
 * ones from the {@link AsyncQueue} after they are acknowledged, a few at a time per function.
 * Async events live only in memory for now: a restart loses those not yet run, and a failed one is
 * only logged, not retried (a throttled one is retried).
 *
 * <p>Thread-safe; the caller's thread blocks for the length of a synchronous invocation.
 */
final class Invoker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
    /** What Invoke's {@code X-Amz-Log-Result} carries: the end of the invocation's log. */
    static final int TAIL_BYTES = 4 * 1024;

    /** A finished synchronous invocation. */
    record Outcome(FunctionInvoker.Result result, String logTail) {}

    /** The first wait before a throttled event is retried; it doubles up to {@link #MAX_THROTTLE_BACKOFF}. */
    private static final Duration THROTTLE_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_THROTTLE_BACKOFF = Duration.ofSeconds(2);

    private final EnvironmentPool pool;
    private final ConcurrencyOperations concurrency;
    private final AsyncQueue async;

    /**
     * @param asyncConcurrency how many of a function's {@code Event} invocations may run at once
     * @param concurrency the functions' reserved concurrency
     */
    Invoker(EnvironmentPool pool, int asyncConcurrency, ConcurrencyOperations concurrency) {
        this.pool = requireNonNull(pool, "pool is null");
        this.concurrency = requireNonNull(concurrency, "concurrency is null");
        this.async = new AsyncQueue(asyncConcurrency, THROTTLE_BACKOFF, MAX_THROTTLE_BACKOFF, this::runEvent);
    }

    /**
     * Runs one invocation and waits for it.
     *
     * @param tail whether to keep the end of the invocation's log
     * @throws AwsException TooManyRequestsException when the account has no concurrency left, or
     *     the function's reserved concurrency is all in use
     */
    Outcome invoke(FunctionRecord function, String invokedArn, byte[] payload, String clientContext, boolean tail) {
        FunctionRuntime runtime = FunctionRuntime.of(function.runtime());
        // Before taking a slot: a missing interpreter is the caller's error, not a throttle.
        runtime.interpreter();
        ConcurrencyOperations.Reservations reservations = concurrency.reservations(function.accountId());
        String key = function.region() + "/" + function.name();
        try (EnvironmentPool.Slot slot = pool.reserve(function.accountId(), key, reservations.byFunction().get(key), reservations.total())) {
            ExecutionEnvironment environment;
            try {
                environment = pool.lease(function, runtime);
            } catch (ExecutionEnvironment.InvalidEntrypoint e) {
                // AWS answers this as the function's failure (200, Unhandled), not the service's.
                String requestId = UUID.randomUUID().toString();
                byte[] error = ExecutionEnvironment.errorDocument("Runtime.InvalidEntrypoint",
                        "RequestId: " + requestId + " Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
                return new Outcome(new FunctionInvoker.Result(200, error, "Unhandled"), tail ? e.getMessage() + "\n" : null);
            }
            ExecutionEnvironment.Result result;
            try {
                result = environment.invoke(UUID.randomUUID().toString(), invokedArn, payload, clientContext);
            } finally {
                pool.release(environment);
            }
            String logTail = tail ? tail(result.log()) : null;
            return new Outcome(new FunctionInvoker.Result(200, result.payload(), result.functionError()), logTail);
        }
    }

    /**
     * Queues an acknowledged {@code Event} invocation behind the function's others; it runs soon
     * after, on another thread, then {@code done} runs (also when it is dropped because Lambda
     * stops). When this throws, the invocation will not run and {@code done} is not called.
     */
    void invokeAsync(FunctionRecord function, String invokedArn, byte[] payload, Runnable done) {
        FunctionRuntime.of(function.runtime()).interpreter();
        async.enqueue(new AsyncQueue.Event(function, invokedArn, payload, done));
    }

    /** Runs a queued event; a throttle propagates, for the queue to retry it. */
    private void runEvent(AsyncQueue.Event event) {
        FunctionInvoker.Result result = invoke(event.function(), event.invokedArn(), event.payload(), null, false).result();
        if (result.failed()) {
            LOG.info("Async invocation of {} failed: {}", event.function().arn(), new String(result.payload(), StandardCharsets.UTF_8));
        }
    }

    /** The base64 of the log's last 4 KB, as AWS cuts it: by bytes. */
    private static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        byte[] end = bytes.length <= TAIL_BYTES ? bytes : Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
        return Base64.getEncoder().encodeToString(end);
    }

    @Override
    public void close() {
        async.close();
    }
}
