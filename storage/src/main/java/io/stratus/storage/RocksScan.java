package io.stratus.storage;

import java.util.function.Consumer;
import org.rocksdb.RocksIterator;

/**
 * A scan over a RocksDB iterator, which reads one consistent point in time (the iterator's creation,
 * or the snapshot in its read options). Bounds are checked here rather than set on the read options,
 * so the scan owns nothing but the iterator.
 *
 * <p>Not thread-safe. Every native call runs under the store's open check, so a scan never touches a
 * closed database.
 */
final class RocksScan extends CursorScan {

    private final RocksDbStore store;
    private final RocksIterator iterator;
    private final byte[] start;
    private final byte[] end;
    private final boolean reverse;
    private boolean positioned;

    RocksScan(RocksDbStore store, RocksIterator iterator, KeyRange range, boolean reverse, Consumer<CursorScan> onClose) {
        super(onClose);
        this.store = store;
        this.iterator = iterator;
        this.start = range.start();
        this.end = range.end();
        this.reverse = reverse;
    }

    @Override
    Entry fetch() {
        return store.whileOpen(() -> {
            if (!positioned) {
                position();
                positioned = true;
            }
            else if (reverse) {
                iterator.prev();
            }
            else {
                iterator.next();
            }
            if (!iterator.isValid()) {
                iterator.status(); // throws if the iterator stopped on an error rather than at the end
                return null;
            }
            byte[] key = iterator.key();
            boolean inRange = reverse ? start == null || Key.ORDER.compare(key, start) >= 0 : end == null || Key.ORDER.compare(key, end) < 0;
            return inRange ? new Entry(key, iterator.value()) : null;
        });
    }

    private void position() {
        if (!reverse) {
            if (start == null) {
                iterator.seekToFirst();
            }
            else {
                iterator.seek(start);
            }
        }
        else if (end == null) {
            iterator.seekToLast();
        }
        else {
            // The last key at or before the exclusive end, stepping off the end itself.
            iterator.seekForPrev(end);
            if (iterator.isValid() && Key.ORDER.compare(iterator.key(), end) == 0) {
                iterator.prev();
            }
        }
    }

    @Override
    void release() {
        // When the store is already closed it has closed this iterator; closing twice is a no-op
        // for a RocksObject, but after the database is gone it must not be touched at all.
        store.ifOpen(iterator::close);
    }
}
