package io.stratus.apigateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decoded store records that invoke calls read on every request (an API id's location, the API,
 * the stage), kept until the next commit to their keyspaces: the store's change listener calls
 * {@link #invalidate}, so a change is seen by the next call after its commit. A value read while a commit lands is not kept
 * (a generation number tells), so a stale record never outlives the commit that replaced it.
 * Thread-safe.
 */
public final class DecodedCache {

    private static final int MAX_ENTRIES = 10_000;

    private final AtomicLong generation = new AtomicLong();
    private final Map<Object, Optional<?>> entries = new ConcurrentHashMap<>();

    /** Forgets everything; called after each commit to a cached keyspace. */
    public void invalidate() {
        generation.incrementAndGet();
        entries.clear();
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(Object key, Supplier<Optional<T>> load) {
        Optional<?> hit = entries.get(key);
        if (hit != null) {
            return (Optional<T>) hit;
        }
        long before = generation.get();
        Optional<T> loaded = load.get();
        if (generation.get() == before && entries.size() < MAX_ENTRIES) {
            entries.put(key, loaded);
            if (generation.get() != before) {
                // A commit landed between the check and the put: what was read may be stale.
                entries.remove(key);
            }
        }
        return loaded;
    }
}
