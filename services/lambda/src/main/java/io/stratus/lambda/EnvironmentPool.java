package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The warm execution environments of every function, and the account concurrency limit. An
 * invocation leases an idle environment of its function's current revision (or starts one), runs
 * on it alone, and hands it back; idle ones are stopped after the idle timeout, and all of a
 * function's when its code or configuration changes or it is deleted.
 *
 * <p>Thread-safe: the idle lists are guarded by this object's monitor, which is never held while a
 * process starts or stops.
 */
final class EnvironmentPool implements AutoCloseable {

    record FunctionKey(String accountId, String region, String name) {
        static FunctionKey of(FunctionRecord function) {
            return new FunctionKey(function.accountId(), function.region(), function.name());
        }
    }

    private final LambdaSettings settings;
    private final Clock clock;
    private final Function<FunctionRecord, CodeStore.Reference> code;
    private final Path runtimeDir;
    private final Map<FunctionKey, Deque<ExecutionEnvironment>> idle = new HashMap<>();
    /** When each function last changed: environments started before then are not reused. */
    private final Map<FunctionKey, Long> retiredBefore = new HashMap<>();
    /** Every environment, with the reference to its code it holds until it stops. */
    private final Map<ExecutionEnvironment, CodeStore.Reference> all = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> accountSlots = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * @param code a reference to a function revision's code (with its task root), taken for each
     *     environment and closed when it stops, so the code outlives the processes running it
     * @param runtimeDir where the runtimes' bootstraps are
     */
    EnvironmentPool(LambdaSettings settings, Clock clock, Function<FunctionRecord, CodeStore.Reference> code, Path runtimeDir) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.code = requireNonNull(code, "code is null");
        this.runtimeDir = requireNonNull(runtimeDir, "runtimeDir is null");
    }

    /** A permit to run one invocation in an account; close it when the invocation ends. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes one of the account's concurrent executions.
     *
     * @throws AwsException TooManyRequestsException when all are in use
     */
    Slot reserve(String accountId) {
        Semaphore slots = accountSlots.computeIfAbsent(accountId, a -> new Semaphore(settings.accountConcurrency()));
        if (!slots.tryAcquire()) {
            throw new AwsException(LambdaErrors.TOO_MANY_REQUESTS, "Rate Exceeded.",
                    Map.of("Reason", "ConcurrentInvocationLimitExceeded", "Type", "User"), null);
        }
        return slots::release;
    }

    /** An idle environment of this function revision, or a new one. */
    ExecutionEnvironment lease(FunctionRecord function, FunctionRuntime runtime) {
        FunctionKey key = FunctionKey.of(function);
        List<ExecutionEnvironment> stale = new ArrayList<>();
        ExecutionEnvironment found = null;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Lambda is stopping");
            }
            Deque<ExecutionEnvironment> environments = idle.get(key);
            while (environments != null && !environments.isEmpty() && found == null) {
                ExecutionEnvironment candidate = environments.pollFirst();
                if (candidate.function().revisionId().equals(function.revisionId()) && candidate.usable()) {
                    found = candidate;
                } else {
                    stale.add(candidate);
                }
            }
        }
        stale.forEach(this::stop);
        if (found != null) {
            return found;
        }
        CodeStore.Reference reference = code.apply(function);
        ExecutionEnvironment started;
        try {
            started = ExecutionEnvironment.start(function, runtime, reference.taskRoot(), runtimeDir, settings, clock);
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
        all.put(started, reference);
        return started;
    }

    /** Hands an environment back after an invocation: kept warm if still good, else stopped. */
    void release(ExecutionEnvironment environment) {
        FunctionKey key = FunctionKey.of(environment.function());
        synchronized (this) {
            Long retired = retiredBefore.get(key);
            boolean current = retired == null || environment.createdNanos() - retired > 0;
            if (!closed && current && environment.usable()) {
                // Most recently used first: the others age out and get reaped.
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(environment);
                return;
            }
        }
        stop(environment);
    }

    /** Stops every environment of a function; busy ones stop when their invocation ends. */
    void retire(String accountId, String region, String name) {
        FunctionKey key = new FunctionKey(accountId, region, name);
        Deque<ExecutionEnvironment> removed;
        synchronized (this) {
            retiredBefore.put(key, System.nanoTime());
            removed = idle.remove(key);
        }
        if (removed != null) {
            removed.forEach(this::stop);
        }
    }

    /** Stops environments idle for longer than the idle timeout. */
    void reapIdle() {
        long cutoff = System.nanoTime() - settings.idleTimeout().toNanos();
        List<ExecutionEnvironment> expired = new ArrayList<>();
        synchronized (this) {
            for (Deque<ExecutionEnvironment> environments : idle.values()) {
                for (Iterator<ExecutionEnvironment> it = environments.iterator(); it.hasNext(); ) {
                    ExecutionEnvironment environment = it.next();
                    if (environment.lastUsedNanos() - cutoff < 0 || !environment.usable()) {
                        it.remove();
                        expired.add(environment);
                    }
                }
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        expired.forEach(this::stop);
    }

    private void stop(ExecutionEnvironment environment) {
        CodeStore.Reference reference = all.remove(environment);
        // The process first: its code may be deleted once the reference is gone.
        environment.close();
        if (reference != null) {
            reference.close();
        }
    }

    /** Stops every environment, idle or busy. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            idle.clear();
        }
        List.copyOf(all.keySet()).parallelStream().forEach(this::stop);
    }
}
