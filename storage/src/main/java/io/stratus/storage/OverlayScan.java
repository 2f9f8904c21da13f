package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A transaction's view of a range: the entries of a scan of the store as of the transaction's start,
 * with the transaction's own writes laid over them (a written value replaces or adds an entry, a
 * delete hides one).
 *
 * <p>Not thread-safe: used by the transaction's thread.
 */
final class OverlayScan implements Scan {

    private final Scan base;
    private final Iterator<Map.Entry<byte[], byte[]>> own;
    private final Comparator<byte[]> order;
    private final Consumer<byte[]> onBaseKey;
    private Entry pendingBase;
    private Map.Entry<byte[], byte[]> pendingOwn;
    private Entry next;

    /**
     * @param own the transaction's writes in the range, in scan order, {@code null} values deletes
     * @param onBaseKey told each key the scan returns from the store, so the transaction can check
     *        at commit that nobody changed it
     */
    OverlayScan(Scan base, Iterator<Map.Entry<byte[], byte[]>> own, boolean reverse, Consumer<byte[]> onBaseKey) {
        this.base = requireNonNull(base, "base is null");
        this.own = requireNonNull(own, "own is null");
        this.order = reverse ? Key.ORDER.reversed() : Key.ORDER;
        this.onBaseKey = requireNonNull(onBaseKey, "onBaseKey is null");
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (pendingBase == null && base.hasNext()) {
                pendingBase = base.next();
            }
            if (pendingOwn == null && own.hasNext()) {
                pendingOwn = own.next();
            }
            if (pendingBase == null && pendingOwn == null) {
                close();
                return false;
            }
            int baseFirst = pendingBase == null ? 1 : pendingOwn == null ? -1 : order.compare(pendingBase.key(), pendingOwn.getKey());
            if (baseFirst < 0) {
                next = pendingBase;
                pendingBase = null;
                onBaseKey.accept(next.key());
            }
            else {
                if (baseFirst == 0) {
                    pendingBase = null; // shadowed by the transaction's own write
                }
                var write = pendingOwn;
                pendingOwn = null;
                if (write.getValue() != null) {
                    next = new Entry(write.getKey().clone(), write.getValue().clone());
                }
            }
        }
        return true;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry entry = next;
        next = null;
        return entry;
    }

    @Override
    public void close() {
        base.close();
    }
}
