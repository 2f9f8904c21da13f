package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs invocations on the environment pool: synchronous ones on the caller's thread, {@code Event}
 * ones on a virtual thread of their own after they are acknowledged. Async events live only in
 * memory for now: a restart loses those not yet run, and a failed one is not retried.
 *
 * <p>Thread-safe; the caller's thread blocks for the length of a synchronous invocation.
 */
final class Invoker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
    /** What Invoke's {@code X-Amz-Log-Result} carries: the end of the invocation's log. */
    static final int TAIL_BYTES = 4 * 1024;

    /** A finished synchronous invocation. */
    record Outcome(FunctionInvoker.Result result, String logTail) {}

    private final EnvironmentPool pool;
    private final ExecutorService async = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lambda-event-", 0).factory());

    Invoker(EnvironmentPool pool) {
        this.pool = requireNonNull(pool, "pool is null");
    }

    /**
     * Runs one invocation and waits for it.
     *
     * @param tail whether to keep the end of the invocation's log
     * @throws AwsException TooManyRequestsException when the account has no concurrency left
     */
    Outcome invoke(FunctionRecord function, byte[] payload, String clientContext, boolean tail) {
        FunctionRuntime runtime = FunctionRuntime.of(function.runtime());
        // Before taking a slot: a missing interpreter is the caller's error, not a throttle.
        runtime.interpreter();
        try (EnvironmentPool.Slot slot = pool.reserve(function.accountId())) {
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
                result = environment.invoke(UUID.randomUUID().toString(), payload, clientContext);
            } finally {
                pool.release(environment);
            }
            String logTail = tail ? tail(result.log()) : null;
            return new Outcome(new FunctionInvoker.Result(200, result.payload(), result.functionError()), logTail);
        }
    }

    /**
     * Acknowledges an {@code Event} invocation and runs it soon after, on another thread, then runs
     * {@code done}. When this throws, the invocation will not run and {@code done} is not called.
     */
    void invokeAsync(FunctionRecord function, byte[] payload, Runnable done) {
        FunctionRuntime.of(function.runtime()).interpreter();
        async.execute(() -> {
            try {
                FunctionInvoker.Result result = invoke(function, payload, null, false).result();
                if (result.failed()) {
                    LOG.info("Async invocation of {} failed: {}", function.arn(), new String(result.payload(), StandardCharsets.UTF_8));
                }
            } catch (AwsException e) {
                LOG.warn("Async invocation of {} not run: {}", function.arn(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Async invocation of {} failed", function.arn(), e);
            } finally {
                done.run();
            }
        });
    }

    /** The base64 of the log's last 4 KB, as AWS cuts it: by bytes. */
    private static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        byte[] end = bytes.length <= TAIL_BYTES ? bytes : Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
        return Base64.getEncoder().encodeToString(end);
    }

    @Override
    public void close() {
        async.shutdownNow();
    }
}
