package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.lambda.EnvironmentPool.FunctionKey;
import io.stratus.lambda.FunctionStore.Attached;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.lambda.ProvisionedConcurrencyOperations.Config;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the environments provisioned concurrency asks for: for every stored configuration, that
 * many environments of its version (an alias's: of the versions it routes to, split by their
 * weights), started and initialized
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
     * @param routing the {@link #routing routing} it was for (an alias may since route elsewhere), or null
     */
    record Allocation(int allocated, String status, String statusReason, String routing) {
        static final Allocation STARTING = new Allocation(0, IN_PROGRESS, null, null);

        /** This allocation, if it is for {@code current} routing; else the one that starts over for it. */
        Allocation of(String current) {
            return routing == null || routing.equals(current) ? this : STARTING;
        }
    }

    /** Where an alias sends invocations, as one string: its version, and its additional version's weight. */
    static String routing(AliasOperations.Alias alias) {
        return alias.weights().isEmpty() ? alias.functionVersion() : alias.functionVersion() + "," + new TreeMap<>(alias.weights());
    }

    /**
     * How many of {@code requested} environments each version of a routing gets: the additional
     * version its weight's share (rounded), the primary version the rest.
     */
    static Map<String, Integer> split(String primary, Map<String, Double> weights, int requested) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        int rest = requested;
        for (Map.Entry<String, Double> weight : new TreeMap<>(weights).entrySet()) {
            int share = (int) Math.min(rest, Math.round(requested * weight.getValue()));
            shares.put(weight.getKey(), share);
            rest -= share;
        }
        shares.put(primary, rest);
        shares.values().removeIf(share -> share == 0);
        return shares;
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
        Map<ConfigKey, Map<FunctionKey, Integer>> targets = new HashMap<>();
        Map<ConfigKey, String> routings = new HashMap<>();
        Set<FunctionKey> keep = new HashSet<>();
        Set<ConfigKey> seen = new HashSet<>();
        for (Attached<Config> config : configs) {
            ConfigKey key = new ConfigKey(config.accountId(), config.region(), config.name(), config.qualifier());
            seen.add(key);
            Optional<Routed> routed = versions(config);
            if (routed.isEmpty()) {
                // An alias moved to $LATEST, or a version going away with its configuration.
                allocations.put(key, new Allocation(0, FAILED, "Provisioned Concurrency Configs cannot be applied to unpublished function versions.", null));
                continue;
            }
            routings.put(key, routed.get().routing());
            Map<FunctionKey, Integer> shares = new LinkedHashMap<>();
            targets.put(key, shares);
            routed.get().shares().forEach((version, share) -> {
                FunctionKey target = FunctionKey.of(version);
                keep.add(target);
                shares.put(target, share);
                if (version.preparing() || !version.state().equals(FunctionRecord.ACTIVE)) {
                    return;
                }
                wanted.merge(target, share, Integer::sum);
                versions.put(target, version);
                failureKeys.put(target, List.of(key, config.value().lastModified()));
            });
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
            Map<FunctionKey, Integer> shares = targets.get(key);
            if (shares == null) {
                continue;
            }
            int requested = config.value().requested();
            int allocated = 0;
            for (Map.Entry<FunctionKey, Integer> share : shares.entrySet()) {
                allocated += Math.min(share.getValue(), pool.provisioned(share.getKey()));
            }
            boolean failed = failures.containsKey(List.of(key, config.value().lastModified()));
            String routing = routings.get(key);
            allocations.put(key, allocated >= requested ? new Allocation(allocated, READY, null, routing)
                    : failed ? new Allocation(allocated, FAILED, "FUNCTION_ERROR_INIT_FAILURE", routing)
                    : new Allocation(allocated, IN_PROGRESS, null, routing));
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

    /** The published versions a configuration provisions and how many environments each gets, and its routing. */
    private record Routed(Map<FunctionRecord, Integer> shares, String routing) {}

    /** What a configuration provisions, if its version (or every version its alias routes to) is a published one. */
    private Optional<Routed> versions(Attached<Config> config) {
        int requested = config.value().requested();
        if (VersionOperations.isVersionNumber(config.qualifier())) {
            return version(config, config.qualifier()).map(version -> new Routed(Map.of(version, requested), config.qualifier()));
        }
        Optional<AliasOperations.Alias> alias = functions.alias(config.accountId(), config.region(), config.name(), config.qualifier(),
                AliasOperations.Alias.class);
        if (alias.isEmpty()) {
            return Optional.empty();
        }
        Map<FunctionRecord, Integer> shares = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> share : split(alias.get().functionVersion(), alias.get().weights(), requested).entrySet()) {
            Optional<FunctionRecord> version = version(config, share.getKey());
            if (version.isEmpty()) {
                return Optional.empty();
            }
            shares.put(version.get(), share.getValue());
        }
        return Optional.of(new Routed(shares, routing(alias.get())));
    }

    private Optional<FunctionRecord> version(Attached<Config> config, String number) {
        if (number == null || !VersionOperations.isVersionNumber(number)) {
            return Optional.empty();
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
