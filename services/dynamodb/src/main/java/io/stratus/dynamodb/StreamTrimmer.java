package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims streams in the background, by the server's clock: deletes records older than the 24 hour
 * retention (oldest first, a batch per transaction, so a pass costs what it deletes), and forgets a
 * disabled stream — its metadata, counter and any records left — 24 hours after it was disabled.
 * Thread-safe; one sweep at a time.
 */
final class StreamTrimmer implements AutoCloseable {

    static final Duration RETENTION = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(StreamTrimmer.class);
    private static final int BATCH = 512;

    private final Store store;
    private final Clock clock;
    private final Duration interval;
    private final PeriodicTask task = new PeriodicTask("dynamodb-streams", this::sweep, e -> LOG.warn("Stream trimming failed; the next sweep retries", e));

    StreamTrimmer(Store store, Clock clock, Duration interval) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    void start() {
        task.start(interval, interval);
    }

    /** One pass over every stream. */
    void sweep() {
        long cutoff = clock.millis() - RETENTION.toMillis();
        List<Stream> streams = new ArrayList<>();
        StreamStore.forEach(store, streams::add);
        for (Stream stream : streams) {
            if (task.isClosed()) {
                return;
            }
            if (!stream.enabled() && stream.disabledMillis() < cutoff) {
                forget(stream);
            } else {
                trim(stream, cutoff);
            }
        }
    }

    private void trim(Stream stream, long cutoff) {
        byte[] prefix = StreamStore.key(stream);
        List<byte[]> old;
        do {
            old = new ArrayList<>();
            try (Scan scan = store.scan(StreamStore.RECORDS, KeyRange.prefix(prefix))) {
                while (scan.hasNext() && old.size() < BATCH) {
                    var entry = scan.next();
                    if (StreamStore.decode(entry.value(), StreamRecords.Stored.class).createdMillis() >= cutoff) {
                        break;
                    }
                    old.add(entry.key());
                }
            }
            List<byte[]> batch = old;
            if (!batch.isEmpty()) {
                store.transaction(txn -> {
                    batch.forEach(k -> txn.delete(StreamStore.RECORDS, k));
                    return null;
                });
            }
        } while (old.size() == BATCH && !task.isClosed());
    }

    private void forget(Stream stream) {
        byte[] key = StreamStore.key(stream);
        TablePurger.deletePrefix(store, StreamStore.RECORDS, key);
        store.transaction(txn -> {
            txn.delete(StreamStore.SEQUENCES, key);
            txn.delete(StreamStore.STREAMS, key);
            return null;
        });
    }

    @Override
    public void close() {
        task.close();
    }
}
