package io.stratus.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.core.spi.Topics;
import io.stratus.storage.MemoryStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged means durable: a published message whose delivery has not succeeded waits in the
 * store, and the next service on the same store delivers it; a server-side failure is retried
 * until the policy gives up, then redriven. The endpoints are a hand-written {@link Targets}.
 */
class DurableDeliveryTest {

    private static final Arn TOPIC = Arn.of("sns", "us-east-1", "000000000000", "durable");
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:subscriber";
    private static final String DEAD = "arn:aws:sqs:us-east-1:000000000000:dead";

    /** Endpoints that take deliveries, or fail them as a server would while {@code failing} names them. */
    private static final class RecordingTargets implements Targets {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        volatile String failing;

        @Override
        public boolean exists(Arn target) {
            return true;
        }

        @Override
        public boolean allows(Arn target, ServiceCaller caller) {
            return true;
        }

        @Override
        public void deliver(Arn target, byte[] payload, Options options) {
            if (target.toString().equals(failing)) {
                throw AwsException.of(SnsErrors.INTERNAL_ERROR, "the endpoint is having a bad day");
            }
            assertThat(options.caller().principal()).isEqualTo("sns.amazonaws.com");
            assertThat(options.caller().sourceArn()).isEqualTo(TOPIC.toString());
            delivered.add(target.toString());
            payloads.add(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private static SnsService service(MemoryStore store, MovableClock clock, Targets targets) {
        SnsService service = new SnsService(store, clock, URI.create("http://localhost:4566"), targets, Duration.ofMillis(10));
        service.start();
        return service;
    }

    private static void topicWithSubscription(MemoryStore store, Map<String, String> subscriptionAttributes) {
        store.transaction(txn -> {
            SnsStore.write(txn, new Topic(TOPIC.accountId(), TOPIC.region(), TOPIC.resource(), Map.of(), Map.of(), 0, 0));
            SnsStore.write(txn, new Subscription(TOPIC.toString(), "sub-1", "sqs", QUEUE, "000000000000", subscriptionAttributes));
            return null;
        });
    }

    private static void await(List<String> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }

    @Test
    void aPendingDeliveryIsMadeByTheNextServiceOnTheSameStore() throws Exception {
        try (MemoryStore store = new MemoryStore()) {
            MovableClock clock = new MovableClock();
            topicWithSubscription(store, Map.of());
            RecordingTargets down = new RecordingTargets();
            down.failing = QUEUE;
            String messageId;
            try (SnsService first = service(store, clock, down)) {
                messageId = first.topics().publish(TOPIC, Topics.Message.of("kept"));
                Thread.sleep(300); // a few failed attempts
            }
            assertThat(down.delivered).isEmpty();

            RecordingTargets up = new RecordingTargets();
            try (SnsService second = service(store, clock, up)) {
                clock.advance(Duration.ofMinutes(1));
                await(up.delivered, 1);
            }
            assertThat(up.delivered).containsExactly(QUEUE);
            assertThat(up.payloads.getFirst()).contains("\"MessageId\":\"" + messageId + "\"").contains("\"Message\":\"kept\"");
        }
    }

    @Test
    void aDeliveryThatKeepsFailingIsRedrivenOnceThePolicyGivesUp() throws Exception {
        try (MemoryStore store = new MemoryStore()) {
            MovableClock clock = new MovableClock();
            topicWithSubscription(store, Map.of(SubscriptionAttributes.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + DEAD + "\"}"));
            RecordingTargets targets = new RecordingTargets();
            targets.failing = QUEUE;
            try (SnsService service = service(store, clock, targets)) {
                service.topics().publish(TOPIC, Topics.Message.of("doomed"));
                Thread.sleep(300);
                assertThat(targets.delivered).isEmpty();
                // With a 10 ms unit the policy's 23 days shrink to under six hours.
                clock.advance(Duration.ofHours(6));
                await(targets.delivered, 1);
            }
            assertThat(targets.delivered).containsExactly(DEAD);
            assertThat(targets.payloads.getFirst()).contains("\"Message\":\"doomed\"");
        }
    }
}
