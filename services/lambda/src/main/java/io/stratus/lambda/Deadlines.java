package io.stratus.lambda;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Invocations' timeouts, kept by one thread that sleeps until the earliest deadline.
 *
 * <p>{@link CompletableFuture#orTimeout} would schedule a task per invocation on the JDK's shared
 * delay queue and cancel it when the invocation ends; an ended invocation's task leaves the queue,
 * so the next one is often its new head, and a new head wakes the queue's thread: a thread wake-up
 * per invocation. Here a new deadline wakes the watching thread only when it is earlier than the
 * time that thread already means to wake at, which functions of one timeout never are: a thread
 * that finds nothing due goes back to sleep until the earliest deadline still watched, and never
 * longer than {@link #IDLE_NANOS}, so an idle watcher's next wake-up is soon enough for any new
 * deadline of at least that.
 *
 * <p>Thread-safe.
 */
final class Deadlines {

    static final Deadlines SHARED = new Deadlines();

    /** The longest the watching thread sleeps, also when nothing is watched: under Lambda's shortest timeout, a second. */
    private static final long IDLE_NANOS = 500_000_000L;

    private record Watched(long deadlineNanos, long sequence, CompletableFuture<?> future) implements Comparable<Watched> {

        @Override
        public int compareTo(Watched other) {
            int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    private final ConcurrentSkipListSet<Watched> watched = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    /** When the watching thread wakes next, by {@link System#nanoTime()}. */
    private volatile long wakeAtNanos;
    private final Thread watcher;

    private Deadlines() {
        wakeAtNanos = System.nanoTime() + IDLE_NANOS;
        watcher = Thread.ofPlatform().daemon().name("lambda-deadlines").unstarted(this::watch);
        watcher.start();
    }

    /**
     * Completes {@code future} exceptionally with a {@link TimeoutException} at {@code deadlineNanos}
     * (by {@link System#nanoTime()}) unless it completed before; stops watching it when it completes.
     */
    void watch(CompletableFuture<?> future, long deadlineNanos) {
        Watched entry = new Watched(deadlineNanos, sequence.incrementAndGet(), future);
        watched.add(entry);
        future.whenComplete((result, failure) -> watched.remove(entry));
        if (deadlineNanos - wakeAtNanos < 0) {
            LockSupport.unpark(watcher);
        }
    }

    private void watch() {
        while (true) {
            long now = System.nanoTime();
            Watched first;
            while ((first = firstOrNull()) != null && first.deadlineNanos() - now <= 0) {
                watched.remove(first);
                first.future().completeExceptionally(new TimeoutException());
            }
            long wakeAt = first == null ? now + IDLE_NANOS : Math.min(first.deadlineNanos(), now + IDLE_NANOS);
            wakeAtNanos = wakeAt;
            // A deadline added since the look above that is earlier than wakeAt has unparked this thread (or will).
            Watched added = firstOrNull();
            if (added == null || added.deadlineNanos() - wakeAt >= 0) {
                LockSupport.parkNanos(this, wakeAt - System.nanoTime());
            }
        }
    }

    private Watched firstOrNull() {
        Iterator<Watched> earliest = watched.iterator();
        return earliest.hasNext() ? earliest.next() : null;
    }
}
