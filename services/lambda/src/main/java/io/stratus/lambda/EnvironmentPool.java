package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.Logs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The warm execution environments of every function version, and the concurrency limits (the
 * account's unreserved pool, and each function's reservation). An invocation leases an idle
 * environment of its version's current revision (or starts one), runs on it alone, and hands it
 * back; idle ones are stopped after the idle timeout, and all of a version's when its code or
 * configuration changes ({@code $LATEST} only) or it or its function is deleted. Provisioned
 * concurrency's environments ({@link #provision}) are started and initialized ahead of invocations
 * and never stopped for being idle.
 *
 * <p>Thread-safe: the idle lists are guarded by this object's monitor, which is never held while a
 * process starts or stops; each account's concurrency counts by a monitor of their own.
 */
final class EnvironmentPool implements AutoCloseable {

    /** One version of one function: each has environments (and an event queue) of its own. */
    record FunctionKey(String accountId, String region, String name, String version) {
        static FunctionKey of(FunctionRecord function) {
            return new FunctionKey(function.accountId(), function.region(), function.name(), function.version());
        }

        /** The key {@link #retireAll} marks: every version of the function. */
        FunctionKey allVersions() {
            return new FunctionKey(accountId, region, name, "*");
        }
    }

    /**
     * How many invocations run in one account: those of functions with reserved concurrency per
     * function, the others in the unreserved pool. Guarded by its own monitor.
     */
    private static final class AccountConcurrency {
        int unreservedBusy;
        final Map<String, Integer> reservedBusy = new HashMap<>();
    }

    private final LambdaSettings settings;
    private final FunctionCredentials credentials;
    private final Clock clock;
    private final Function<FunctionRecord, CodeStore.Reference> code;
    private final Path runtimeDir;
    private final Map<FunctionKey, Deque<ExecutionEnvironment>> idle = new HashMap<>();
    /** When each function last changed: environments started before then are not reused. */
    private final Map<FunctionKey, Long> retiredBefore = new HashMap<>();
    /** Every environment, with the reference to its code it holds until it stops. */
    private final Logs logs;
    private final Map<ExecutionEnvironment, CodeStore.Reference> all = new ConcurrentHashMap<>();
    private final Map<String, AccountConcurrency> accounts = new ConcurrentHashMap<>();
    /** Provisioned concurrency's environments, by the version they serve: never reaped while idle. */
    private final Map<ExecutionEnvironment, FunctionKey> provisioned = new HashMap<>();
    private boolean closed;

    /**
     * @param code a reference to a function revision's code (with its task root), taken for each
     *     environment and closed when it stops, so the code outlives the processes running it
     * @param runtimeDir where the runtimes' bootstraps are
     * @param logs where environments write their log lines
     */
    EnvironmentPool(LambdaSettings settings, Clock clock, Function<FunctionRecord, CodeStore.Reference> code, Path runtimeDir, Logs logs) {
        this(settings, clock, code, runtimeDir, logs, new FunctionCredentials(io.stratus.core.spi.RoleSessions.NONE, clock));
    }

