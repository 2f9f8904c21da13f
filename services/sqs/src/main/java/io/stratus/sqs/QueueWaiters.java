package io.stratus.sqs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling receivers when a queue changes. A receiver notes the queue's version before
 * it looks for messages and, finding none, parks until the version moves or its deadline passes;
 * every send, delete and visibility change bumps the version after its commit. Noting the version first means a message sent between
 * the look and the park still wakes the receiver: nothing spins and nothing is missed.
 *
 * <p>Thread-safe; receivers park their (virtual) thread on a condition.
 */
final class QueueWaiters {

    private static final class Signal {
        final ReentrantLock lock = new ReentrantLock();
        final Condition arrived = lock.newCondition();
        long version;
    }

    private final ConcurrentHashMap<QueueAddress, Signal> signals = new ConcurrentHashMap<>();

    long version(QueueAddress queue) {
        Signal signal = signal(queue);
        signal.lock.lock();
        try {
            return signal.version;
        } finally {
            signal.lock.unlock();
        }
    }

    /** Tells receivers of {@code queue} that something changed; call after the change is committed. */
    void notify(QueueAddress queue) {
        Signal signal = signals.get(queue);
        if (signal == null) {
            return;
        }
        signal.lock.lock();
        try {
            signal.version++;
            signal.arrived.signalAll();
        } finally {
            signal.lock.unlock();
        }
    }

    /**
     * Parks until the queue's version differs from {@code seen} or {@code nanos} pass.
     *
     * @return whether the version moved
     */
    boolean await(QueueAddress queue, long seen, long nanos) throws InterruptedException {
        Signal signal = signal(queue);
        signal.lock.lock();
        try {
            long remaining = nanos;
            while (signal.version == seen && remaining > 0) {
                remaining = signal.arrived.awaitNanos(remaining);
            }
            return signal.version != seen;
        } finally {
            signal.lock.unlock();
        }
    }

    /** Forgets a deleted queue. */
    void remove(QueueAddress queue) {
        notify(queue);
        signals.remove(queue);
    }

    private Signal signal(QueueAddress queue) {
        return signals.computeIfAbsent(queue, q -> new Signal());
    }

    static long toNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
