package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes messages past their queue's retention period in the background, so they stop taking
 * space (receives and counts already pass over them), and whatever a PurgeQueue interrupted by a
 * crash left, and whatever sends racing a DeleteQueue left. A message's sequence number is at least the time it was sent, in microseconds, so
 * every message with a sequence below the retention cutoff is expired and one range scan per queue
 * finds them; the few older messages that a redrive moved to a later place are caught by receives.
 * Thread-safe.
 */
final class RetentionSweeper implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(30);
    /** How long a deleted queue's tombstone is kept: the 60-second rule, and then some for racing sends. */
    static final Duration TOMBSTONE_LIFETIME = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    private final Store store;
    private final Clock clock;
    private final PeriodicTask task = new PeriodicTask("sqs-retention", this::sweep, e -> LOG.warn("SQS retention sweep failed; the next one retries", e));

    RetentionSweeper(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    void start() {
        task.start(INTERVAL, INTERVAL);
    }

    @Override
    public void close() {
        task.close();
    }

    /** Deletes the expired and purged messages of every queue; returns how many. */
    long sweep() {
        QueueStore queueStore = new QueueStore(store);
        long now = clock.millis();
        long removed = 0;
        for (Queue queue : queueStore.all()) {
            removed += sweep(store, queue, now);
        }
        for (QueueStore.Tombstone tombstone : queueStore.tombstones()) {
            removed += sweepDeleted(store, tombstone, now);
        }
        return removed;
    }

    /**
     * Removes what sends racing a DeleteQueue stored after it: messages of the deleted queue's name
     * sent before the name could be used again, which no later queue of that name can hold. Once
     * no send can still be racing, the tombstone goes too.
     */
    private static long sweepDeleted(Store store, QueueStore.Tombstone tombstone, long now) {
        long removed = MessageStore.removeBelow(store, tombstone.address(), (tombstone.deletedAt() + QueueStore.NAME_REUSE_MILLIS) * 1000);
        if (now - tombstone.deletedAt() > TOMBSTONE_LIFETIME.toMillis()) {
            QueueStore.forget(store, tombstone);
        }
        return removed;
    }

    private static long sweep(Store store, Queue queue, long now) {
        long cutoffMillis = now - queue.messageRetentionPeriod() * 1000L;
        long end = Math.max(cutoffMillis * 1000, queue.purgedThrough() + 1);
        return end <= 0 ? 0 : MessageStore.removeBelow(store, queue.address(), end);
    }
}
