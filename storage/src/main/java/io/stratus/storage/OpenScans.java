package io.stratus.storage;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scans a snapshot, transaction or store has open, so that closing it closes them and frees what
 * they hold. Thread-safe as a set; closing a scan from another thread is only safe when the caller
 * excludes the scan's own thread (the RocksDB store does, with its close lock).
 */
final class OpenScans {

    private final Set<CursorScan> scans = ConcurrentHashMap.newKeySet();

    <S extends CursorScan> S track(S scan) {
        scans.add(scan);
        return scan;
    }

    void forget(CursorScan scan) {
        scans.remove(scan);
    }

    /** Closes every open scan; using one afterwards throws {@link IllegalStateException} saying {@code why}. */
    void invalidateAll(String why) {
        for (CursorScan scan : List.copyOf(scans)) {
            scan.invalidate(why);
        }
    }
}
