package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.StratusConfig;
import io.stratus.sqs.SqsModel.CreateQueueRequest;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.storage.Store;
import io.stratus.storage.Stores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The FIFO deduplication window, with a clock the test moves instead of waiting five minutes. */
class FifoDeduplicationTest {

    private final Store store = Stores.open(StratusConfig.Storage.MEMORY, Path.of("unused"), StratusConfig.Durability.RELAXED);
    private final MovableClock clock = new MovableClock();
    private final QueueWaiters waiters = new QueueWaiters();
    private final MessageStore messageStore = new MessageStore(store);
    private final QueueOperations queues = new QueueOperations(new QueueStore(store), messageStore, waiters, clock, URI.create("http://localhost:4566"));
    private final MessageOperations messages = new MessageOperations(queues, messageStore, waiters, clock);
    private final RequestContext context = new RequestContext("req", "000000000000", "us-east-1", "test", Principal.root("000000000000"), Instant.EPOCH);

    @AfterEach
    void closeStore() {
        store.close();
    }

    private String fifoQueue(Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.put("FifoQueue", "true");
        return queues.createQueue(context, new CreateQueueRequest("jobs.fifo", all, null)).queueUrl();
    }

    private String send(String url, String body, String group, String deduplicationId) {
        return messages.sendMessage(context, new SendMessageRequest(url, body, null, null, null, deduplicationId, group)).messageId();
    }

    @Test
    void aDeduplicationIdCountsForFiveMinutes() {
        String url = fifoQueue(Map.of());
        String first = send(url, "a", "g", "d1");

        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(send(url, "a", "g", "d1")).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        assertThat(send(url, "a", "g", "d1")).isNotEqualTo(first);
    }

    @Test
    void withQueueScopeTheSameIdInAnotherGroupIsADuplicate() {
        String url = fifoQueue(Map.of());

        assertThat(send(url, "a", "g2", "d")).isEqualTo(send(url, "a", "g1", "d"));
    }

    @Test
    void withMessageGroupScopeEachGroupHasItsOwnIds() {
        String url = fifoQueue(Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));

        assertThat(send(url, "a", "g2", "d")).isNotEqualTo(send(url, "a", "g1", "d"));
    }

    @Test
    void contentBasedDeduplicationHashesTheBody() {
        String url = fifoQueue(Map.of("ContentBasedDeduplication", "true"));

        String first = send(url, "same body", "g", null);
        assertThat(send(url, "same body", "g", null)).isEqualTo(first);
        assertThat(send(url, "other body", "g", null)).isNotEqualTo(first);
    }
}
