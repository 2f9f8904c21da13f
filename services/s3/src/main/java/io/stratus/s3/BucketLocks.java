package io.stratus.s3;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps a bucket's record from changing while an object write into the bucket commits, so the
 * write can read the record outside its transaction. A transaction that reads a key holds the
 * store's lock on that key through its commit, write-ahead-log sync included: object writes that
 * all read their bucket's record inside their transactions commit one after another and never
 * share a sync (about one durable PutObject per fsync, whatever the number of clients). Read under
 * the shared side of these locks instead, they commit side by side. The changes of a bucket record
 * that matter to an object write (DeleteBucket, PutBucketVersioning) take the exclusive side, so an
 * object write still commits against the bucket as it is: never into a deleted bucket, always with
 * the current versioning status.
 *
 * <p>In-process locks suffice: one Stratus process owns its store. Bucket names share a fixed set
 * of stripes. Thread-safe.
 */
final class BucketLocks {

    private static final int STRIPES = 64;

    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];

    BucketLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** Runs an object write into {@code bucket}: the bucket's record does not change meanwhile. */
    <T> T shared(String bucket, Supplier<T> body) {
        return run(stripe(bucket).readLock(), body);
    }

    /** Runs a change of {@code bucket}'s record: no object write into the bucket is committing meanwhile. */
    <T> T exclusive(String bucket, Supplier<T> body) {
        return run(stripe(bucket).writeLock(), body);
    }

    private ReentrantReadWriteLock stripe(String bucket) {
        return stripes[Math.floorMod(bucket.hashCode(), STRIPES)];
    }

    private static <T> T run(Lock lock, Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
