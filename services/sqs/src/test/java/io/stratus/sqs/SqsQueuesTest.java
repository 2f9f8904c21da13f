package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.StratusConfig;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.Queues.MessageAttribute;
import io.stratus.core.spi.Queues.OutgoingMessage;
import io.stratus.core.spi.Queues.ReceivedMessage;
import io.stratus.storage.Store;
import io.stratus.storage.Stores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue SPI other services call: the API's own operations, in the queue owner's name. */
class SqsQueuesTest {

    private static final Arn JOBS = Arn.of("sqs", "us-east-1", "000000000000", "jobs");
    private static final Arn ORDERS = Arn.of("sqs", "us-east-1", "000000000000", "orders.fifo");

    private final Store store = Stores.open(StratusConfig.Storage.MEMORY, Path.of("unused"), StratusConfig.Durability.RELAXED);
    private final MovableClock clock = new MovableClock();
    private final SqsService service = new SqsService(store, clock, URI.create("http://localhost:4566"));
    private final Queues queues = service.queues();

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    private void createQueue(Arn arn, Map<String, String> attributes) {
        QueueOperations operations = new QueueOperations(new QueueStore(store), new MessageStore(store), new QueueWaiters(), clock,
                URI.create("http://localhost:4566"));
        operations.createQueue(new io.stratus.core.RequestContext("req", arn.accountId(), arn.region(), "test",
                io.stratus.core.Principal.root(arn.accountId()), clock.instant()), new SqsModel.CreateQueueRequest(arn.resource(), attributes, null));
    }

    @Test
    void sendReceiveChangeVisibilityAndDelete() {
        createQueue(JOBS, Map.of());

        Queues.SentMessage sent = queues.send(JOBS, new OutgoingMessage("{\"job\":1}", Map.of("kind", MessageAttribute.string("build")), null, null));
        List<ReceivedMessage> received = queues.receive(JOBS, 10, Duration.ZERO, Duration.ofSeconds(30));

        assertThat(received).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(sent.messageId());
            assertThat(m.body()).isEqualTo("{\"job\":1}");
            assertThat(m.md5OfBody()).hasSize(32);
            assertThat(m.attributes()).containsEntry("ApproximateReceiveCount", "1").containsKeys("SentTimestamp", "SenderId",
                    "ApproximateFirstReceiveTimestamp");
            assertThat(m.messageAttributes()).containsEntry("kind", MessageAttribute.string("build"));
            assertThat(m.md5OfMessageAttributes()).hasSize(32);
        });
        assertThat(queues.receive(JOBS, 10, Duration.ZERO, null)).as("hidden for 30 s").isEmpty();

        queues.changeVisibility(JOBS, received.getFirst().receiptHandle(), Duration.ZERO);
        ReceivedMessage again = queues.receive(JOBS, 1, Duration.ZERO, null).getFirst();
        assertThat(again.attributes()).containsEntry("ApproximateReceiveCount", "2");

        queues.delete(JOBS, again.receiptHandle());
        clock.advance(Duration.ofMinutes(1));
        assertThat(queues.receive(JOBS, 10, Duration.ZERO, null)).isEmpty();
    }

    @Test
    void fifoMessagesCarryTheirGroupAndSequence() {
        createQueue(ORDERS, Map.of("FifoQueue", "true"));

        Queues.SentMessage sent = queues.send(ORDERS, new OutgoingMessage("o1", Map.of(), "customer-7", "dedup-1"));
        assertThat(sent.sequenceNumber()).isNotNull();
        assertThat(queues.send(ORDERS, new OutgoingMessage("o1", Map.of(), "customer-7", "dedup-1")).messageId())
                .as("deduplicated").isEqualTo(sent.messageId());

        assertThat(queues.receive(ORDERS, 10, Duration.ZERO, null)).singleElement().satisfies(m -> assertThat(m.attributes())
                .containsEntry("MessageGroupId", "customer-7")
                .containsEntry("MessageDeduplicationId", "dedup-1")
                .containsEntry("SequenceNumber", sent.sequenceNumber()));
    }

    @Test
    void errorsAreTheApis() {
        assertThatThrownBy(() -> queues.send(JOBS, OutgoingMessage.of("x")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.QUEUE_DOES_NOT_EXIST));
        createQueue(ORDERS, Map.of("FifoQueue", "true"));
        assertThatThrownBy(() -> queues.send(ORDERS, OutgoingMessage.of("no group")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.MISSING_PARAMETER));
        assertThatThrownBy(() -> queues.send(Arn.of("sns", "us-east-1", "000000000000", "topic"), OutgoingMessage.of("x")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.INVALID_ADDRESS));
    }
}
