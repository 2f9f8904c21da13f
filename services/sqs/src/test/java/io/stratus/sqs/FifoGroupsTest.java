package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.StratusConfig;
import io.stratus.sqs.SqsModel.CreateQueueRequest;
import io.stratus.sqs.SqsModel.DeleteMessageRequest;
import io.stratus.sqs.SqsModel.Message;
import io.stratus.sqs.SqsModel.ReceiveMessageRequest;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.Stores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FIFO receives read the groups whose head is visible, and queues stored before groups were kept get them back. */
class FifoGroupsTest {

    private final Store store = Stores.open(StratusConfig.Storage.MEMORY, Path.of("unused"), StratusConfig.Durability.RELAXED);
    private final MovableClock clock = new MovableClock();
    private final MessageStore messageStore = new MessageStore(store);
    private final QueueWaiters waiters = new QueueWaiters();
    private final QueueOperations queues = new QueueOperations(new QueueStore(store), messageStore, waiters, clock, URI.create("http://localhost:4566"));
    private final MessageOperations messages = new MessageOperations(queues, messageStore, waiters, clock);
    private final Receiver receiver = new Receiver(queues, messageStore, waiters, clock);
    private final RequestContext context = new RequestContext("req", "000000000000", "us-east-1", "test", Principal.root("000000000000"), Instant.EPOCH);

    @AfterEach
    void closeStore() {
        store.close();
    }

    private String fifoQueue() {
        return queues.createQueue(context, new CreateQueueRequest("orders.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"), null))
                .queueUrl();
    }

    private void send(String url, String body, String group) {
        messages.sendMessage(context, new SendMessageRequest(url, body, null, null, null, null, group));
    }

    private List<Message> receive(String url, int max) {
        return receiver.receiveMessage(context, new ReceiveMessageRequest(url, null, null, null, max, 30, 0, null)).messages();
    }

    @Test
    void aLongBlockedGroupDoesNotHoldBackTheOthers() {
        String url = fifoQueue();
        for (int i = 0; i < 2_000; i++) {
            send(url, "a" + i, "a");
        }
        send(url, "b0", "b");
        send(url, "b1", "b");

        assertThat(receive(url, 1)).extracting(Message::body).containsExactly("a0");
        // Group a is in flight; its 1,999 waiting messages are never read.
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("b0", "b1");
        assertThat(receive(url, 10)).isEmpty();
    }

    @Test
    void deletingTheHeadHandsTheGroupToItsNextMessage() {
        String url = fifoQueue();
        send(url, "first", "g");
        send(url, "second", "g");
        send(url, "third", "g");

        List<Message> two = receive(url, 2);
        assertThat(two).extracting(Message::body).containsExactly("first", "second");
        messages.deleteMessage(context, new DeleteMessageRequest(url, two.get(0).receiptHandle()));
        assertThat(receive(url, 10)).as("second is still in flight").isEmpty();
        messages.deleteMessage(context, new DeleteMessageRequest(url, two.get(1).receiptHandle()));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("third");
    }

    @Test
    void backfillRebuildsTheGroupsOfAQueueStoredWithoutThem() {
        String url = fifoQueue();
        for (int i = 0; i < 1_500; i++) {
            send(url, "m" + i, "g" + (i % 3));
        }
        dropGroupKeys();
        assertThat(receive(url, 10)).as("without group keys nothing is found").isEmpty();

        FifoGroups.backfill(store, QueueAddress.fromUrl(url, "us-east-1"));

        assertThat(receive(url, 10)).extracting(Message::body).startsWith("m0", "m3", "m6").hasSize(10);
        assertThat(receive(url, 10)).extracting(Message::body).startsWith("m1", "m4", "m7").hasSize(10);
        assertThat(receive(url, 10)).extracting(Message::body).startsWith("m2", "m5", "m8").hasSize(10);
        assertThat(receive(url, 10)).as("every group is in flight").isEmpty();
    }

    private void dropGroupKeys() {
        for (String keyspace : FifoGroups.keyspaces()) {
            store.transaction(txn -> {
                List<byte[]> keys = new ArrayList<>();
                try (Scan scan = txn.scan(keyspace, KeyRange.all())) {
                    while (scan.hasNext()) {
                        keys.add(scan.next().key());
                    }
                }
                keys.forEach(key -> txn.delete(keyspace, key));
                return null;
            });
        }
    }
}
