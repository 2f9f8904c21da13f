package io.stratus.bench;

import io.stratus.core.StratusConfig.Durability;
import io.stratus.storage.Key;
import io.stratus.storage.RocksDbStore;
import io.stratus.storage.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.OptimisticTransactionDB;
import org.rocksdb.OptimisticTransactionOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

/**
 * Durable commits per second: what the store can acknowledge, below HTTP and any service.
 *
 * <p>Each commit is what a small PutObject commits: a transaction that reads one key, writes a
 * 4 KiB value (the inline body) to one keyspace and a 600-byte value (the record) to another, each
 * to a new key, synced. Three sides, in alternating rounds in one run, each in its own fresh
 * database in a temporary directory on the data dir's disk:
 *
 * <ul>
 *   <li>{@code rocksdb default}: an {@link OptimisticTransactionDB} with RocksDB's default write
 *       options (what the store used before its write-ahead log was tuned), called from platform
 *       threads;
 *   <li>{@code rocksdb tuned}: the same with the options {@link RocksDbStore} opens with (recycled
 *       logs, bounded WAL, leader-inserted groups);
 *   <li>{@code Store}: {@link RocksDbStore} itself, strict durability, {@link Store#transaction}
 *       from virtual threads as the services call it (their synced commit hands off to a platform
 *       thread).
 * </ul>
 *
 * <p>The RocksDB sides also count write-ahead log syncs (RocksDB's statistics), hence commits per
 * sync: the size of RocksDB's commit groups.
 */
final class StorageBenchmark {

    private static final int BODY = 4096;
    private static final int RECORD = 600;

    private final int warmupSeconds;
    private final int measureSeconds;
    private final int[] clients;
    private final Path root;

    StorageBenchmark(int warmupSeconds, int measureSeconds, int[] clients) {
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
        this.clients = clients;
        this.root = Path.of(System.getProperty("bench.storage.dir", System.getProperty("java.io.tmpdir")));
    }

    String run() throws Exception {
        RocksDB.loadLibrary();
        var out = new StringBuilder();
        out.append("Durable commits (a transaction reading one key, writing 4 KiB and 600 B to two keyspaces, synced), commits/s;")
                .append(" RocksDB sides also WAL syncs/s and commits per sync\n\n");
        out.append("| clients | rocksdb default | rocksdb tuned | Store (RocksDbStore, virtual threads) | tuned ÷ default | Store ÷ default |\n");
        out.append("|---:|---:|---:|---:|---:|---:|\n");
        for (int n : clients) {
            Result plain = null;
            Result tuned = null;
            Result store = null;
            // Two alternating rounds of half the measuring time each, so drift on a shared machine hits all sides.
            for (int round = 0; round < 2; round++) {
                plain = Result.sum(plain, rocks(n, false));
                tuned = Result.sum(tuned, rocks(n, true));
                store = Result.sum(store, store(n));
            }
            out.append("| ").append(n)
                    .append(" | ").append(plain.describe())
                    .append(" | ").append(tuned.describe())
                    .append(" | ").append(store.describe())
                    .append(" | **").append(String.format("%.2f", tuned.rate() / plain.rate()))
                    .append("** | ").append(String.format("%.2f", store.rate() / plain.rate())).append(" |\n");
        }
        return out.toString();
    }

    private record Result(long commits, long syncs, double seconds) {

        static Result sum(Result a, Result b) {
            return a == null ? b : new Result(a.commits + b.commits, a.syncs + b.syncs, a.seconds + b.seconds);
        }

        double rate() {
            return commits / seconds;
        }

        String describe() {
            if (syncs < 0) {
                return String.format("%.0f", rate());
            }
            return String.format("%.0f (%.0f syncs/s, %.1f per sync)", rate(), syncs / seconds, (double) commits / Math.max(1, syncs));
        }
    }

    /** One side: a fresh database, warmed up, then measured for half the measuring time. */
    private Result rocks(int threads, boolean tuned) throws Exception {
        Path dir = Files.createTempDirectory(root, "stratus-bench-storage-");
        try (var stats = new Statistics();
                var dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setStatistics(stats);
                var cfOptions = new ColumnFamilyOptions().setMaxWriteBufferNumberToMaintain(2);
                var writeOptions = new WriteOptions().setSync(true);
                var txnOptions = new OptimisticTransactionOptions().setSetSnapshot(true);
                var readOptions = new ReadOptions()) {
            if (tuned) {
                dbOptions.setRecycleLogFileNum(RocksDbStore.RECYCLED_LOG_FILES)
                        .setMaxTotalWalSize(RocksDbStore.MAX_TOTAL_WAL_BYTES)
                        .setAllowConcurrentMemtableWrite(false);
            }
            var descriptors = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor("bodies".getBytes(StandardCharsets.UTF_8), cfOptions),
                    new ColumnFamilyDescriptor("records".getBytes(StandardCharsets.UTF_8), cfOptions));
            var handles = new ArrayList<ColumnFamilyHandle>();
            try (var db = OptimisticTransactionDB.open(dbOptions, dir.toString(), descriptors, handles)) {
                ColumnFamilyHandle bodies = handles.get(1);
                ColumnFamilyHandle records = handles.get(2);
                AtomicLong sequence = new AtomicLong();
                Result result = drive(threads, false, () -> {
                    byte[] key = ("bucket/key-" + sequence.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
                    try (var txn = db.beginTransaction(writeOptions, txnOptions)) {
                        txn.getForUpdate(readOptions, records, key, true);
                        txn.put(bodies, key, value(BODY));
                        txn.put(records, key, value(RECORD));
                        txn.commit();
                    }
                }, () -> stats.getTickerCount(TickerType.WAL_FILE_SYNCED));
                handles.forEach(ColumnFamilyHandle::close);
                return result;
            }
        } finally {
            delete(dir);
        }
    }

    private Result store(int threads) throws Exception {
        Path dir = Files.createTempDirectory(root, "stratus-bench-storage-");
        try (Store store = RocksDbStore.open(dir, Durability.STRICT)) {
            AtomicLong sequence = new AtomicLong();
            return drive(threads, true, () -> {
                byte[] key = Key.builder().add("bucket").add("key-" + sequence.incrementAndGet()).build();
                store.transaction(txn -> {
                    txn.get("records", key);
                    txn.put("bodies", key, value(BODY));
                    txn.put("records", key, value(RECORD));
                    return null;
                });
            }, () -> -1L);
        } finally {
            delete(dir);
        }
    }

    private static byte[] value(int size) {
        byte[] value = new byte[size];
        ThreadLocalRandom.current().nextBytes(value);
        return value;
    }

    @FunctionalInterface
    private interface Commit {

        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Counter {

        long get() throws Exception;
    }

    private Result drive(int threads, boolean virtual, Commit commit, Counter syncs) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            commit.run();
                            if (measuring.get()) {
                                commits.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(warmupSeconds * 1000L);
            long syncsBefore = syncs.get();
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(measureSeconds * 500L);
            measuring.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            long synced = syncs.get();
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " commits failed");
            }
            return new Result(commits.get(), synced < 0 ? -1 : synced - syncsBefore, seconds);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
