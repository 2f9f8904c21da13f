package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.storage.Transaction;
import io.stratus.storage.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers matched events to rule targets. A delivery is written to the store in the same
 * transaction that accepts its event (PutEvents, a scheduled run, an event another service put
 * on a bus), so what EventBridge acknowledged survives a restart; a sender thread delivers it off
 * the request's path through {@link Targets}, as EventBridge acting for the rule
 * ({@code events.amazonaws.com}, {@code aws:SourceArn} the rule's ARN), and removes it once
 * delivered (an {@link Outbox}). A failed delivery is retried with exponential backoff (the base
 * delay doubling up to {@link #MAX_DELAY}) until the target's {@code RetryPolicy} is exhausted (by
 * default 185 attempts or 24 hours); a missing target or a refusal of permission is not retried.
 * What is not delivered goes to the target's dead-letter queue, if it has one, with AWS's message
 * attributes. Thread-safe; {@link #start()} starts the sender.
 */
final class Deliveries implements Outbox.Courier<Deliveries.Pending>, AutoCloseable {

    static final int DEFAULT_MAX_RETRIES = 185;
    static final int DEFAULT_MAX_AGE_SECONDS = 86_400;
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

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

    private final Targets targets;
    private final Duration retryDelay;
    private final Outbox<Pending> outbox;

    /** @param retryDelay the delay before the first retry; each later one doubles it, up to {@link #MAX_DELAY} */
    Deliveries(EventStore store, Targets targets, Clock clock, Duration retryDelay) {
        this.targets = requireNonNull(targets, "targets is null");
        this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
        this.outbox = new Outbox<>("events-delivery", store.store(), EventStore.DELIVERIES, clock, this);
    }

    /** EventBridge delivering for a rule, as a target's resource policy sees it. */
    static ServiceCaller caller(String ruleArn, String account) {
        return new ServiceCaller("events.amazonaws.com", ruleArn, account);
    }

    /** Records a delivery in {@code txn}; call {@link #wake()} once it committed. */
    void enqueue(Transaction txn, Pending pending) {
        outbox.add(txn, pending);
    }

    void wake() {
        outbox.wake();
    }

    void start() {
        outbox.start();
    }

    @Override
    public byte[] encode(Pending pending) {
        return EventStore.write(pending);
    }

    @Override
    public Pending decode(byte[] stored) {
        return EventStore.read(stored, Pending.class);
    }

    @Override
    public long dueAt(Pending pending) {
        return pending.notBefore();
    }

    /** Makes one attempt; a failure is retried later, or ends in the dead-letter queue when it may not or no longer be. */
    @Override
    public Pending deliver(Pending pending, long now) {
        Failure failure = sendOnce(pending);
        if (failure == null) {
            return null;
        }
        long at = now + delay(pending.attempts());
        String exhausted = !failure.retryable() ? null
                : pending.attempts() >= pending.maxRetries() ? "MaximumRetryAttempts"
                : at - pending.acceptedAt() > pending.maxAgeSeconds() * 1000L ? "MaximumEventAgeInSeconds"
                : "";
        if (exhausted != null && exhausted.isEmpty()) {
            return pending.retried(at);
        }
        deadLetter(pending, failure, exhausted);
        return null;
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
                    caller(pending.ruleArn(), pending.account()));
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
                    new Targets.Options(null, null, Queues.MessageAttribute.strings(attributes), caller(pending.ruleArn(), pending.account())));
        } catch (RuntimeException e) {
            LOG.warn("EventBridge could not send an undelivered event of {} to its dead-letter queue {}: {}", pending.ruleArn(),
                    pending.deadLetterQueue(), e.getMessage());
        }
    }

    @Override
    public void close() {
        outbox.close();
    }
}
