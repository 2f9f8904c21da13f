package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Runs invocations on the environment pool, on the caller's thread: synchronous ones for Invoke
 * and other services, and each attempt of an {@code Event} invocation for {@link AsyncInvocations}.
 *
 * <p>Thread-safe; the caller's thread blocks for the length of the invocation.
 */
final class Invoker {
    /** What Invoke's {@code X-Amz-Log-Result} carries: the end of the invocation's log. */
    static final int TAIL_BYTES = 4 * 1024;

    /** A finished synchronous invocation. */
    record Outcome(FunctionInvoker.Result result, String logTail) {}

    private final EnvironmentPool pool;
    private final ConcurrencyOperations concurrency;

    /** @param concurrency the functions' reserved concurrency */
    Invoker(EnvironmentPool pool, ConcurrencyOperations concurrency) {
        this.pool = requireNonNull(pool, "pool is null");
        this.concurrency = requireNonNull(concurrency, "concurrency is null");
    }

    /**
     * Runs one invocation and waits for it.
     *
     * @param tail whether to keep the end of the invocation's log
     * @throws AwsException TooManyRequestsException when the account has no concurrency left, or
     *     the function's reserved concurrency is all in use
     */
    Outcome invoke(FunctionRecord function, String invokedArn, byte[] payload, String clientContext, boolean tail) {
        return invoke(function, invokedArn, payload, clientContext, tail, UUID.randomUUID().toString());
    }

    /** Like {@link #invoke(FunctionRecord, String, byte[], String, boolean)}, with the request id the function sees. */
    Outcome invoke(FunctionRecord function, String invokedArn, byte[] payload, String clientContext, boolean tail, String requestId) {
        FunctionRuntime runtime = FunctionRuntime.of(function.runtime());
        // Before taking a slot: a missing interpreter is the caller's error, not a throttle.
        runtime.interpreter();
        ConcurrencyOperations.Reservations reservations = concurrency.reservations(function.accountId());
        String key = function.region() + "/" + function.name();
        Integer reserved = reservations.byFunction().get(key);
        // Provisioned concurrency first: set aside from the account's unreserved pool beforehand (or
        // part of the function's reservation, which still counts it).
        ExecutionEnvironment provisioned = function.latest() ? null : pool.leaseProvisioned(function);
        EnvironmentPool.Slot taken;
        try {
            taken = provisioned != null && reserved == null ? EnvironmentPool.Slot.NONE
                    : pool.reserve(function.accountId(), key, reserved, reservations.withheld());
        } catch (RuntimeException e) {
            if (provisioned != null) {
                pool.release(provisioned);
            }
            throw e;
        }
        try (EnvironmentPool.Slot slot = taken) {
            ExecutionEnvironment environment = provisioned;
            try {
                if (environment == null) {
                    environment = pool.lease(function, runtime);
                }
            } catch (ExecutionEnvironment.InvalidEntrypoint e) {
                // AWS answers this as the function's failure (200, Unhandled), not the service's.
                byte[] error = ExecutionEnvironment.errorDocument("Runtime.InvalidEntrypoint",
                        "RequestId: " + requestId + " Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
                return new Outcome(new FunctionInvoker.Result(200, error, "Unhandled"), tail ? e.getMessage() + "\n" : null);
            }
            ExecutionEnvironment.Result result;
            try {
                result = environment.invoke(requestId, invokedArn, payload, clientContext);
            } finally {
                pool.release(environment);
            }
            String logTail = tail ? tail(result.log()) : null;
            return new Outcome(new FunctionInvoker.Result(200, result.payload(), result.functionError()), logTail);
        }
    }

    /** The base64 of the log's last 4 KB, as AWS cuts it: by bytes. */
    private static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        byte[] end = bytes.length <= TAIL_BYTES ? bytes : Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
        return Base64.getEncoder().encodeToString(end);
    }
}