    /** @param credentials what each new environment's runtime acts as */
    EnvironmentPool(LambdaSettings settings, Clock clock, Function<FunctionRecord, CodeStore.Reference> code, Path runtimeDir, Logs logs,
            FunctionCredentials credentials) {
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.logs = requireNonNull(logs, "logs is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.code = requireNonNull(code, "code is null");
        this.runtimeDir = requireNonNull(runtimeDir, "runtimeDir is null");
        // What a killed server left in the temporary directory goes before this one adds its own.
        EnvironmentDirectory.sweepAbandoned();
    }

    /** A permit to run one invocation in an account; close it when the invocation ends. */
    interface Slot extends AutoCloseable {
        /** No permit: for an invocation on provisioned concurrency, which the account set aside beforehand. */
        Slot NONE = () -> { };

        @Override
        void close();
    }

    /**
     * Takes one of the account's concurrent executions.
     *
     * @throws AwsException TooManyRequestsException when all are in use
     */
    Slot reserve(String accountId) {
        return reserve(accountId, "", null, 0);
    }

    /**
     * Takes one of the account's concurrent executions for a function: one of its reserved ones
     * when it has a reservation, else one of the account's unreserved ones.
     *
     * @param function the function's region and name, e.g. {@code us-east-1/fn}
     * @param reserved the function's reserved concurrency, or null
     * @param reservedTotal what all of the account's functions reserve together
     * @throws AwsException TooManyRequestsException when none is free
     */
    Slot reserve(String accountId, String function, Integer reserved, int reservedTotal) {
        AccountConcurrency account = accounts.computeIfAbsent(accountId, a -> new AccountConcurrency());
        synchronized (account) {
            if (reserved != null) {
                int busy = account.reservedBusy.getOrDefault(function, 0);
                if (busy >= reserved) {
                    throw throttled("ReservedFunctionConcurrentInvocationLimitExceeded");
                }
                account.reservedBusy.put(function, busy + 1);
            } else {
                if (account.unreservedBusy >= settings.accountConcurrency() - reservedTotal) {
                    throw throttled("ConcurrentInvocationLimitExceeded");
                }
                account.unreservedBusy++;
            }
        }
        // Released to the pool it came from, even if the function's reservation changes meanwhile; once.
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                synchronized (account) {
                    if (reserved != null) {
                        account.reservedBusy.merge(function, -1, (a, b) -> a + b == 0 ? null : a + b);
                    } else {
                        account.unreservedBusy--;
                    }
                }
            }
        };
    }

    private static AwsException throttled(String reason) {
        return new AwsException(LambdaErrors.TOO_MANY_REQUESTS, "Rate Exceeded.", Map.of("Reason", reason, "Type", "User"), null);
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
            for (Iterator<ExecutionEnvironment> it = environments == null ? null : environments.iterator(); it != null && it.hasNext() && found == null; ) {
                ExecutionEnvironment candidate = it.next();
                boolean current = candidate.function().revisionId().equals(function.revisionId()) && candidate.usable();
                it.remove();
                if (current) {
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
        return start(function, runtime, ExecutionEnvironment.Initialization.ON_DEMAND);
    }

    /** A new environment of the function version, holding its code until it stops. */
    private ExecutionEnvironment start(FunctionRecord function, FunctionRuntime runtime, ExecutionEnvironment.Initialization initialization) {
        CodeStore.Reference reference = code.apply(function);
        ExecutionEnvironment started;
        try {
            started = ExecutionEnvironment.start(function, runtime, reference.taskRoot(), reference.optDir(), runtimeDir, settings, clock, logs,
                    initialization, credentials.issue(function));
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
        all.put(started, reference);
        return started;
    }

    /** An idle provisioned environment of this function version, or null when none is free. */
    ExecutionEnvironment leaseProvisioned(FunctionRecord function) {
        FunctionKey key = FunctionKey.of(function);
        synchronized (this) {
            Deque<ExecutionEnvironment> environments = idle.get(key);
            if (closed || environments == null) {
                return null;
            }
            for (Iterator<ExecutionEnvironment> it = environments.iterator(); it.hasNext(); ) {
                ExecutionEnvironment candidate = it.next();
                if (provisioned.containsKey(candidate) && candidate.usable() && candidate.function().revisionId().equals(function.revisionId())) {
                    it.remove();
                    return candidate;
                }
            }
            return null;
        }
    }

    /** How many live provisioned environments serve this function version. */
    synchronized int provisioned(FunctionKey key) {
        int live = 0;
        for (Map.Entry<ExecutionEnvironment, FunctionKey> entry : provisioned.entrySet()) {
            if (entry.getValue().equals(key) && entry.getKey().usable()) {
                live++;
            }
        }
        return live;
    }

    /**
     * Makes {@code count} provisioned environments of a published version exist: starts and
     * initializes the missing ones (in parallel, each on a virtual thread), keeping them idle and
     * never reaped. Surplus ones become ordinary environments (reaped when idle).
     *
     * @return null when all are there, else why an environment could not initialize
     */
    String provision(FunctionRecord function, FunctionRuntime runtime, int count) {
        FunctionKey key = FunctionKey.of(function);
        int missing = count - provisioned(key);
        if (missing < 0) {
            synchronized (this) {
                for (Iterator<Map.Entry<ExecutionEnvironment, FunctionKey>> it = provisioned.entrySet().iterator(); it.hasNext() && missing < 0; ) {
                    if (it.next().getValue().equals(key)) {
                        it.remove();
                        missing++;
                    }
                }
            }
            return null;
        }
        List<Future<String>> starts = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < missing; i++) {
                starts.add(executor.submit(() -> startProvisioned(function, runtime, key)));
            }
        }
        for (Future<String> start : starts) {
            String failure = start.resultNow();
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private String startProvisioned(FunctionRecord function, FunctionRuntime runtime, FunctionKey key) {
        ExecutionEnvironment environment;
        try {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("Lambda is stopping");
                }
            }
            // A fresh one, as AWS's: its runtime is told it initializes for provisioned concurrency.
            environment = start(function, runtime, ExecutionEnvironment.Initialization.PROVISIONED_CONCURRENCY);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        String failure = environment.initialize();
        if (failure != null) {
            stop(environment);
            return failure;
        }
        synchronized (this) {
            if (!closed) {
                provisioned.put(environment, key);
            }
        }
        release(environment);
        return null;
    }

    /** Makes the provisioned environments of versions not in {@code keep} ordinary ones, reaped when idle. */
    synchronized void unprovisionExcept(Set<FunctionKey> keep) {
        provisioned.values().removeIf(key -> !keep.contains(key));
    }

    /**
     * Hands an environment back after an invocation: kept warm if still good, else stopped. Stopping
     * waits for the process and its output: on a platform thread (the Runtime API connection that
     * brought the invocation's answer) it happens on a virtual thread of its own.
     */
    void release(ExecutionEnvironment environment) {
        FunctionKey key = FunctionKey.of(environment.function());
        synchronized (this) {
            boolean current = true;
            for (FunctionKey retiredKey : List.of(key, key.allVersions())) {
                Long retired = retiredBefore.get(retiredKey);
                current &= retired == null || environment.createdNanos() - retired > 0;
            }
            if (!closed && current && environment.usable()) {
                // Most recently used first: the others age out and get reaped.
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(environment);
                return;
            }
        }
        if (Thread.currentThread().isVirtual()) {
            stop(environment);
        } else {
            Thread.startVirtualThread(() -> stop(environment));
        }
    }

    /** Stops every environment of one version of a function; busy ones stop when their invocation ends. */
    void retire(String accountId, String region, String name, String version) {
        FunctionKey key = new FunctionKey(accountId, region, name, version);
        Deque<ExecutionEnvironment> removed;
        synchronized (this) {
            retiredBefore.put(key, System.nanoTime());
            removed = idle.remove(key);
        }
        if (removed != null) {
            removed.forEach(this::stop);
        }
    }

    /** Stops every environment of every version of a function (deleted or re-created). */
    void retireAll(String accountId, String region, String name) {
        FunctionKey all = new FunctionKey(accountId, region, name, "*");
        List<ExecutionEnvironment> removed = new ArrayList<>();
        synchronized (this) {
            retiredBefore.put(all, System.nanoTime());
            for (Iterator<Map.Entry<FunctionKey, Deque<ExecutionEnvironment>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<FunctionKey, Deque<ExecutionEnvironment>> entry = it.next();
                if (entry.getKey().allVersions().equals(all)) {
                    removed.addAll(entry.getValue());
                    it.remove();
                }
            }
        }
        removed.forEach(this::stop);
    }

    /** Stops environments idle for longer than the idle timeout. */
    void reapIdle() {
        long cutoff = System.nanoTime() - settings.idleTimeout().toNanos();
        List<ExecutionEnvironment> expired = new ArrayList<>();
        synchronized (this) {
            for (Deque<ExecutionEnvironment> environments : idle.values()) {
                for (Iterator<ExecutionEnvironment> it = environments.iterator(); it.hasNext(); ) {
                    ExecutionEnvironment environment = it.next();
                    boolean idleTooLong = environment.lastUsedNanos() - cutoff < 0 && !provisioned.containsKey(environment);
                    if (idleTooLong || !environment.usable()) {
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
        synchronized (this) {
            provisioned.remove(environment);
        }
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
            provisioned.clear();
        }
        List.copyOf(all.keySet()).parallelStream().forEach(this::stop);
    }
}
