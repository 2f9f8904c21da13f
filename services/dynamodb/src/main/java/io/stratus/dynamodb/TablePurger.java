package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the items and index entries of deleted tables in the background, a batch per
 * transaction, then the table's marker. DeleteTable removes the table at once (its items become
 * unreachable, since a new table of the same name gets a new id); a restart resumes purges the
 * previous run left unfinished. Thread-safe.
 */
final class TablePurger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TablePurger.class);
    private static final int BATCH = 512;

    private final Store store;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("dynamodb-purger").factory());

    TablePurger(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Resumes the purges of tables deleted before a restart. */
    void resume() {
        List<String> ids = new ArrayList<>();
        try (Scan scan = store.scan(TableStore.DROPPED, KeyRange.all())) {
            while (scan.hasNext()) {
                ids.add((String) Key.decode(scan.next().key()).getFirst());
            }
        }
        ids.forEach(this::purgeSoon);
    }

    void purgeSoon(String tableId) {
        executor.execute(() -> {
            try {
                purge(tableId);
            } catch (RuntimeException e) {
                if (!executor.isShutdown()) {
                    LOG.warn("Purging the items of deleted table {} failed; the next start retries", tableId, e);
                }
            }
        });
    }

    private void purge(String tableId) {
        byte[] prefix = Key.builder().add(tableId).build();
        for (String keyspace : List.of(ItemStore.ITEMS, ItemStore.INDEXES, ItemStore.EXPIRY, ItemStats.STATS, ItemStats.COLLECTIONS)) {
            deletePrefix(store, keyspace, prefix);
        }
        store.delete(TableStore.DROPPED, prefix);
    }

    /** Deletes every key of {@code keyspace} that starts with {@code prefix}, a batch per transaction. */
    static void deletePrefix(Store store, String keyspace, byte[] prefix) {
        List<byte[]> keys;
        do {
            keys = new ArrayList<>(BATCH);
            try (Scan scan = store.scan(keyspace, KeyRange.prefix(prefix))) {
                while (scan.hasNext() && keys.size() < BATCH) {
                    Entry entry = scan.next();
                    keys.add(entry.key());
                }
            }
            List<byte[]> batch = keys;
            store.transaction(txn -> {
                batch.forEach(k -> txn.delete(keyspace, k));
                return null;
            });
        } while (keys.size() == BATCH && !Thread.currentThread().isInterrupted());
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
