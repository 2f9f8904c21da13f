package io.stratus.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.stratus.core.StratusConfig.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.OptimisticTransactionDB;
import org.rocksdb.OptimisticTransactionOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link Store}: a RocksDB {@link OptimisticTransactionDB} in {@code <dataDir>/rocksdb},
 * one column family per keyspace.
 *
 * <p>Every write goes through the write-ahead log. With {@link Durability#STRICT} each commit is
 * synced before it returns (RocksDB syncs concurrent commits together, so throughput grows with
 * concurrency); with {@link Durability#RELAXED} it is not, and a machine crash (not a process crash)
 * may lose the last writes. Transactions are optimistic: RocksDB checks at commit that no key the
 * transaction read or wrote changed since its snapshot.
 *
 * <p>Thread-safe, as {@link Store} requires. Every native call runs under the read side of a
 * lifecycle lock and {@link #close()} takes the write side, so closing waits for calls in flight
 * and nothing touches the database once it is closed (which would crash the JVM, not throw).
 */
public final class RocksDbStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(RocksDbStore.class);

    static {
        RocksDbNativeLibrary.load();
    }

    /** Write-ahead log files kept for reuse once obsolete (see {@link #open}). */
    public static final int RECYCLED_LOG_FILES = 2;
    /** Write-ahead log size past which the keyspaces holding the oldest log are flushed. */
    public static final long MAX_TOTAL_WAL_BYTES = 128L << 20;

    private final Path dataDir;
    private final Durability durability;
    private final OptimisticTransactionDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnFamilyOptions;
    private final ColumnFamilies families;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions = new ReadOptions();
    private final OptimisticTransactionOptions transactionOptions = new OptimisticTransactionOptions().setSetSnapshot(true);
    private final ChangeListeners listeners = new ChangeListeners();
    private final TransactionRunner transactions = new TransactionRunner(this::beginTransaction);
    private final OpenScans scans = new OpenScans();
    /** Open snapshots and transactions, released on close. */
    private final Set<RocksResource> resources = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private RocksDbStore(Path dataDir, Durability durability, OptimisticTransactionDB db, DBOptions dbOptions,
            ColumnFamilyOptions columnFamilyOptions, ColumnFamilies families) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.durability = requireNonNull(durability, "durability is null");
        this.db = requireNonNull(db, "db is null");
        this.dbOptions = requireNonNull(dbOptions, "dbOptions is null");
        this.columnFamilyOptions = requireNonNull(columnFamilyOptions, "columnFamilyOptions is null");
        this.families = requireNonNull(families, "families is null");
        this.writeOptions = new WriteOptions().setSync(durability == Durability.STRICT);
    }

    /**
     * Opens the store in {@code dataDir}, creating it if needed.
     *
     * @throws StoreFormatException if the directory holds data in a format this build does not read
     * @throws StoreException if the database cannot be opened, e.g. another process has it open
     */
    public static RocksDbStore open(Path dataDir, Durability durability) {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(durability, "durability is null");
        Path database = dataDir.resolve("rocksdb");
        DataDirFormat.checkOrInitialize(dataDir, database);
        var dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(3)
                .setMaxLogFileSize(16L << 20)
                // A synced commit appends to the write-ahead log and fdatasyncs it. Appending grows
                // the file, so every sync also journals the file's new size; a recycled log file is
                // overwritten in place and its sync writes the data alone (on ext4 ~100 µs against
                // ~165 µs). RocksDB 9.x recovers recycled logs in point-in-time mode (the default).
                .setRecycleLogFileNum(RECYCLED_LOG_FILES)
                // A log is obsolete (and recyclable) once every keyspace with writes in it has
                // flushed them; this flushes the keyspaces that hold the oldest log back once the
                // logs pass this size, instead of RocksDB's default of four times all memtables of
                // all keyspaces (gigabytes with many keyspaces, none of it ever recycled).
                .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
                // The leader of a commit group inserts the group's writes into the memtables itself
                // instead of waking every member to insert its own: on few cores those wake-ups
                // were a scheduling round trip in every group's critical path.
                .setAllowConcurrentMemtableWrite(false);
        // Optimistic transactions check conflicts against recent memtables; keeping flushed ones
        // around lets a transaction that spans a flush still be checked instead of failing.
        var columnFamilyOptions = new ColumnFamilyOptions().setMaxWriteBufferNumberToMaintain(2);
        try {
            var descriptors = new ArrayList<ColumnFamilyDescriptor>();
            for (byte[] name : existingColumnFamilies(database)) {
                descriptors.add(new ColumnFamilyDescriptor(name, columnFamilyOptions));
            }
            var handles = new ArrayList<ColumnFamilyHandle>();
            var db = OptimisticTransactionDB.open(dbOptions, database.toString(), descriptors, handles);
            Map<String, ColumnFamilyHandle> byName = new HashMap<>();
            for (int i = 0; i < handles.size(); i++) {
                byName.put(new String(descriptors.get(i).getName(), UTF_8), handles.get(i));
            }
            return new RocksDbStore(dataDir, durability, db, dbOptions, columnFamilyOptions, new ColumnFamilies(db, columnFamilyOptions, byName));
        }
        catch (RocksDBException e) {
            columnFamilyOptions.close();
            dbOptions.close();
            throw new StoreException("cannot open the database in " + database + " (is another Stratus using this --data-dir?): " + e.getMessage(), e);
        }
    }

    private static List<byte[]> existingColumnFamilies(Path database) throws RocksDBException {
        if (!Files.exists(database.resolve("CURRENT"))) {
            return List.of(RocksDB.DEFAULT_COLUMN_FAMILY);
        }
        try (var options = new Options()) {
            return RocksDB.listColumnFamilies(options, database.toString());
        }
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        return whileOpen(() -> db.get(families.handle(keyspace), readOptions, key));
    }

    @Override
    public Scan scan(String keyspace, KeyRange range, boolean reverse) {
        requireNonNull(range, "range is null");
        return whileOpen(() -> scans.track(new RocksScan(this, db.newIterator(families.handle(keyspace), readOptions), range, reverse, scans::forget)));
    }

    @Override
    public void put(String keyspace, byte[] key, byte[] value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        whileOpen(() -> {
            ColumnFamilyHandle family = families.handle(keyspace);
            listeners.commitOne(keyspace, key, value, () -> durableWrite(() -> db.put(family, writeOptions, key, value)));
            return null;
        });
    }

    @Override
    public void delete(String keyspace, byte[] key) {
        requireNonNull(key, "key is null");
        whileOpen(() -> {
            ColumnFamilyHandle family = families.handle(keyspace);
            listeners.commitOne(keyspace, key, null, () -> durableWrite(() -> db.delete(family, writeOptions, key)));
            return null;
        });
    }

    @Override
    public Transaction beginTransaction() {
        return whileOpen(() -> track(new RocksTransaction(this, db.beginTransaction(writeOptions, transactionOptions))));
    }

    @Override
    public <T> T transaction(TransactionBody<T> body) {
        return transactions.run(body);
    }

    @Override
    public Snapshot snapshot() {
        return whileOpen(() -> track(new RocksSnapshot(this, db.getSnapshot())));
    }

    @Override
    public void addListener(String keyspace, ChangeListener listener) {
        requireNonNull(listener, "listener is null");
        whileOpen(() -> {
            listeners.add(Keyspaces.requireValid(keyspace), listener);
            return null;
        });
    }

    @Override
    public StoreInfo info() {
        return new StoreInfo("rocksdb", "rocksdb " + dataDir.toAbsolutePath() + " (durability " + durability.name().toLowerCase(Locale.ROOT) + ")");
    }

    /**
     * Closes open scans, snapshots and transactions, flushes the memtables (so the next open need
     * not replay the log) and closes the database.
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            // Children first, while the database is still open for them to release into.
            scans.invalidateAll("store is closed");
            List.copyOf(resources).forEach(RocksResource::release);
            closed = true;
            try (var flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, families.all());
            }
            catch (RocksDBException e) {
                log.warn("Could not flush {} before closing; the write-ahead log still holds every write", dataDir, e);
            }
            families.closeHandles();
            try {
                db.closeE();
            }
            catch (RocksDBException e) {
                log.warn("Closing the database in {} failed", dataDir, e);
            }
            writeOptions.close();
            readOptions.close();
            transactionOptions.close();
            columnFamilyOptions.close();
            dbOptions.close();
        }
        finally {
            lifecycle.writeLock().unlock();
        }
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle family(String keyspace) throws RocksDBException {
        return families.handle(keyspace);
    }

    ChangeListeners listeners() {
        return listeners;
    }

    void forget(RocksResource resource) {
        resources.remove(resource);
    }

    private <R extends RocksResource> R track(R resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Runs {@code call} unless the store is closed, turning RocksDB failures into store exceptions.
     *
     * @throws IllegalStateException if the store is closed
     */
    <T> T whileOpen(RocksCall<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            return call.call();
        }
        catch (RocksDBException e) {
            throw failure(e);
        }
        finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Runs {@code action}, turning a RocksDB failure into a store exception; for code already inside {@link #whileOpen}. */
    /**
     * Runs a write that may wait for an fsync. A virtual thread inside a native call keeps its
     * carrier thread, and there are only as many carriers as cores: two synced writes would stall
     * every request in the server. So with strict durability a virtual thread hands the write to a
     * platform thread and parks until it is done; RocksDB still syncs concurrent writers together.
     */
    void durableWrite(RocksAction action) {
        if (durability != Durability.STRICT || !Thread.currentThread().isVirtual()) {
            unchecked(action);
            return;
        }
        java.util.concurrent.Future<?> write = SYNC_WRITERS.submit(() -> unchecked(action));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    write.get();
                    return;
                } catch (InterruptedException e) {
                    // Waited out even so: the caller holds the store open (and its transaction's
                    // native objects alive) only until this returns, and closing them under a
                    // write still running would crash the JVM. An fsync takes milliseconds.
                    interrupted = true;
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("write failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Platform threads that wait out fsyncs for virtual threads; more writers queue, and share syncs anyway. */
    private static final java.util.concurrent.ExecutorService SYNC_WRITERS = java.util.concurrent.Executors.newFixedThreadPool(32,
            Thread.ofPlatform().name("stratus-rocksdb-sync-", 0).daemon(true).factory());

    static void unchecked(RocksAction action) {
        try {
            action.run();
        }
        catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Runs {@code action} only if the store is still open; for releasing what the store also releases. */
    void ifOpen(Runnable action) {
        lifecycle.readLock().lock();
        try {
            if (!closed) {
                action.run();
            }
        }
        finally {
            lifecycle.readLock().unlock();
        }
    }

    private static StoreException failure(RocksDBException e) {
        Status.Code code = e.getStatus() == null ? Status.Code.Undefined : e.getStatus().getCode();
        return switch (code) {
            // Busy: a key changed since the transaction's snapshot. TryAgain: RocksDB no longer
            // has the history to tell, so it cannot rule a change out; retrying is the remedy for both.
            case Busy, TryAgain -> new StoreConflictException("transaction conflict: " + e.getMessage(), e);
            default -> new StoreException("RocksDB failed: " + e.getMessage(), e);
        };
    }

    /** A call into RocksDB. */
    @FunctionalInterface
    interface RocksCall<T> {

        T call() throws RocksDBException;
    }

    /** A call into RocksDB that returns nothing. */
    @FunctionalInterface
    interface RocksAction {

        void run() throws RocksDBException;
    }

    /** A native object handed out by the store (a snapshot or transaction), released at the latest on close. */
    interface RocksResource {

        /** Frees the native objects; called once, by the owner's close or the store's. */
        void release();
    }
}
