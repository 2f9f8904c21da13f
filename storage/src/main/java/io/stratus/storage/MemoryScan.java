package io.stratus.storage;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A scan of a {@link MemoryStore} keyspace as of one sequence number, which it holds registered until
 * closed or exhausted. The skip list's iterator is weakly consistent, which is enough: a key visible
 * at the scan's sequence stays in the map while the scan holds that sequence.
 *
 * <p>Not thread-safe.
 */
final class MemoryScan extends CursorScan {

    private final MemoryStore store;
    private final Iterator<Map.Entry<byte[], MemoryStore.Version>> entries;
    private final long seq;

    MemoryScan(MemoryStore store, Iterator<Map.Entry<byte[], MemoryStore.Version>> entries, long seq, Consumer<CursorScan> onClose) {
        super(onClose);
        this.store = store;
        this.entries = entries;
        this.seq = seq;
    }

    @Override
    Entry fetch() {
        store.checkOpen();
        while (entries.hasNext()) {
            var entry = entries.next();
            MemoryStore.Version visible = entry.getValue().visibleAt(seq);
            if (visible != null && visible.value() != null) {
                return new Entry(entry.getKey().clone(), visible.value().clone());
            }
        }
        return null;
    }

    @Override
    void release() {
        store.release(seq);
    }
}
