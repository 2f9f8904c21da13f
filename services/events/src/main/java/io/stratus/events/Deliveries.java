package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers matched events to rule targets. A delivery is written to the store in the same
 * transaction that accepts its event (PutEvents, a scheduled run, an event another service put
 * on a bus), so what EventBridge acknowledged survives a restart; a sender thread delivers it off
 * the request's path through {@link Targets}, as EventBridge acting for the rule
 * ({@code events.amazonaws.com}, {@code aws:SourceArn} the rule's ARN), and removes it once
 * delivered. A failed delivery is retried with exponential backoff (the base delay doubling up to
 * {@link #MAX_DELAY}) until the target's {@code RetryPolicy} is exhausted (by default 185
 * attempts or 24 hours); a missing target or a refusal of permission is not retried. What is not
 * delivered goes to the target's dead-letter queue, if it has one, with AWS's message attributes.
 * Thread-safe; {@link #start()} starts the sender.
 */
final class Deliveries implements AutoCloseable {

    static final int DEFAULT_MAX_RETRIES = 185;
    static final int DEFAULT_MAX_AGE_SECONDS = 86_400;
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    private static final int BATCH = 64;
    /** How often the outbox is looked at without a wake-up (retries fall due without one). */
    private static final Duration IDLE_LOOK = Duration.ofSeconds(1);

    /**
     * A delivery waiting to be made.
     *
     * @param payload what the target gets (the event, or the target's input of it)
     * @param event the event itself, for the dead-letter queue
     * @param forward whether the target is an event bus, which gets the whole event
     * @param acceptedAt when EventBridge accepted the event, epoch milliseconds
     * @param notBefore when the next attempt may be made, epoch milliseconds
     */
    record Pending(String account, String ruleArn, String target, String payload, String event, String messageGroupId,
            String deduplicationId, boolean forward, int attempts, long acceptedAt, long notBefore, int maxRetries, int maxAgeSeconds,
            String deadLetterQueue) {

        Pending retried(long at) {
            return new Pending(account, ruleArn, target, payload, event, messageGroupId, deduplicationId, forward, attempts + 1, acceptedAt,
                    at, maxRetries, maxAgeSeconds, deadLetterQueue);
        }
    }

    private final EventStore store;
    private final Targets targets;
    private final Clock clock;
    private final Duration retryDelay;
    private final ExecutorService sends = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("events-delivery-", 0).factory());
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1_000);
    private volatile boolean closed;
    private Thread sender;

    /** @param retryDelay the delay before the first retry; each later one doubles it, up to {@link #MAX_DELAY} */
    Deliveries(EventStore store, Targets targets, Clock clock, Duration retryDelay) {
        this.store = requireNonNull(store, "store is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
    }

    /** EventBridge delivering for a rule, as a target's resource policy sees it. */
    static ServiceCaller caller(String ruleArn, String account) {
        return new ServiceCaller("events.amazonaws.com", ruleArn, account);
    }

    /** Records a delivery in {@code txn}; call {@link #wake()} once it committed. */
    void enqueue(Transaction txn, Pending pending) {
        txn.put(EventStore.DELIVERIES, Key.builder().add(sequence.incrementAndGet()).build(), EventStore.write(pending));
    }

    void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    void start() {
        sender = Thread.ofVirtual().name("events-sender").start(this::sendLoop);
    }

    private void sendLoop() {
        while (!closed) {
            long wait = IDLE_LOOK.toMillis();
            try {
                wait = Math.min(wait, sendDue());
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("EventBridge: delivery round failed, trying again shortly", e);
            }
            try {
                wakeUps.tryAcquire(Math.max(1, wait), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Makes the deliveries that are due and settles each; returns milliseconds to wait, 0 to go on. */
    private long sendDue() {
        long now = clock.millis();
        long nextDue = Long.MAX_VALUE;
        Map<byte[], Pending> due = new LinkedHashMap<>();
        try (Scan scan = store.store().scan(EventStore.DELIVERIES, KeyRange.all())) {
            while (scan.hasNext() && due.size() < BATCH) {
                Entry entry = scan.next();
                Pending pending = EventStore.read(entry.value(), Pending.class);
                if (pending.notBefore() <= now) {
                    due.put(entry.key(), pending);
                } else {
                    nextDue = Math.min(nextDue, pending.notBefore() - now);
                }
            }
        }
        if (due.isEmpty()) {
            return nextDue;
        }
        Map<byte[], Future<Failure>> sent = new LinkedHashMap<>();
        due.forEach((key, pending) -> sent.put(key, sends.submit(() -> sendOnce(pending))));
        Map<byte[], Pending> retries = new LinkedHashMap<>();
        sent.forEach((key, future) -> {
            Failure failure = outcome(future);
            if (failure == null) {
                return;
            }
            Pending pending = due.get(key);
            long at = now + delay(pending.attempts());
            String exhausted = !failure.retryable() ? null
                    : pending.attempts() >= pending.maxRetries() ? "MaximumRetryAttempts"
                    : at - pending.acceptedAt() > pending.maxAgeSeconds() * 1000L ? "MaximumEventAgeInSeconds"
                    : "";
            if (exhausted != null && exhausted.isEmpty()) {
                retries.put(key, pending.retried(at));
            } else {
                deadLetter(pending, failure, exhausted);
            }
        });
        store.store().transaction(txn -> {
            due.keySet().forEach(key -> txn.delete(EventStore.DELIVERIES, key));
            retries.forEach((key, pending) -> txn.put(EventStore.DELIVERIES, key, EventStore.write(pending)));
            return null;
        });
        return 0;
    }

    private long delay(int attempts) {
        long delay = retryDelay.toMillis() << Math.min(attempts, 20);
        return Math.min(Math.max(delay, 0), MAX_DELAY.toMillis());
    }

    /** Why a delivery failed: EventBridge's error code for it, and whether trying again could help. */
    record Failure(String code, String message, boolean retryable) {}

    private Failure sendOnce(Pending pending) {
        try {
            Targets.Options options = new Targets.Options(pending.messageGroupId(), pending.deduplicationId(), Map.of(),
                    caller(pending.ruleArn(), pending.account()), null, null);
            targets.deliver(Arn.parse(pending.target()), pending.payload().getBytes(StandardCharsets.UTF_8), options);
            return null;
        } catch (AwsException e) {
            LOG.debug("EventBridge delivery to {} failed: {}", pending.target(), e.getMessage());
            return classify(e);
        } catch (RuntimeException e) {
            LOG.debug("EventBridge delivery to {} failed", pending.target(), e);
            return new Failure("INTERNAL_ERROR", String.valueOf(e.getMessage()), true);
        }
    }

    /** A missing target or a refused permission will fail again until someone acts: not retried, as on AWS. */
    static Failure classify(AwsException e) {
        String code = e.errorCode().code();
        if (code.contains("NotFound") || code.contains("NonExistent") || code.contains("DoesNotExist")) {
            return new Failure("NO_RESOURCE", e.getMessage(), false);
        }
        if (code.startsWith("AccessDenied") || code.equals("AuthorizationError")) {
            return new Failure("NO_PERMISSIONS", e.getMessage(), false);
        }
        if (code.contains("Throttl") || code.contains("TooManyRequests")) {
            return new Failure("THROTTLING", e.getMessage(), true);
        }
        return new Failure(e.errorCode().httpStatus() >= 500 ? "INTERNAL_ERROR" : "SDK_CLIENT_ERROR", e.getMessage(), true);
    }

    private void deadLetter(Pending pending, Failure failure, String exhausted) {
        if (pending.deadLetterQueue() == null) {
            LOG.warn("EventBridge dropped an event for {} of {} after {} attempts: {} {}", pending.target(), pending.ruleArn(),
                    pending.attempts() + 1, failure.code(), failure.message());
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("RULE_ARN", pending.ruleArn());
        attributes.put("TARGET_ARN", pending.target());
        attributes.put("ERROR_CODE", failure.code());
        attributes.put("ERROR_MESSAGE", failure.message() == null ? failure.code() : failure.message());
        if (exhausted != null) {
            attributes.put("EXHAUSTED_RETRY_CONDITION", exhausted);
        }
        attributes.put("RETRY_ATTEMPTS", Integer.toString(pending.attempts()));
        try {
            targets.deliver(Arn.parse(pending.deadLetterQueue()), pending.event().getBytes(StandardCharsets.UTF_8),
                    new Targets.Options(null, null, attributes, caller(pending.ruleArn(), pending.account()), null, null));
        } catch (RuntimeException e) {
            LOG.warn("EventBridge could not send an undelivered event of {} to its dead-letter queue {}: {}", pending.ruleArn(),
                    pending.deadLetterQueue(), e.getMessage());
        }
    }

    private static Failure outcome(Future<Failure> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure("INTERNAL_ERROR", "interrupted", true);
        } catch (ExecutionException e) {
            return new Failure("INTERNAL_ERROR", String.valueOf(e.getCause()), true);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            sender.interrupt();
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sends.shutdownNow();
    }
}
