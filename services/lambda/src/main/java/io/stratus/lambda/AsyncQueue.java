package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledged {@code Event} invocations of every function, waiting their turn, as AWS queues
 * them before sending them to the function. Each function's events start in the order they
 * arrived, at most {@code perFunction} at a time, on virtual threads that exist only while the
 * function has events; so a burst of events reuses a few warm environments instead of cold-starting
 * one per event. An event the account has no concurrency for ({@code TooManyRequestsException}) is
 * retried after a backoff, until it runs or Stratus stops; any other failure is the runner's to
 * report. The queue is in memory only: {@link #close()} drops the events not yet started.
 *
 * <p>Thread-safe: the lanes are guarded by this object's monitor, which is never held while an
 * event runs. {@link #enqueue} may be called from any thread.
 */
final class AsyncQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncQueue.class);
    /** How long {@link #close()} waits for interrupted invocations to wind down. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /**
     * One acknowledged invocation.
     *
     * @param invokedArn the ARN the event was sent to (with its qualifier, if any), for the function's context
     * @param done run once the event has run, failed or been dropped (it releases the code the
     *     event pinned when it was acknowledged)
     */
    record Event(FunctionRecord function, String invokedArn, byte[] payload, Runnable done) {
        Event {
            requireNonNull(function, "function is null");
            requireNonNull(payload, "payload is null");
            requireNonNull(done, "done is null");
        }
    }

    /** Runs one event to its end on the calling (worker) thread. */
    @FunctionalInterface
    interface Runner {
        /** @throws AwsException TooManyRequestsException when the account has no concurrency left; the event is retried */
        void run(Event event);
    }

    /** One function's waiting events and how many of its workers are running. */
    private static final class Lane {
        final Deque<Event> pending = new ArrayDeque<>();
        int workers;
    }

    private final int perFunction;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Runner runner;
    private final Map<EnvironmentPool.FunctionKey, Lane> lanes = new HashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lambda-event-", 0).factory());
    private boolean closed;

    /**
     * @param perFunction how many of a function's events may run at once
     * @param backoff how long a throttled event first waits before it is retried; the wait doubles
     *     on each retry, up to {@code maxBackoff}
     * @param runner runs one event; called on a worker thread
     */
    AsyncQueue(int perFunction, Duration backoff, Duration maxBackoff, Runner runner) {
        if (perFunction < 1) {
            throw new IllegalArgumentException("perFunction must be positive: " + perFunction);
        }
        this.perFunction = perFunction;
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
        this.runner = requireNonNull(runner, "runner is null");
    }

    /**
     * Adds an event behind its function's others, and starts a worker for it if the function has
     * fewer than {@code perFunction}.
     *
     * @throws IllegalStateException when the queue is closed; then {@code done} is not run
     */
    void enqueue(Event event) {
        requireNonNull(event, "event is null");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Lambda is stopping");
            }
            EnvironmentPool.FunctionKey key = EnvironmentPool.FunctionKey.of(event.function());
            Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
            lane.pending.addLast(event);
            if (lane.workers < perFunction) {
                lane.workers++;
                workers.execute(() -> drain(key, lane));
            }
        }
    }

    /** How many events wait (not yet started), over all functions. */
    synchronized int pending() {
        return lanes.values().stream().mapToInt(lane -> lane.pending.size()).sum();
    }

    /** A worker: runs the lane's events one after another until it is empty or the queue closes. */
    private void drain(EnvironmentPool.FunctionKey key, Lane lane) {
        while (true) {
            Event event;
            synchronized (this) {
                event = closed ? null : lane.pending.pollFirst();
                if (event == null) {
                    lane.workers--;
                    if (lane.workers == 0 && lane.pending.isEmpty()) {
                        lanes.remove(key, lane);
                    }
                    return;
                }
            }
            try {
                runThrottled(event);
            } finally {
                event.done().run();
            }
        }
    }

    /** Runs an event, retrying it while the account is out of concurrency. */
    private void runThrottled(Event event) {
        Duration wait = backoff;
        while (true) {
            try {
                runner.run(event);
                return;
            } catch (AwsException e) {
                if (e.errorCode() != LambdaErrors.TOO_MANY_REQUESTS) {
                    LOG.warn("Async invocation of {} not run: {}", event.function().arn(), e.getMessage());
                    return;
                }
                LOG.debug("Async invocation of {} throttled; retrying in {}", event.function().arn(), wait);
            } catch (RuntimeException e) {
                if (isClosed()) {
                    LOG.debug("Async invocation of {} stopped with Lambda", event.function().arn(), e);
                } else {
                    LOG.warn("Async invocation of {} failed", event.function().arn(), e);
                }
                return;
            }
            try {
                // Interrupted by close.
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                LOG.info("Lambda stopping: throttled async invocation of {} dropped", event.function().arn());
                return;
            }
            Duration next = wait.multipliedBy(2);
            wait = next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Drops the events not yet started (with a log line), interrupts the running ones (their
     * environments stop) and waits a while for the workers to end.
     */
    @Override
    public void close() {
        List<Event> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Lane lane : lanes.values()) {
                dropped.addAll(lane.pending);
                lane.pending.clear();
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("Lambda stopping: {} async invocation(s) not yet run dropped", dropped.size());
        }
        dropped.forEach(event -> event.done().run());
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Lambda stopping: async invocations still running after {}", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
