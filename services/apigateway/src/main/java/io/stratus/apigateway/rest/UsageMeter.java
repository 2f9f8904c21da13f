package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.rest.UsagePlanModel.QuotaSettings;
import io.stratus.apigateway.rest.UsagePlanModel.ThrottleSettings;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlan;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What usage plans let through: token buckets for throttling (in memory, per plan, key and — for
 * a method with its own limits — method) and request counts for quotas, kept in the store per plan,
 * key and UTC day so that a restart does not reset a period's quota. {@link #admit} is called for
 * each call of a method that requires an API key, once the key has been found in a plan of the
 * stage.
 *
 * <p>Thread-safety: buckets and counters are created through concurrent maps and updated under
 * their own locks (a bucket's monitor, a counter's {@code ReentrantLock}); the count of one plan and key is written to the store under its lock, so the
 * stored value only grows in order. One meter serves one store: counts written by another process
 * are not seen until this one reloads them (after a restart or at the next period).
 */
final class UsageMeter {

    static final String USAGE = "apigateway.rest.usage";
    static final String ADJUSTMENTS = "apigateway.rest.usageadjustments";
    private static final int MAX_BUCKETS = 100_000;

    /** Why a call may not go on. */
    enum Refusal { THROTTLED, QUOTA_EXCEEDED }

    private final Store store;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    UsageMeter(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Takes a token and counts the call against the quota, or says why not. A throttled call does
     * not count against the quota.
     *
     * @param methodThrottle the stage's limits for the called method in this plan, if any: they
     *     replace the plan's own
     */
    Refusal admit(String accountId, String region, UsagePlan plan, String keyId, String methodKey, ThrottleSettings methodThrottle) {
        ThrottleSettings throttle = methodThrottle != null ? methodThrottle : plan.throttle();
        if (throttle != null) {
            String bucketKey = accountId + "|" + region + "|" + plan.id() + "|" + keyId + (methodThrottle != null ? "|" + methodKey : "");
            if (!take(bucketKey, throttle)) {
                return Refusal.THROTTLED;
            }
        }
        if (plan.quota() != null && !count(accountId, region, plan.id(), keyId, plan.quota())) {
            return Refusal.QUOTA_EXCEEDED;
        }
        return null;
    }

    /** Takes a token from the bucket {@code key} with these settings; false when none is left. */
    boolean take(String key, ThrottleSettings throttle) {
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear();
        }
        TokenBucket bucket = buckets.compute(key, (k, current) -> current != null && current.settings.equals(throttle) ? current
                : new TokenBucket(throttle, clock.millis()));
        return bucket.take(clock.millis());
    }

    private boolean count(String accountId, String region, String planId, String keyId, QuotaSettings quota) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate periodStart = UsagePlanLimits.periodStart(quota, today);
        Counter counter = counters.computeIfAbsent(accountId + "|" + region + "|" + planId + "|" + keyId, k -> new Counter());
        counter.lock.lock();
        try {
            if (!today.equals(counter.day) || !periodStart.equals(counter.periodStart)) {
                counter.day = today;
                counter.periodStart = periodStart;
                counter.today = used(store, accountId, region, planId, keyId, today, today);
                counter.period = used(store, accountId, region, planId, keyId, periodStart, today)
                        - adjustment(store, accountId, region, planId, keyId, periodStart);
            }
            if (counter.period >= quota.limit()) {
                return false;
            }
            counter.period++;
            counter.today++;
            store.put(USAGE, dayKey(accountId, region, planId, keyId, today), Long.toString(counter.today).getBytes(StandardCharsets.UTF_8));
            return true;
        } finally {
            counter.lock.unlock();
        }
    }

    /**
     * Grants {@code remaining} more calls in the key's current period, whatever it used so far: the
     * difference is stored as the period's adjustment.
     */
    void setRemaining(String accountId, String region, UsagePlan plan, String keyId, long remaining) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate periodStart = UsagePlanLimits.periodStart(plan.quota(), today);
        Counter counter = counters.computeIfAbsent(accountId + "|" + region + "|" + plan.id() + "|" + keyId, k -> new Counter());
        counter.lock.lock();
        try {
            long used = used(store, accountId, region, plan.id(), keyId, periodStart, today);
            long adjustment = used - (plan.quota().limit() - remaining);
            store.put(ADJUSTMENTS, Key.builder().add(accountId).add(region).add(plan.id()).add(keyId).add(periodStart.toString()).build(),
                    Long.toString(adjustment).getBytes(StandardCharsets.UTF_8));
            counter.day = null;
        } finally {
            counter.lock.unlock();
        }
    }

    /** Calls counted for the key from {@code from} to {@code to}, both included. */
    static long used(StoreReader reader, String accountId, String region, String planId, String keyId, LocalDate from, LocalDate to) {
        long total = 0;
        for (long count : daily(reader, accountId, region, planId, keyId, from, to).values()) {
            total += count;
        }
        return total;
    }

    /** The calls counted per day from {@code from} to {@code to}; days without calls are absent. */
    static Map<LocalDate, Long> daily(StoreReader reader, String accountId, String region, String planId, String keyId, LocalDate from,
            LocalDate to) {
        Map<LocalDate, Long> days = new LinkedHashMap<>();
        byte[] start = dayKey(accountId, region, planId, keyId, from);
        byte[] end = dayKey(accountId, region, planId, keyId, to.plusDays(1));
        try (Scan scan = reader.scan(USAGE, new KeyRange(start, end))) {
            while (scan.hasNext()) {
                var entry = scan.next();
                String value = new String(entry.value(), StandardCharsets.UTF_8);
                days.put(LocalDate.parse(Key.decode(entry.key()).getLast().toString()), Long.parseLong(value));
            }
        }
        return days;
    }

    /** How much the period's count was lowered by UpdateUsage. */
    static long adjustment(StoreReader reader, String accountId, String region, String planId, String keyId, LocalDate periodStart) {
        byte[] value = reader.get(ADJUSTMENTS, Key.builder().add(accountId).add(region).add(planId).add(keyId).add(periodStart.toString()).build());
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.UTF_8));
    }

    private static byte[] dayKey(String accountId, String region, String planId, String keyId, LocalDate day) {
        return Key.builder().add(accountId).add(region).add(planId).add(keyId).add(day.toString()).build();
    }

    /**
     * The calls of one plan and key: today's and the current period's. Guarded by its lock (not a
     * monitor: the store write under it must not pin a virtual thread's carrier).
     */
    private static final class Counter {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        LocalDate day;
        LocalDate periodStart;
        long today;
        long period;
    }

    /** {@code burstLimit} tokens at most, refilled at {@code rateLimit} a second. Guarded by its own monitor. */
    private static final class TokenBucket {
        final ThrottleSettings settings;
        private final double capacity;
        private final double perMilli;
        private double tokens;
        private long last;

        TokenBucket(ThrottleSettings settings, long now) {
            this.settings = settings;
            double rate = settings.rateLimit() == null ? Double.POSITIVE_INFINITY : settings.rateLimit();
            this.capacity = settings.burstLimit() == null ? Math.max(1, Math.ceil(rate == Double.POSITIVE_INFINITY ? 1 : rate)) : settings.burstLimit();
            this.perMilli = rate / 1000.0;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean take(long now) {
            if (perMilli == Double.POSITIVE_INFINITY) {
                return capacity > 0 || settings.burstLimit() == null;
            }
            if (now > last) {
                tokens = Math.min(capacity, tokens + (now - last) * perMilli);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
