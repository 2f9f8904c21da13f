package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes messages past their queue's retention period in the background, so they stop taking
 * space (receives and counts already pass over them). A message's sequence number is at least the
 * time it was sent, in microseconds, so every message with a sequence below the retention cutoff
 * is expired and one range scan per queue finds them; the few older messages that a redrive moved
 * to a later place are caught by receives. Thread-safe; one worker thread.
 */
final class RetentionSweeper implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final int BATCH = 256;

    private final Store store;
    private final Clock clock;
    private Thread worker;

    RetentionSweeper(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    synchronized void start() {
        worker = Thread.ofVirtual().name("sqs-retention").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(INTERVAL);
                    sweep();
                }
            } catch (InterruptedException e) {
                // Closing.
            }
        });
    }

    @Override
    public synchronized void close() {
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes the expired messages of every queue; returns how many. */
    long sweep() {
        List<Queue> queues = new ArrayList<>();
        try (Scan scan = store.scan(QueueStore.QUEUES, KeyRange.all())) {
            while (scan.hasNext()) {
                queues.add(QueueStore.decode(scan.next().value(), Queue.class));
            }
        }
        long removed = 0;
        for (Queue queue : queues) {
            removed += sweep(queue);
        }
        return removed;
    }

    private long sweep(Queue queue) {
        long cutoffMillis = clock.millis() - queue.messageRetentionPeriod() * 1000L;
        if (cutoffMillis <= 0) {
            return 0;
        }
        QueueAddress address = queue.address();
        byte[] start = Key.builder().add(address.account()).add(address.region()).add(address.name()).build();
        byte[] end = Key.builder().add(address.account()).add(address.region()).add(address.name()).add(cutoffMillis * 1000).build();
        long removed = 0;
        while (true) {
            int batch = store.transaction(txn -> {
                int count = 0;
                List<QueuedMessage> expired = new ArrayList<>();
                try (Scan scan = txn.scan(MessageStore.MESSAGES, new KeyRange(start, end))) {
                    while (scan.hasNext() && expired.size() < BATCH) {
                        expired.add(QueueStore.decode(scan.next().value(), QueuedMessage.class));
                    }
                }
                for (QueuedMessage message : expired) {
                    MessageStore.remove(txn, address, message);
                    count++;
                }
                return count;
            });
            removed += batch;
            if (batch < BATCH) {
                return removed;
            }
        }
    }
}
