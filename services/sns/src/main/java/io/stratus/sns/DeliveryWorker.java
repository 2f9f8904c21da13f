package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the outbox holds, deliveries of earlier runs included, through {@link Targets} as
 * SNS acting for the topic (so the queue's policy or the function's permission must allow
 * {@code sns.amazonaws.com}), and settles each: removed once delivered; on a client-side error
 * (the endpoint is gone, its policy refuses SNS, it refuses the message) moved to the
 * subscription's dead-letter queue at once, as SNS does; on any other error tried again by the
 * {@link RetryPolicy}, and moved to the dead-letter queue when it is used up. Without a
 * dead-letter queue a message that fails for good is dropped with a warning. The deliveries of a
 * FIFO message group go one after the other, in order; a failed one holds back the rest of its
 * group. Delivery is at least once: a crash between a delivery and its settling repeats it.
 * Thread-safe; {@link #start()} starts the delivery thread, {@link #close()} stops it after the
 * round in progress.
 */
final class DeliveryWorker implements AutoCloseable {

    static final String SERVICE_PRINCIPAL = "sns.amazonaws.com";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** How many due deliveries one round makes at most. */
    private static final int BATCH = 256;
    /**
     * How many pending deliveries one round looks at: more than it makes, so deliveries waiting
     * for a retry (an endpoint that keeps failing) do not hold back newer ones that are due.
     */
    private static final int LOOK_AHEAD = 4096;
    /** How often the outbox is looked at without a wake-up: a safety net, every publish wakes it. */
    private static final Duration IDLE_LOOK = Duration.ofSeconds(5);
    /** How often the clock is looked at while a retry waits: a test clock can jump. */
    private static final Duration TICK = Duration.ofMillis(200);

    private final SnsStore store;
    private final Targets targets;
    private final Clock clock;
    private final RetryPolicy retries;
    private final ExecutorService deliveries = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sns-delivery-", 0).factory());
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean closed;
    private Thread sender;

    DeliveryWorker(SnsStore store, Targets targets, Clock clock, RetryPolicy retries) {
        this.store = requireNonNull(store, "store is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.retries = requireNonNull(retries, "retries is null");
    }

    /** SNS delivering for a topic, as the endpoints' resource policies see it. */
    static ServiceCaller caller(String topicArn, String topicAccount) {
        return new ServiceCaller(SERVICE_PRINCIPAL, topicArn, topicAccount);
    }

    /** Tells the delivery thread that a publish committed. */
    void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    void start() {
        sender = Thread.ofVirtual().name("sns-delivery-sender").start(this::sendLoop);
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
                LOG.warn("SNS deliveries: a round failed, trying again shortly", e);
                wait = 1000;
            }
            if (wait == 0) {
                continue;
            }
            try {
                wakeUps.tryAcquire(Math.max(1, wait), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How an attempt went. */
    private enum Outcome { DELIVERED, RETRY, FAILED_FOR_GOOD }

    /**
     * Delivers the due deliveries and settles them.
     *
     * @return milliseconds to wait before the next round: 0 to go on at once, {@link #TICK} while a retry waits
     */
    long sendDue() {
        long now = clock.millis();
        List<SnsStore.Pending> pending = store.pending(LOOK_AHEAD);
        boolean waiting = false;
        int due = 0;
        // Lanes: a FIFO group's deliveries to one subscription go in order; everything else alone.
        Map<String, List<SnsStore.Pending>> lanes = new LinkedHashMap<>();
        Set<String> heldBack = new HashSet<>();
        for (SnsStore.Pending entry : pending) {
            Delivery delivery = entry.delivery();
            String lane = delivery.ordered() ? delivery.endpoint() + "\n" + delivery.subscriptionArn() + "\n" + delivery.groupId() : null;
            if (delivery.notBefore() > now) {
                waiting = true;
                if (lane != null) {
                    heldBack.add(lane);
                }
                continue;
            }
            if (lane != null && heldBack.contains(lane)) {
                continue;
            }
            if (due++ >= BATCH) {
                break;
            }
            lanes.computeIfAbsent(lane == null ? "key:" + java.util.HexFormat.of().formatHex(entry.key()) : lane, k -> new ArrayList<>()).add(entry);
        }
        if (lanes.isEmpty()) {
            return waiting ? TICK.toMillis() : IDLE_LOOK.toMillis();
        }
        List<Future<Map<SnsStore.Pending, Outcome>>> rounds = new ArrayList<>();
        for (List<SnsStore.Pending> lane : lanes.values()) {
            rounds.add(deliveries.submit(() -> deliverLane(lane)));
        }
        Map<SnsStore.Pending, Outcome> outcomes = new LinkedHashMap<>();
        for (Future<Map<SnsStore.Pending, Outcome>> round : rounds) {
            try {
                outcomes.putAll(round.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return IDLE_LOOK.toMillis();
            } catch (ExecutionException e) {
                LOG.warn("SNS deliveries: a lane failed", e.getCause());
            }
        }
        settle(outcomes, clock.millis());
        return outcomes.values().stream().allMatch(o -> o == Outcome.RETRY) ? TICK.toMillis() : 0;
    }

    private Map<SnsStore.Pending, Outcome> deliverLane(List<SnsStore.Pending> lane) {
        Map<SnsStore.Pending, Outcome> outcomes = new LinkedHashMap<>();
        for (SnsStore.Pending entry : lane) {
            Outcome outcome = attempt(entry.delivery());
            outcomes.put(entry, outcome);
            if (outcome == Outcome.RETRY) {
                break; // the rest of an ordered lane waits for this one
            }
        }
        return outcomes;
    }

    private Outcome attempt(Delivery delivery) {
        try {
            Targets.Options options = new Targets.Options(delivery.groupId(), delivery.deduplicationId(), delivery.attributes(),
                    caller(delivery.topicArn(), delivery.topicAccount()), null, null);
            targets.deliver(Arn.parse(delivery.endpoint()), delivery.payload().getBytes(StandardCharsets.UTF_8), options);
            return Outcome.DELIVERED;
        } catch (AwsException e) {
            int status = e.errorCode().httpStatus();
            boolean clientSide = status < 500 && status != 429 && !e.errorCode().code().contains("Throttl") && !e.errorCode().code().contains("TooManyRequests");
            LOG.debug("SNS delivery of {} to {} failed: {} {}", delivery.subscriptionArn(), delivery.endpoint(), e.errorCode().code(), e.getMessage());
            return clientSide ? Outcome.FAILED_FOR_GOOD : Outcome.RETRY;
        } catch (RuntimeException e) {
            LOG.debug("SNS delivery of {} to {} failed", delivery.subscriptionArn(), delivery.endpoint(), e);
            return Outcome.RETRY;
        }
    }

    private void settle(Map<SnsStore.Pending, Outcome> outcomes, long now) {
        store.store().transaction(txn -> {
            outcomes.forEach((entry, outcome) -> {
                Delivery delivery = entry.delivery();
                Delivery next = switch (outcome) {
                    case DELIVERED -> null;
                    case FAILED_FOR_GOOD -> redrive(delivery, now);
                    case RETRY -> {
                        Duration wait = retries.next(delivery.attempts() + 1, Duration.ofMillis(Math.max(0, now - delivery.publishedAt())));
                        yield wait == null ? redrive(delivery, now) : delivery.failed(now + wait.toMillis());
                    }
                };
                if (next == null) {
                    txn.delete(SnsStore.OUTBOX, entry.key());
                } else {
                    txn.put(SnsStore.OUTBOX, entry.key(), SnsStore.encode(next));
                }
            });
            return null;
        });
    }

    /** The delivery to the dead-letter queue instead, or null (and a warning) when there is none. */
    private static Delivery redrive(Delivery delivery, long now) {
        if (delivery.deadLetterTarget() == null) {
            LOG.warn("SNS dropped a message for {} to {}: it cannot be delivered and the subscription has no dead-letter queue",
                    delivery.subscriptionArn(), delivery.endpoint());
            return null;
        }
        return delivery.redriven(now, delivery.attributes());
    }

    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            // A round in progress finishes and settles what it delivered, so a graceful stop
            // delivers nothing twice; one that takes too long is interrupted.
            wake();
            try {
                if (!sender.join(Duration.ofSeconds(10))) {
                    sender.interrupt();
                    sender.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                sender.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        deliveries.shutdown();
        try {
            if (!deliveries.awaitTermination(2, TimeUnit.SECONDS)) {
                deliveries.shutdownNow();
            }
        } catch (InterruptedException e) {
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
