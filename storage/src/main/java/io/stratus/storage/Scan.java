package io.stratus.storage;

import java.util.Iterator;

/**
 * The entries of one range scan, in scan order. A scan releases its resources when it is exhausted
 * or closed; close it when stopping early.
 *
 * <p>Not thread-safe: use a scan from one thread at a time.
 */
public interface Scan extends Iterator<Entry>, AutoCloseable {

    /** Releases the scan. Closing twice is harmless. */
    @Override
    void close();
}
