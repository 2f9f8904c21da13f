package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.StratusConfig;
import io.stratus.sqs.SqsModel.CreateQueueRequest;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.Stores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retention sweeper deletes exactly the messages past their queue's retention period. */
class RetentionSweeperTest {

    private final Store store = Stores.open(StratusConfig.Storage.MEMORY, Path.of("unused"), StratusConfig.Durability.RELAXED);
    private final MovableClock clock = new MovableClock();
    private final MessageStore messageStore = new MessageStore(store);
    private final QueueOperations queues = new QueueOperations(new QueueStore(store), messageStore, new QueueWaiters(), clock,
            URI.create("http://localhost:4566"));
    private final MessageOperations messages = new MessageOperations(queues, messageStore, new QueueWaiters(), clock);
    private final RetentionSweeper sweeper = new RetentionSweeper(store, clock);
    private final RequestContext context = new RequestContext("req", "000000000000", "us-east-1", "test", Principal.root("000000000000"), Instant.EPOCH);

    @AfterEach
    void closeStore() {
        store.close();
    }

    private String queue(String name, int retentionSeconds) {
        return queues.createQueue(context, new CreateQueueRequest(name, Map.of("MessageRetentionPeriod", Integer.toString(retentionSeconds)), null))
                .queueUrl();
    }

    private void send(String url, String body) {
        messages.sendMessage(context, new SendMessageRequest(url, body, null, null, null, null, null));
    }

    private long stored() {
        long count = 0;
        try (Scan scan = store.scan(MessageStore.MESSAGES, KeyRange.all())) {
            while (scan.hasNext()) {
                scan.next();
                count++;
            }
        }
        return count;
    }

    @Test
    void deletesWhatOutlivedItsRetentionAndKeepsTheRest() {
        String shortLived = queue("short", 60);
        String longLived = queue("long", 3600);
        for (int i = 0; i < 300; i++) {
            send(shortLived, "old " + i);
        }
        send(longLived, "kept");
        clock.advance(Duration.ofSeconds(30));
        send(shortLived, "young");

        clock.advance(Duration.ofSeconds(31));

        assertThat(sweeper.sweep()).isEqualTo(300);
        assertThat(stored()).isEqualTo(2);
        assertThat(queues.count(queues.require(context, shortLived, "GetQueueAttributes")).visible()).isEqualTo(1);
        assertThat(sweeper.sweep()).isZero();
    }

    @Test
    void finishesAPurgeThatACrashInterrupted() {
        String url = queue("purged", 3600);
        for (int i = 0; i < 5; i++) {
            send(url, "m" + i);
        }
        Queue queue = queues.require(context, url, "GetQueueAttributes");
        // What PurgeQueue commits first; the crash came before it deleted the messages.
        store.transaction(txn -> {
            QueueStore.write(txn, queue.purged(clock.millis(), MessageStore.newestSequence(txn, queue.address())));
            return null;
        });
        send(url, "after the purge");

        Queue purged = queues.require(context, url, "GetQueueAttributes");
        assertThat(queues.count(purged).visible()).isEqualTo(1);
        assertThat(sweeper.sweep()).isEqualTo(5);
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void removesWhatASendRacingDeleteQueueLeftAndThenTheTombstone() {
        String url = queue("racing", 3600);
        QueueAddress address = QueueAddress.fromUrl(url, "us-east-1");
        queues.deleteQueue(context, new SqsModel.QueueUrlRequest(url));
        // A standard send that looked the queue up before the delete commits after it.
        QueuedMessage late = new QueuedMessage("late", clock.millis() * 1000, "body", "md5", null, null, null, null, "sender",
                clock.millis(), clock.millis(), 0, 0, null, null, null, null, 0);
        store.transaction(txn -> {
            MessageStore.put(txn, address, late);
            return null;
        });

        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(stored()).isZero();
        assertThat(new QueueStore(store).tombstones()).hasSize(1);

        clock.advance(RetentionSweeper.TOMBSTONE_LIFETIME.plusSeconds(1));
        sweeper.sweep();
        assertThat(new QueueStore(store).tombstones()).isEmpty();
    }
}
