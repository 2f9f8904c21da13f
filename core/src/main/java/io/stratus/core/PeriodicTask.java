package io.stratus.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Background work run again and again, a fixed delay after each run ends, on a daemon thread of its
 * own: the shape of every sweeper, trimmer and expiry worker. A run that throws is reported and the
 * next one comes as planned, so one bad pass never stops the work for good. Closing cancels what is
 * planned, interrupts a run in progress and waits up to five seconds for it to end; failures while
 * closing are not reported. Thread-safe.
 */
public final class PeriodicTask implements AutoCloseable {

    private final Runnable work;
    private final Consumer<RuntimeException> onFailure;
    private final ScheduledExecutorService executor;

    /**
     * @param threadName the thread's name, e.g. {@code dynamodb-ttl}
     * @param work one run
     * @param onFailure told about a run that threw (to log it)
     */
    public PeriodicTask(String threadName, Runnable work, Consumer<RuntimeException> onFailure) {
        this.work = requireNonNull(work, "work is null");
        this.onFailure = requireNonNull(onFailure, "onFailure is null");
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(requireNonNull(threadName, "threadName is null")).factory());
    }

    /** Plans the first run {@code firstDelay} from now, and each next one {@code interval} after the one before ends. */
    public void start(Duration firstDelay, Duration interval) {
        executor.scheduleWithFixedDelay(this::runOnce, firstDelay.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void runOnce() {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (!executor.isShutdown()) {
                onFailure.accept(e);
            }
        }
    }

    /** Whether {@link #close} was called: a long run checks it to stop early. */
    public boolean isClosed() {
        return executor.isShutdown();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
