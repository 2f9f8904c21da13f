package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.storage.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventStoreTest {

    private static final FunctionRecord FUNCTION = new FunctionRecord("000000000000", "us-east-1", "fn", "nodejs20.x",
            "arn:aws:iam::000000000000:role/r", "index.handler", "", 3, 128, Map.of("K", "V"), "c2hh", 1, Instant.EPOCH, "r1",
            FunctionRecord.LATEST, 0, null, "arn:aws:sqs:us-east-1:000000000000:dlq");

    private static QueuedEvent event(String id, long sequence, String invokedArn) {
        return new QueuedEvent(id, sequence, FUNCTION, invokedArn, "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                Instant.parse("2024-01-01T00:00:00Z"), 0, null, null, null);
    }

    @Test
    void eventsComeBackInArrivalOrderWithEverythingTheyCarry() {
        try (MemoryStore store = new MemoryStore()) {
            EventStore events = new EventStore(store);
            QueuedEvent third = event("c", 300, FUNCTION.arn());
            QueuedEvent first = event("a", 2, FUNCTION.arn());
            QueuedEvent second = event("b", 10, FUNCTION.arn() + ":live");
            events.put(third);
            events.put(first);
            events.put(second);
            QueuedEvent.Response failed = new QueuedEvent.Response(200, "Unhandled", "{\"errorMessage\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            events.put(second.retrying(1, failed, Instant.parse("2024-01-01T00:01:00Z")));
            events.delete(third);

            assertThat(events.all()).extracting(QueuedEvent::requestId).containsExactly("a", "b");
            QueuedEvent retried = events.all().get(1);
            assertThat(retried.attempts()).isEqualTo(1);
            assertThat(retried.retryAt()).isEqualTo(Instant.parse("2024-01-01T00:01:00Z"));
            assertThat(retried.lastResponse().functionError()).isEqualTo("Unhandled");
            assertThat(new String(retried.lastResponse().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"errorMessage\":\"x\"}");
            assertThat(new String(retried.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            assertThat(retried.function()).isEqualTo(FUNCTION);
            assertThat(retried.acknowledged()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        }
    }

    @Test
    void aDeliveryWaitingForAnotherTryIsKeptWithTheEvent() {
        try (MemoryStore store = new MemoryStore()) {
            EventStore events = new EventStore(store);
            QueuedEvent event = event("a", 1, FUNCTION.arn());
            QueuedEvent.Delivery delivery = new QueuedEvent.Delivery("arn:aws:sqs:us-east-1:000000000000:dlq",
                    "{\"n\":1}".getBytes(StandardCharsets.UTF_8), java.util.Map.of("RequestID", "a", "ErrorCode", "200"), true, 0).tried();
            events.put(event.delivering(delivery, Instant.parse("2024-01-01T00:02:00Z")));

            QueuedEvent stored = events.all().getFirst();
            assertThat(stored.retryAt()).isEqualTo(Instant.parse("2024-01-01T00:02:00Z"));
            assertThat(stored.delivery().target()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:dlq");
            assertThat(new String(stored.delivery().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            assertThat(stored.delivery().attributes()).containsEntry("RequestID", "a").containsEntry("ErrorCode", "200");
            assertThat(stored.delivery().deadLetter()).isTrue();
            assertThat(stored.delivery().attempts()).isEqualTo(1);
        }
    }

    @Test
    void theConfigOfTheQualifierTheEventWasSentToApplies() {
        assertThat(event("a", 1, FUNCTION.arn()).configQualifier()).isEmpty();
        assertThat(event("a", 1, FUNCTION.arn() + ":$LATEST").configQualifier()).isEmpty();
        assertThat(event("a", 1, FUNCTION.arn() + ":live").configQualifier()).isEqualTo("live");
        assertThat(event("a", 1, FUNCTION.arn() + ":3").configQualifier()).isEqualTo("3");
    }
}
