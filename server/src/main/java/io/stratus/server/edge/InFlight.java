package io.stratus.server.edge;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests being handled, so a stop can refuse new ones and wait, bounded, for the rest.
 * Thread-safe.
 */
public final class InFlight {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;
    private boolean draining;

    /** Registers a request; false once draining has begun. */
    boolean enter() {
        lock.lock();
        try {
            if (draining) {
                return false;
            }
            count++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            if (--count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests and waits up to {@code timeout} for the running ones; true if all finished. */
    public boolean drain(Duration timeout) {
        lock.lock();
        try {
            draining = true;
            long nanos = timeout.toNanos();
            while (count > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            return count == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
