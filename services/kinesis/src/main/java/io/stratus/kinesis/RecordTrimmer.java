package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what readers can no longer see: records past their stream's retention period, oldest
 * first, and every record of a deleted stream. Runs every minute, in bounded transactions.
 * Thread-safe.
 */
final class RecordTrimmer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordTrimmer.class);
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int BATCH = 1000;

    private final Store store;
    private final Clock clock;
    private final PeriodicTask task;

    RecordTrimmer(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.task = new PeriodicTask("kinesis-trimmer", this::runOnce, e -> LOG.warn("Trimming Kinesis records failed", e));
    }

    void start() {
        task.start(INTERVAL, INTERVAL);
    }

    /** One pass over every stream and every deleted one. */
    void runOnce() {
        for (DataStream stream : StreamStore.all(store)) {
            long before = clock.millis() - Duration.ofHours(stream.retentionHours()).toMillis();
            for (int shard = 0; shard < stream.shardCount() && !task.isClosed(); shard++) {
                int current = shard;
                while (store.transaction(txn -> StreamStore.trim(txn, stream, current, before, BATCH)) == BATCH && !task.isClosed()) {
                    // More of this shard is past retention.
                }
            }
        }
        for (byte[] incarnation : StreamStore.deletedIncarnations(store)) {
            while (!store.transaction(txn -> StreamStore.purge(txn, incarnation, BATCH)) && !task.isClosed()) {
                // More of this stream's records are left.
            }
        }
    }

    @Override
    public void close() {
        task.close();
    }
}
