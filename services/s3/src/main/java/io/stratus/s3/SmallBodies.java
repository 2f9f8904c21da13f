package io.stratus.s3;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of small bodies read lately, by body id, so a GetObject of a small object that is read
 * again costs no file open, read and close. Bodies never change once written (a new version is a
 * new body with a new id), so a kept copy is never stale; a deleted body's copy is dropped with it
 * and could not be asked for anyway, since no record names it any more. Bounded by
 * {@link #MAX_TOTAL_BYTES}, give or take the bodies of puts racing a clearing (cleared when full), and only bodies up to {@link #MAX_BODY_BYTES} are
 * kept: large objects are always streamed from their files. Safe for concurrent use.
 */
final class SmallBodies {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final long MAX_TOTAL_BYTES = 32L * 1024 * 1024;

    private final ConcurrentHashMap<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    /** The kept bytes of a body, or null. */
    byte[] get(String id) {
        return bodies.get(id);
    }

    void put(String id, byte[] bytes) {
        if (bytes.length > MAX_BODY_BYTES) {
            return;
        }
        if (totalBytes.addAndGet(bytes.length) > MAX_TOTAL_BYTES) {
            // Cleared rather than ordered by use: the next reads fill it again from the page cache.
            bodies.clear();
            totalBytes.set(bytes.length);
        }
        byte[] previous = bodies.put(id, bytes);
        if (previous != null) {
            totalBytes.addAndGet(-previous.length);
        }
    }

    void remove(String id) {
        byte[] removed = bodies.remove(id);
        if (removed != null) {
            totalBytes.addAndGet(-removed.length);
        }
    }
}
