package io.stratus.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a store, and the ordering that makes them see commits in commit order.
 *
 * <p>A commit that touches a keyspace with listeners holds that keyspace's lock while it commits and
 * while the listeners run, so commits to a listened keyspace are serialized and reported in order.
 * Commits to keyspaces nobody listens to take no lock and keep their full concurrency (and, in
 * RocksDB, their group commit). Locks are taken in keyspace name order, so two commits never wait
 * for each other in a cycle.
 *
 * <p>Thread-safe.
 */
final class ChangeListeners {

    private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    void add(String keyspace, ChangeListener listener) {
        Feed feed = feeds.computeIfAbsent(keyspace, k -> new Feed());
        // Under the lock, so a commit already reporting to this keyspace finishes first.
        feed.lock.lock();
        try {
            feed.listeners.add(listener);
        }
        finally {
            feed.lock.unlock();
        }
    }

    /** Runs {@code commit}, a single put ({@code value} non-null) or delete, and reports it. */
    void commitOne(String keyspace, byte[] key, byte[] value, Runnable commit) {
        Feed feed = feeds.get(keyspace);
        if (feed == null || feed.listeners.isEmpty()) {
            commit.run();
            return;
        }
        feed.lock.lock();
        try {
            commit.run();
            feed.report(List.of(new Change(keyspace, key.clone(), value == null ? null : value.clone())));
        }
        finally {
            feed.lock.unlock();
        }
    }

    /** Runs {@code commit}, which makes {@code writes} durable and visible, and reports them. */
    void commit(WriteSet writes, Runnable commit) {
        var listened = new ArrayList<String>();
        for (String keyspace : writes.keyspaces()) { // name order, hence lock order
            Feed feed = feeds.get(keyspace);
            if (feed != null && !feed.listeners.isEmpty()) {
                listened.add(keyspace);
            }
        }
        int locked = 0;
        try {
            for (String keyspace : listened) {
                feeds.get(keyspace).lock.lock();
                locked++;
            }
            commit.run();
            for (String keyspace : listened) {
                feeds.get(keyspace).report(changes(keyspace, writes));
            }
        }
        finally {
            for (int i = 0; i < locked; i++) {
                feeds.get(listened.get(i)).lock.unlock();
            }
        }
    }

    private static List<Change> changes(String keyspace, WriteSet writes) {
        var changes = new ArrayList<Change>();
        writes.writes(keyspace).forEach((key, value) -> changes.add(new Change(keyspace, key.clone(), value == null ? null : value.clone())));
        return List.copyOf(changes);
    }

    private static final class Feed {

        final ReentrantLock lock = new ReentrantLock();
        final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

        void report(List<Change> changes) {
            for (ChangeListener listener : listeners) {
                try {
                    listener.onCommit(changes);
                }
                catch (RuntimeException e) {
                    // The commit is done and durable; failing it now would lie to the writer.
                    log.error("Change listener {} failed on a commit to {}", listener, changes.getFirst().keyspace(), e);
                }
            }
        }
    }
}
