package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.lambda.EnvironmentPool.FunctionKey;
import io.stratus.lambda.FunctionStore.Attached;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.lambda.ProvisionedConcurrencyOperations.Config;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the environments provisioned concurrency asks for: for every stored configuration, that
 * many environments of its version (an alias's: its primary version), started and initialized
 * ahead of invocations and kept from idle reaping ({@link EnvironmentPool#provision}). One virtual
 * thread reconciles the stored configurations with the pool once a second, and at once when a
 * configuration changes; so after a restart the environments are made again, and one that dies
 * (a timeout, its memory) is replaced. An environment that cannot initialize makes the
 * configuration {@code FAILED}, and it is not tried again until the configuration is put again
 * (or Stratus restarts).
 *
 * <p>Thread-safe: the allocations are a concurrent map the reconciling thread writes and the
 * operations read.
 */
final class ProvisionedConcurrencyWorker implements AutoCloseable {

    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String READY = "READY";
    static final String FAILED = "FAILED";

    private static final Logger LOG = LoggerFactory.getLogger(ProvisionedConcurrencyWorker.class);
    private static final long PERIOD_MILLIS = 1000;

    /** One configuration: of a version or an alias. */
    record ConfigKey(String accountId, String region, String name, String qualifier) {}

    /**
     * How far one configuration's allocation is.
     *
     * @param version the version it was for (an alias may since name another one), or null
     */
    record Allocation(int allocated, String status, String statusReason, String version) {
        static final Allocation STARTING = new Allocation(0, IN_PROGRESS, null, null);

        /** This allocation, if it is for {@code version}; else the one that starts over for it. */
        Allocation of(String current) {
            return version == null || version.equals(current) ? this : STARTING;
        }
    }

    private final FunctionStore functions;
    private final EnvironmentPool pool;
    private final ConcurrencyOperations concurrency;
    private final Map<ConfigKey, Allocation> allocations = new ConcurrentHashMap<>();
    /** Why a version's environments could not initialize, by the configuration and its LastModified. */
    private final Map<List<Object>, String> failures = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;
    private Set<ConfigKey> known = Set.of();

    ProvisionedConcurrencyWorker(FunctionStore functions, EnvironmentPool pool, ConcurrencyOperations concurrency) {
        this.functions = requireNonNull(functions, "functions is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.concurrency = requireNonNull(concurrency, "concurrency is null");
    }

    void start() {
        thread = Thread.ofVirtual().name("lambda-provisioned-concurrency").start(this::run);
    }

    /** The allocation of a configuration: {@code IN_PROGRESS} with none allocated until the worker has seen it. */
    Allocation allocation(ConfigKey key) {
        return allocations.getOrDefault(key, Allocation.STARTING);
    }

    /** A configuration was put or deleted: it starts over, now. */
    void changed(ConfigKey key) {
        allocations.remove(key);
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                reconcile();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("Could not allocate provisioned concurrency: {}", e.toString());
                }
            }
            synchronized (signal) {
                try {
                    if (!woken && !closed) {
                        signal.wait(PERIOD_MILLIS);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                woken = false;
            }
        }
    }

    private void reconcile() {
        List<Attached<Config>> configs = functions.attachments(Attachment.PROVISIONED_CONCURRENCY, Config.class);
        Map<FunctionKey, Integer> wanted = new HashMap<>();
        Map<FunctionKey, FunctionRecord> versions = new HashMap<>();
        Map<FunctionKey, List<Object>> failureKeys = new HashMap<>();
        Map<ConfigKey, FunctionKey> targets = new HashMap<>();
        Set<FunctionKey> keep = new HashSet<>();
        Set<ConfigKey> seen = new HashSet<>();
        for (Attached<Config> config : configs) {
            ConfigKey key = new ConfigKey(config.accountId(), config.region(), config.name(), config.qualifier());
            seen.add(key);
            Optional<FunctionRecord> version = version(config);
            if (version.isEmpty()) {
                // An alias moved to $LATEST, or a version going away with its configuration.
                allocations.put(key, new Allocation(0, FAILED, "Provisioned Concurrency Configs cannot be applied to unpublished function versions.", null));
                continue;
            }
            FunctionKey target = FunctionKey.of(version.get());
            keep.add(target);
            targets.put(key, target);
            if (version.get().preparing() || !version.get().state().equals(FunctionRecord.ACTIVE)) {
                continue;
            }
            wanted.merge(target, config.value().requested(), Integer::sum);
            versions.put(target, version.get());
            failureKeys.put(target, List.of(key, config.value().lastModified()));
        }
        pool.unprovisionExcept(keep);
        for (Map.Entry<FunctionKey, Integer> entry : wanted.entrySet()) {
            List<Object> failureKey = failureKeys.get(entry.getKey());
            if (closed || failures.containsKey(failureKey)) {
                continue;
            }
            String failure;
            try {
                FunctionRecord version = versions.get(entry.getKey());
                failure = pool.provision(version, FunctionRuntime.of(version.runtime()), entry.getValue());
            } catch (RuntimeException e) {
                failure = e.getMessage();
            }
            if (failure != null && !closed) {
                LOG.warn("Provisioned concurrency of {} could not initialize an environment: {}", entry.getKey(), failure);
                failures.put(failureKey, failure);
            }
        }
        for (Attached<Config> config : configs) {
            ConfigKey key = new ConfigKey(config.accountId(), config.region(), config.name(), config.qualifier());
            FunctionKey target = targets.get(key);
            if (target == null) {
                continue;
            }
            int requested = config.value().requested();
            int allocated = Math.min(requested, pool.provisioned(target));
            boolean failed = failures.containsKey(List.of(key, config.value().lastModified()));
            String version = target.version();
            allocations.put(key, allocated >= requested ? new Allocation(allocated, READY, null, version)
                    : failed ? new Allocation(allocated, FAILED, "FUNCTION_ERROR_INIT_FAILURE", version)
                    : new Allocation(allocated, IN_PROGRESS, null, version));
        }
        allocations.keySet().retainAll(seen);
        failures.keySet().removeIf(k -> !seen.contains(k.get(0)));
        // A configuration gone with its version, alias or function: the account's unreserved pool gets it back.
        Set<String> changedAccounts = new HashSet<>();
        for (ConfigKey key : known) {
            if (!seen.contains(key)) {
                changedAccounts.add(key.accountId());
            }
        }
        changedAccounts.forEach(concurrency::forget);
        known = seen;
    }

    /** The published version a configuration provisions, if there is one. */
    private Optional<FunctionRecord> version(Attached<Config> config) {
        String number = config.qualifier();
        if (!VersionOperations.isVersionNumber(number)) {
            number = functions.alias(config.accountId(), config.region(), config.name(), config.qualifier(), AliasOperations.Alias.class)
                    .map(AliasOperations.Alias::functionVersion).orElse(null);
            if (number == null || !VersionOperations.isVersionNumber(number)) {
                return Optional.empty();
            }
        }
        return functions.version(config.accountId(), config.region(), config.name(), Long.parseLong(number));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
