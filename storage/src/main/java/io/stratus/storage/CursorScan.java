package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The bookkeeping every store's scan shares: one entry of lookahead, releasing resources exactly
 * once when closed or exhausted, and failing clearly when what the scan read from (a snapshot, a
 * transaction, the store) was closed under it.
 *
 * <p>Not thread-safe.
 */
abstract class CursorScan implements Scan {

    private final Consumer<CursorScan> onClose;
    private Entry next;
    private boolean closed;
    private String invalidated;

    /** @param onClose told once, when the scan closes, so an owner can stop tracking it */
    CursorScan(Consumer<CursorScan> onClose) {
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    /** Returns the next entry in scan order, or {@code null} when there are no more. */
    abstract Entry fetch();

    /** Frees the scan's resources; called once. */
    abstract void release();

    @Override
    public final boolean hasNext() {
        if (invalidated != null) {
            throw new IllegalStateException(invalidated);
        }
        if (next == null && !closed) {
            next = fetch();
            if (next == null) {
                close();
            }
        }
        return next != null;
    }

    @Override
    public final Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry entry = next;
        next = null;
        return entry;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            next = null;
            try {
                release();
            }
            finally {
                onClose.accept(this);
            }
        }
    }

    /** Closes the scan because {@code why}; using it afterwards throws with that reason. */
    final void invalidate(String why) {
        invalidated = why;
        close();
    }
}
