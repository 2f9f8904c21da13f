package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.StratusConfig;
import io.stratus.sqs.SqsModel.CreateQueueRequest;
import io.stratus.sqs.SqsModel.Message;
import io.stratus.sqs.SqsModel.ReceiveMessageRequest;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.sqs.SqsModel.SendMessageResponse;
import io.stratus.storage.ChangeListener;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Snapshot;
import io.stratus.storage.Store;
import io.stratus.storage.StoreInfo;
import io.stratus.storage.Stores;
import io.stratus.storage.Transaction;
import io.stratus.storage.TransactionBody;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FIFO sequence numbers against the worst interleaving of two sends, forced rather than hoped
 * for: the send that starts first is held just before its commit until the second has committed.
 */
class FifoSequenceOrderTest {

    /** A store whose next transaction on a chosen thread pauses before its first commit until released. */
    private static final class HoldingStore implements Store {
        private final Store delegate;
        private volatile Thread held;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        HoldingStore(Store delegate) {
            this.delegate = delegate;
        }

        void holdNextTransactionOf(Thread thread) {
            held = thread;
        }

        @Override
        public <T> T transaction(TransactionBody<T> body) {
            return delegate.transaction(txn -> {
                T result = body.run(txn);
                if (Thread.currentThread() == held) {
                    held = null;
                    reached.countDown();
                    await(release);
                }
                return result;
            });
        }

        private static void await(CountDownLatch latch) {
            try {
                assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void put(String keyspace, byte[] key, byte[] value) {
            delegate.put(keyspace, key, value);
        }

        @Override
        public void delete(String keyspace, byte[] key) {
            delegate.delete(keyspace, key);
        }

        @Override
        public Transaction beginTransaction() {
            return delegate.beginTransaction();
        }

        @Override
        public Snapshot snapshot() {
            return delegate.snapshot();
        }

        @Override
        public void addListener(String keyspace, ChangeListener listener) {
            delegate.addListener(keyspace, listener);
        }

        @Override
        public StoreInfo info() {
            return delegate.info();
        }

        @Override
        public byte[] get(String keyspace, byte[] key) {
            return delegate.get(keyspace, key);
        }

        @Override
        public Scan scan(String keyspace, KeyRange range, boolean reverse) {
            return delegate.scan(keyspace, range, reverse);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final HoldingStore store = new HoldingStore(Stores.open(StratusConfig.Storage.MEMORY, Path.of("unused"), StratusConfig.Durability.RELAXED));
    private final Clock clock = Clock.systemUTC();
    private final QueueWaiters waiters = new QueueWaiters();
    private final MessageStore messageStore = new MessageStore(store);
    private final QueueOperations queues = new QueueOperations(new QueueStore(store), messageStore, waiters, clock, URI.create("http://localhost:4566"));
    private final MessageOperations messages = new MessageOperations(queues, messageStore, waiters, clock);
    private final Receiver receiver = new Receiver(queues, messageStore, waiters, clock);
    private final RequestContext context = new RequestContext("req", "000000000000", "us-east-1", "test", Principal.root("000000000000"), Instant.EPOCH);

    @AfterEach
    void closeStore() {
        store.close();
    }

    private SendMessageResponse send(String url, String body) {
        return messages.sendMessage(context, new SendMessageRequest(url, body, null, null, null, body, "g"));
    }

    private List<Message> receive(String url) {
        return receiver.receiveMessage(context, new ReceiveMessageRequest(url, null, null, null, 10, 60, 0, null)).messages();
    }

    @Test
    void aSendThatCommitsLaterTakesALaterSequenceAndWaitsBehindTheGroupInFlight() throws Exception {
        String url = queues.createQueue(context, new CreateQueueRequest("order.fifo", Map.of("FifoQueue", "true"), null)).queueUrl();

        CompletableFuture<SendMessageResponse> slow = new CompletableFuture<>();
        Thread slowSender = new Thread(() -> {
            try {
                slow.complete(send(url, "started-first"));
            } catch (RuntimeException e) {
                slow.completeExceptionally(e);
            }
        });
        store.holdNextTransactionOf(slowSender);
        slowSender.start();
        while (!store.reached.await(100, TimeUnit.MILLISECONDS)) {
            if (slow.isDone()) {
                slow.get();
            }
        }

        SendMessageResponse fast = send(url, "committed-first");
        assertThat(receive(url)).extracting(Message::body).containsExactly("committed-first");

        store.release.countDown();
        SendMessageResponse late = slow.get(10, TimeUnit.SECONDS);

        assertThat(late.sequenceNumber()).isGreaterThan(fast.sequenceNumber());
        assertThat(receive(url)).as("the group has a message in flight").isEmpty();
    }
}
