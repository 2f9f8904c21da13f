package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Runs invocations on the environment pool: synchronous ones for Invoke and other services, and
 * each attempt of an {@code Event} invocation for {@link AsyncInvocations}.
 *
 * <p>Thread-safe. {@link #invoke} blocks the caller's thread for the length of the invocation;
 * {@link #start} only while an environment starts, and completes from the runtime's answer.
 */
final class Invoker {
    /** What Invoke's {@code X-Amz-Log-Result} carries: the end of the invocation's log. */
    static final int TAIL_BYTES = 4 * 1024;

    /**
     * A finished synchronous invocation.
     *
     * @param stream the response the function streamed, or null for a buffered one
     */
    record Outcome(FunctionInvoker.Result result, String logTail, StreamedResponse stream) {
        Outcome(FunctionInvoker.Result result, String logTail) {
            this(result, logTail, null);
        }
    }

    private final EnvironmentPool pool;
    private final ConcurrencyOperations concurrency;
    private final RecursionOperations recursion;

    /**
     * @param concurrency the functions' reserved concurrency
     * @param recursion whether a function may run in a recursive loop
     */
    Invoker(EnvironmentPool pool, ConcurrencyOperations concurrency, RecursionOperations recursion) {
        this.pool = requireNonNull(pool, "pool is null");
        this.concurrency = requireNonNull(concurrency, "concurrency is null");
        this.recursion = requireNonNull(recursion, "recursion is null");
    }

    /**
     * Runs one invocation and waits for it.
     *
     * @param tail whether to keep the end of the invocation's log
     * @throws AwsException TooManyRequestsException when the account has no concurrency left, or
     *     the function's reserved concurrency is all in use
     */
    Outcome invoke(FunctionRecord function, String invokedArn, byte[] payload, String clientContext, boolean tail) {
        return invoke(function, invokedArn, payload, clientContext, tail, UUID.randomUUID().toString(), null);
    }

    /**
     * Like {@link #invoke(FunctionRecord, String, byte[], String, boolean)}, with the request id the
     * function sees and the trace header of the event's chain (see {@link #start}).
     */
    Outcome invoke(FunctionRecord function, String invokedArn, byte[] payload, String clientContext, boolean tail, String requestId,
            String trace) {
        CompletableFuture<Outcome> outcome = start(function, invokedArn, payload, clientContext, tail, requestId, trace, null);
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            // The invocation goes on to its end (at the latest its timeout), then frees its environment.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while invoking " + function.name(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Starts one invocation: takes a concurrency slot and an environment (starting one when none is
     * idle, which waits for its process to start) on the calling thread, which then goes on; the
     * invocation ends, and gives both back, on the thread the runtime answers on (see
     * {@link ExecutionEnvironment#invoke}).
     *
     * @param tail whether to keep the end of the invocation's log
     * @param trace the X-Ray trace header the event came with (see {@link TraceLineage}), or null: the
     *     invocation continues its trace and counts in its lineage
     * @param streaming told when the function begins to stream its response, before the invocation
     *     ends (see {@link ExecutionEnvironment#invoke}); null when only the end matters
     * @throws AwsException TooManyRequestsException when the account has no concurrency left, or
     *     the function's reserved concurrency is all in use; RecursiveInvocationException when the
     *     event's chain has run the function too often already
     */
    CompletableFuture<Outcome> start(FunctionRecord function, String invokedArn, byte[] payload, String clientContext, boolean tail, String requestId,
            String trace, Consumer<StreamedResponse> streaming) {
        TraceLineage lineage = TraceLineage.of(trace);
        recursion.check(function, lineage);
        FunctionRuntime runtime = FunctionRuntime.of(function.runtime());
        // Before taking a slot: a missing interpreter is the caller's error, not a throttle.
        runtime.interpreter();
        ConcurrencyOperations.Reservations reservations = concurrency.reservations(function.accountId());
        String key = function.region() + "/" + function.name();
        Integer reserved = reservations.byFunction().get(key);
        // Provisioned concurrency first: set aside from the account's unreserved pool beforehand (or
        // part of the function's reservation, which still counts it).
        ExecutionEnvironment provisioned = function.latest() ? null : pool.leaseProvisioned(function);
        EnvironmentPool.Slot slot;
        try {
            slot = provisioned != null && reserved == null ? EnvironmentPool.Slot.NONE
                    : pool.reserve(function.accountId(), key, reserved, reservations.withheld());
        } catch (RuntimeException e) {
            if (provisioned != null) {
                pool.release(provisioned);
            }
            throw e;
        }
        ExecutionEnvironment environment = provisioned;
        CompletableFuture<ExecutionEnvironment.Result> running;
        try {
            if (environment == null) {
                environment = pool.lease(function, runtime);
            }
            running = environment.invoke(requestId, invokedArn, payload, clientContext, lineage.next(function), streaming);
        } catch (ExecutionEnvironment.InvalidEntrypoint e) {
            slot.close();
            // AWS answers this as the function's failure (200, Unhandled), not the service's.
            String message = "RequestId: " + requestId + " Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";
            byte[] error = ExecutionEnvironment.errorDocument("Runtime.InvalidEntrypoint", message);
            // The tail as AWS logs the failure: the error, then its type.
            return CompletableFuture.completedFuture(new Outcome(new FunctionInvoker.Result(200, error, "Unhandled"),
                    tail ? tail(message + "\nRuntime.InvalidEntrypoint\n") : null));
        } catch (RuntimeException e) {
            if (environment != null) {
                pool.release(environment);
            }
            slot.close();
            throw e;
        }
        ExecutionEnvironment leased = environment;
        Runnable release = () -> {
            pool.release(leased);
            slot.close();
        };
        return running.whenComplete((result, failure) -> {
            // Released (and its concurrency with it) before the answer goes out, so the caller's next invocation finds it warm;
            // with extensions, once they are done with this invocation too, which may be after the answer, as on AWS.
            CompletableFuture<Void> after = leased.afterInvocation();
            if (after.isDone()) {
                release.run();
            } else {
                after.whenComplete((done, ignored) -> release.run());
            }
        }).thenApply(result -> outcome(result, tail, streaming == null));
    }

    /**
     * A finished invocation's outcome. A streamed response its caller takes whole rather than as a
     * stream (Invoke, a {@code BUFFERED} URL, an event) is held to the limit of a buffered one, as on AWS.
     */
    private static Outcome outcome(ExecutionEnvironment.Result result, boolean tail, boolean whole) {
        String logTail = tail ? tail(result.log()) : null;
        if (whole && result.stream() != null && result.functionError() == null && result.payload().length > RuntimeApiServer.MAX_RESPONSE_BYTES) {
            byte[] error = ExecutionEnvironment.errorDocument("Function.ResponseSizeTooLarge", String.format(
                    "Response payload size exceeded maximum allowed payload size (%d bytes).", RuntimeApiServer.MAX_RESPONSE_BYTES));
            return new Outcome(new FunctionInvoker.Result(200, error, "Unhandled"), logTail, result.stream());
        }
        return new Outcome(new FunctionInvoker.Result(200, result.payload(), result.functionError()), logTail, result.stream());
    }

    /** The base64 of the log's last 4 KB, as AWS cuts it: by bytes. */
    private static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        byte[] end = bytes.length <= TAIL_BYTES ? bytes : Arrays.copyOfRange(bytes, bytes.length - TAIL_BYTES, bytes.length);
        return Base64.getEncoder().encodeToString(end);
    }
}
