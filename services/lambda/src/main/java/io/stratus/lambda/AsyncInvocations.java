package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.lambda.ControlModel.DestinationConfig;
import io.stratus.lambda.FunctionStore.Attachment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Event} invocations as AWS runs them. An acknowledged event is written to the store
 * ({@link EventStore}) before Invoke answers 202, waits in its function's lane ({@link AsyncQueue}),
 * and leaves the store only at a final outcome: it succeeded (then its {@code OnSuccess}
 * destination gets the invocation record), or it failed {@code MaximumRetryAttempts + 1} times
 * (default 3), or grew older than {@code MaximumEventAgeInSeconds} (default 6 hours) before it could
 * run again (then its {@code OnFailure} destination gets the record, or else its function's
 * dead-letter queue the event; see {@link Destinations}). A failed attempt (a function error, a
 * timeout, a runtime that exits) is retried after the retry delay, then twice that (AWS: about 1
 * and 2 minutes), at the back of its function's lane; a throttled one is tried again after a
 * short backoff until it runs or is too old. The event invoke config that applies is the one of
 * the qualifier the event was sent to, read when it is needed. Ages and retry times are told by
 * the service's clock, so a test that moves the clock moves them too.
 *
 * <p>A delivery to a destination or dead-letter queue that fails in a way a later try may not (the
 * queue or function does not exist yet, the target is throttled or failing; see
 * {@link Destinations#deliver}) is tried again, up to {@link #MAX_DELIVERY_RETRIES} times, after the
 * retry delay, then twice, four, eight and sixteen times that (AWS documents no schedule; with the
 * default delay the last try is 31 minutes after the first). Meanwhile the event stays in the store
 * with what is to be delivered, so the retries outlive a restart; the function does not run again.
 *
 * <p>Durability: on start, the stored events are queued again in arrival order (those waiting for
 * a retry at their retry time), each pinning the code it was acknowledged with. An attempt that a
 * stop interrupts does not count: the event runs again after the next start. So each event runs
 * at least once, and its outcome is delivered at most once unless Stratus stops between delivering
 * it and deleting the event.
 *
 * <p>Thread-safe: {@link #enqueue} may be called from any thread; the retry timer is one virtual
 * thread, the retries waiting for it are guarded by this object's monitor.
 */
final class AsyncInvocations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncInvocations.class);
    /** AWS's defaults when the event invoke config does not say. */
    static final int DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
    static final Duration DEFAULT_MAXIMUM_EVENT_AGE = Duration.ofHours(6);
    /** The first wait before a throttled event is tried again; it doubles up to {@link #MAX_THROTTLE_BACKOFF}. */
    private static final Duration THROTTLE_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_THROTTLE_BACKOFF = Duration.ofSeconds(2);
    /**
     * How often the retry timer looks at the clock while a retry waits: a test clock can jump, so
     * the timer cannot just sleep until the retry is due.
     */
    private static final Duration TICK = Duration.ofMillis(200);
    /** How often a failed delivery to a destination or dead-letter queue is tried again. */
    static final int MAX_DELIVERY_RETRIES = 5;

    /** What an event invoke config sets, with AWS's defaults. */
    private record Policy(int maximumRetryAttempts, Duration maximumEventAge, String onSuccess, String onFailure) {}

    private final Invoker invoker;
    private final EventStore events;
    private final FunctionStore functions;
    private final CodeStore code;
    private final Destinations destinations;
    private final Clock clock;
    private final Duration retryDelay;
    private final AsyncQueue queue;
    /** The code each event not yet at its outcome holds, by request id. */
    private final Map<String, CodeStore.Reference> pinned = new ConcurrentHashMap<>();
    private final PriorityQueue<QueuedEvent> retries = new PriorityQueue<>(Comparator.comparing(QueuedEvent::retryAt));
    private final AtomicLong sequence = new AtomicLong();
    private volatile Thread timer;
    private volatile boolean closed;

    /**
     * @param perFunction how many of a function's events may run at once
     * @param retryDelay the wait before the first retry of a failed event (the second waits twice as long)
     */
    AsyncInvocations(Invoker invoker, EventStore events, FunctionStore functions, CodeStore code, Destinations destinations, Clock clock,
            int perFunction, Duration retryDelay) {
        this.invoker = requireNonNull(invoker, "invoker is null");
        this.events = requireNonNull(events, "events is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.code = requireNonNull(code, "code is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
        this.queue = new AsyncQueue(perFunction, THROTTLE_BACKOFF, MAX_THROTTLE_BACKOFF, this::attempt);
    }

    /**
     * Queues again the events a previous run acknowledged and did not finish, and starts the retry
     * timer. Call once, on start, before any new event.
     */
    void start() {
        int resumed = 0;
        for (QueuedEvent event : events.all()) {
            sequence.accumulateAndGet(event.sequence(), Math::max);
            if (event.delivery() == null) {
                // A delivery waiting for a retry does not run the function again: it holds no code.
                pinned.put(event.requestId(), code.reference(event.function()));
            }
            if (event.retryAt() != null) {
                schedule(event);
            } else {
                queue.enqueue(event);
            }
            resumed++;
        }
        if (resumed > 0) {
            LOG.info("{} async invocation(s) acknowledged before the last stop queued again", resumed);
        }
        timer = Thread.ofVirtual().name("lambda-event-retries").start(this::retryLoop);
    }

    /**
     * Acknowledges an {@code Event} invocation: stores it and queues it behind its function's
     * others. {@code code} (the function version it runs) is held until the event's final outcome;
     * when this throws, the event is not acknowledged and {@code code} is the caller's to close.
     *
     * @param requestId the invocation's request id (Invoke's, for the 202 it answers)
     * @param trace the X-Ray trace header the invocation came with, or null
     */
    void enqueue(CodeStore.Reference code, String requestId, String invokedArn, byte[] payload, String trace) {
        FunctionRecord function = code.function();
        // A missing interpreter is the caller's error, at once, as for a synchronous Invoke.
        FunctionRuntime.of(function.runtime()).interpreter();
        if (closed) {
            throw new IllegalStateException("Lambda is stopping");
        }
        // Arrival order survives restarts: a sequence above every stored one and, usually, the wall clock's microseconds.
        long next = sequence.accumulateAndGet(System.currentTimeMillis() * 1000, (last, now) -> Math.max(last + 1, now));
        QueuedEvent event = new QueuedEvent(requestId, next, function, invokedArn, payload, clock.instant(), 0, null, null, null, trace);
        events.put(event);
        pinned.put(requestId, code);
        try {
            queue.enqueue(event);
        } catch (IllegalStateException e) {
            // Stopping: it is stored and acknowledged, and runs after the next start.
            pinned.remove(requestId);
            code.close();
        }
    }

    /** One attempt of an event, run by a lane worker, and what follows from its outcome. */
    private void attempt(QueuedEvent event) {
        if (event.delivery() != null) {
            deliver(event, event.delivery());
            return;
        }
        Policy policy = policy(event);
        if (tooOld(event, policy)) {
            finish(event, Destinations.Condition.EVENT_AGE_EXCEEDED, event.attempts(), event.lastResponse(), policy);
            return;
        }
        QueuedEvent.Response response;
        try {
            FunctionInvoker.Result result = invoker.invoke(event.function(), event.invokedArn(), event.payload(), null, false, event.requestId(),
                    event.traceHeader()).result();
            response = new QueuedEvent.Response(result.statusCode(), result.functionError(), result.payload());
        } catch (AwsException e) {
            if (e.errorCode() == LambdaErrors.TOO_MANY_REQUESTS) {
                // The lane backs off and tries again; the age check above ends it in time.
                throw e;
            }
            response = systemError(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
            if (e.errorCode() == LambdaErrors.RECURSIVE_INVOCATION) {
                // A loop stops at once, without retries: to the failure destination or dead-letter queue, if there is one.
                LOG.warn("Async invocation {} of {} stopped: its events run in a recursive loop", event.requestId(), event.function().qualifiedArn());
                finish(event, Destinations.Condition.RETRIES_EXHAUSTED, event.attempts(), response, policy);
                return;
            }
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            LOG.warn("Async invocation {} of {} failed to run", event.requestId(), event.function().qualifiedArn(), e);
            response = systemError(500, "ServiceException", String.valueOf(e.getMessage()));
        }
        if (closed) {
            // Stopped under it: the attempt does not count, the event runs again after the next start.
            return;
        }
        int attempts = event.attempts() + 1;
        if (!response.failed()) {
            finish(event, Destinations.Condition.SUCCESS, attempts, response, policy);
        } else if (attempts <= policy.maximumRetryAttempts()) {
            // 1 x the delay after the first failure, 2 x after the second.
            QueuedEvent retry = event.retrying(attempts, response, clock.instant().plus(retryDelay.multipliedBy(1L << (attempts - 1))));
            LOG.debug("Async invocation {} of {} failed (attempt {}); retrying at {}", event.requestId(), event.function().qualifiedArn(),
                    attempts, retry.retryAt());
            events.put(retry);
            schedule(retry);
        } else {
            finish(event, Destinations.Condition.RETRIES_EXHAUSTED, attempts, response, policy);
        }
    }

    private boolean tooOld(QueuedEvent event, Policy policy) {
        return Duration.between(event.acknowledged(), clock.instant()).compareTo(policy.maximumEventAge()) > 0;
    }

    /**
     * The event's final outcome: it lets go of its code, and goes to its destination or dead-letter
     * queue (if any); it leaves the store once that is delivered or given up on.
     */
    private void finish(QueuedEvent event, Destinations.Condition condition, int attempts, QueuedEvent.Response response, Policy policy) {
        QueuedEvent.Delivery delivery = condition == Destinations.Condition.SUCCESS
                ? destinations.success(event, attempts, response, policy.onSuccess())
                : destinations.failure(event, condition, attempts, response, policy.onFailure(), event.function().deadLetterTargetArn());
        CodeStore.Reference reference = pinned.remove(event.requestId());
        if (reference != null) {
            reference.close();
        }
        if (delivery == null) {
            events.delete(event);
        } else {
            deliver(event, delivery);
        }
    }

    /** One try of an event's delivery; after a failure another may follow, after a wait, kept in the store meanwhile. */
    private void deliver(QueuedEvent event, QueuedEvent.Delivery delivery) {
        boolean last = delivery.attempts() >= MAX_DELIVERY_RETRIES;
        Destinations.Outcome outcome = destinations.deliver(event, delivery, last);
        if (closed && outcome == Destinations.Outcome.RETRY) {
            // Stopped under it: the event keeps its delivery (or its outcome) in the store for the next start.
            return;
        }
        if (outcome == Destinations.Outcome.RETRY) {
            QueuedEvent.Delivery tried = delivery.tried();
            QueuedEvent waiting = event.delivering(tried, clock.instant().plus(retryDelay.multipliedBy(1L << (tried.attempts() - 1))));
            events.put(waiting);
            schedule(waiting);
        } else {
            events.delete(event);
        }
    }

    /** The event invoke config of the qualifier the event was sent to, as it is now. */
    private Policy policy(QueuedEvent event) {
        FunctionRecord f = event.function();
        EventInvokeOperations.Config config = functions.attachment(Attachment.EVENT_INVOKE_CONFIG, f.accountId(), f.region(), f.name(),
                event.configQualifier(), EventInvokeOperations.Config.class).orElse(null);
        if (config == null) {
            return new Policy(DEFAULT_MAXIMUM_RETRY_ATTEMPTS, DEFAULT_MAXIMUM_EVENT_AGE, null, null);
        }
        DestinationConfig destinations = config.destinationConfig();
        return new Policy(
                config.maximumRetryAttempts() == null ? DEFAULT_MAXIMUM_RETRY_ATTEMPTS : config.maximumRetryAttempts(),
                config.maximumEventAgeInSeconds() == null ? DEFAULT_MAXIMUM_EVENT_AGE : Duration.ofSeconds(config.maximumEventAgeInSeconds()),
                destinations == null || destinations.onSuccess() == null ? null : destinations.onSuccess().destination(),
                destinations == null || destinations.onFailure() == null ? null : destinations.onFailure().destination());
    }

    /** An attempt Lambda itself could not run (the code is gone, the runtime cannot start), as a failed response. */
    private static QueuedEvent.Response systemError(int status, String type, String message) {
        return new QueuedEvent.Response(status, "Unhandled", ExecutionEnvironment.errorDocument(type, message));
    }

    private synchronized void schedule(QueuedEvent retry) {
        retries.add(retry);
        notifyAll();
    }

    /** The retry timer: hands each retry to its lane once the clock reaches its time. */
    private void retryLoop() {
        while (true) {
            QueuedEvent due;
            synchronized (this) {
                while (true) {
                    if (closed) {
                        return;
                    }
                    QueuedEvent next = retries.peek();
                    Instant now = clock.instant();
                    if (next != null && !next.retryAt().isAfter(now)) {
                        due = retries.poll();
                        break;
                    }
                    long wait = next == null ? 0 : Math.max(1, Math.min(TICK.toMillis(), Duration.between(now, next.retryAt()).toMillis()));
                    try {
                        wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                queue.enqueue(due);
            } catch (IllegalStateException e) {
                return;
            }
        }
    }

    /**
     * Stops: running attempts are interrupted and do not count, and every event not at its
     * outcome stays in the store for the next start.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        queue.close();
        if (timer != null) {
            timer.interrupt();
        }
        pinned.values().forEach(CodeStore.Reference::close);
        pinned.clear();
    }
}
