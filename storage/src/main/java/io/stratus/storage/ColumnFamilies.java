package io.stratus.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The column family of each keyspace of a RocksDB store, one per keyspace, created the first time a
 * keyspace is used. RocksDB's own {@code default} column family serves the keyspace {@code default}.
 *
 * <p>Thread-safe: lookups are lock-free; creation takes a lock so that two threads using a new
 * keyspace at once create it once.
 */
final class ColumnFamilies {

    private final RocksDB db;
    private final ColumnFamilyOptions options;
    private final Map<String, ColumnFamilyHandle> handles;
    private final ReentrantLock createLock = new ReentrantLock();

    /**
     * @param existing the handles of the column families the database was opened with, by name
     * @param options the options of new column families; must stay open as long as this
     */
    ColumnFamilies(RocksDB db, ColumnFamilyOptions options, Map<String, ColumnFamilyHandle> existing) {
        this.db = db;
        this.options = options;
        this.handles = new ConcurrentHashMap<>(existing);
    }

    /**
     * Returns the handle of {@code keyspace}, creating its column family if needed.
     *
     * @throws IllegalArgumentException if the name is not a valid keyspace name
     */
    ColumnFamilyHandle handle(String keyspace) throws RocksDBException {
        requireNonNull(keyspace, "keyspace is null");
        ColumnFamilyHandle handle = handles.get(keyspace);
        if (handle != null) {
            return handle;
        }
        Keyspaces.requireValid(keyspace);
        createLock.lock();
        try {
            handle = handles.get(keyspace);
            if (handle == null) {
                handle = db.createColumnFamily(new ColumnFamilyDescriptor(keyspace.getBytes(UTF_8), options));
                handles.put(keyspace, handle);
            }
            return handle;
        }
        finally {
            createLock.unlock();
        }
    }

    List<ColumnFamilyHandle> all() {
        return List.copyOf(handles.values());
    }

    /** Closes the handles; the database must be closed right after, and nothing used in between. */
    void closeHandles() {
        handles.values().forEach(ColumnFamilyHandle::close);
        handles.clear();
    }
}
