package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.storage.Store;
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
 * Delivers what SNS's {@link Outbox} holds, deliveries of earlier runs included, through
 * {@link Targets} as SNS acting for the topic (so the queue's policy or the function's permission
 * must allow {@code sns.amazonaws.com}), and settles each: removed once delivered; on a client-side
 * error (the endpoint is gone, its policy refuses SNS, it refuses the message) moved to the
 * subscription's dead-letter queue at once, as SNS does; on any other error tried again by the
 * {@link RetryPolicy}, and moved to the dead-letter queue when it is used up. Without a
 * dead-letter queue a message that fails for good is dropped with a warning. The deliveries of a
 * FIFO message group to one subscription form a lane of the outbox: they go one after the other,
 * in order, and a failed one holds back the rest of its group. Delivery is at least once.
 * Thread-safe; {@link #start()} starts the outbox's sender, {@link #close()} stops it after the
 * round in progress.
 */
final class DeliveryWorker implements Outbox.Courier<Delivery>, AutoCloseable {

    static final String SERVICE_PRINCIPAL = "sns.amazonaws.com";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Targets targets;
    private final RetryPolicy retries;
    private final Outbox<Delivery> outbox;

    DeliveryWorker(Store store, Targets targets, Clock clock, RetryPolicy retries) {
        this.targets = requireNonNull(targets, "targets is null");
        this.retries = requireNonNull(retries, "retries is null");
        this.outbox = new Outbox<>("sns-delivery", store, SnsStore.OUTBOX, clock, this);
    }

    /** SNS delivering for a topic, as the endpoints' resource policies see it. */
    static ServiceCaller caller(String topicArn, String topicAccount) {
        return new ServiceCaller(SERVICE_PRINCIPAL, topicArn, topicAccount);
    }

    /** Records a delivery in {@code txn}, behind every earlier one; call {@link #wake()} once it committed. */
    void enqueue(Transaction txn, Delivery delivery) {
        outbox.add(txn, delivery);
    }

    /** Tells the sender that a publish committed. */
    void wake() {
        outbox.wake();
    }

    void start() {
        outbox.start();
    }

    @Override
    public byte[] encode(Delivery delivery) {
        return SnsStore.encode(delivery);
    }

    @Override
    public Delivery decode(byte[] stored) {
        return SnsStore.decode(stored, Delivery.class);
    }

    @Override
    public long dueAt(Delivery delivery) {
        return delivery.notBefore();
    }

    /** A FIFO group's deliveries to one subscription go in order; everything else alone. */
    @Override
    public String lane(Delivery delivery) {
        return delivery.ordered() ? delivery.endpoint() + "\n" + delivery.subscriptionArn() + "\n" + delivery.groupId() : null;
    }

    @Override
    public Delivery deliver(Delivery delivery, long now) {
        try {
            Map<String, Queues.MessageAttribute> attributes = new LinkedHashMap<>();
            delivery.attributes().forEach((name, attribute) -> attributes.put(name, attribute.toMessageAttribute()));
            Targets.Options options = new Targets.Options(delivery.groupId(), delivery.deduplicationId(), attributes,
                    caller(delivery.topicArn(), delivery.topicAccount())).withTraceHeader(delivery.traceHeader());
            targets.deliver(Arn.parse(delivery.endpoint()), delivery.payload().getBytes(StandardCharsets.UTF_8), options);
            return null;
        } catch (AwsException e) {
            LOG.debug("SNS delivery of {} to {} failed: {} {}", delivery.subscriptionArn(), delivery.endpoint(), e.errorCode().code(), e.getMessage());
            return e.isPermanent() ? redrive(delivery, now) : retry(delivery, now);
        } catch (RuntimeException e) {
            LOG.debug("SNS delivery of {} to {} failed", delivery.subscriptionArn(), delivery.endpoint(), e);
            return retry(delivery, now);
        }
    }

    /** The delivery's next attempt, or its dead-letter delivery once the retry policy is used up. */
    private Delivery retry(Delivery delivery, long now) {
        Duration wait = retries.next(delivery.attempts() + 1, Duration.ofMillis(Math.max(0, now - delivery.publishedAt())));
        return wait == null ? redrive(delivery, now) : delivery.failed(now + wait.toMillis());
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
        outbox.close();
    }
}
