package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SQS under concurrent clients: FIFO order while senders race, and batches that change all their
 * messages at once. On the durable store, whose slower commits widen the windows these tests look into.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class SqsConcurrencyIT {

    private static final int SENDERS = 8;
    private static final int MESSAGES_PER_SENDER = 25;

    @Test
    void concurrentSendersToOneGroupAreDeliveredInSequenceOrderOneBatchInFlightAtATime(SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("race.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        int total = SENDERS * MESSAGES_PER_SENDER;
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                int sender = t;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                        String body = sender + ":" + i;
                        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId("g").messageDeduplicationId(body));
                    }
                }));
            }
            // Receives while the sends race: a message committed behind a later one of its group
            // would come out of order, or while that later one is still in flight.
            String lastSequence = "";
            Map<Integer, Integer> lastPerSender = new HashMap<>();
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received < total && System.nanoTime() < deadline) {
                List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.SEQUENCE_NUMBER)).messages();
                if (batch.isEmpty()) {
                    continue;
                }
                for (Message message : batch) {
                    String sequence = message.attributes().get(MessageSystemAttributeName.SEQUENCE_NUMBER);
                    assertThat(sequence).as("sequence of %s", message.body()).isGreaterThan(lastSequence);
                    lastSequence = sequence;
                    String[] parts = message.body().split(":");
                    int sender = Integer.parseInt(parts[0]);
                    int index = Integer.parseInt(parts[1]);
                    assertThat(index).as("sender %d's order", sender).isEqualTo(lastPerSender.getOrDefault(sender, -1) + 1);
                    lastPerSender.put(sender, index);
                }
                // The group is in flight: nothing more of it may be delivered until these are deleted.
                assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages())
                        .as("a second delivery while the group is in flight").isEmpty();
                List<DeleteMessageBatchRequestEntry> deletes = IntStream.range(0, batch.size())
                        .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(batch.get(i).receiptHandle()).build())
                        .toList();
                assertThat(sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(deletes)).failed()).isEmpty();
                received += batch.size();
            }
            for (Future<?> sender : senders) {
                sender.get(30, TimeUnit.SECONDS);
            }
            assertThat(received).isEqualTo(total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void changeMessageVisibilityBatchReleasesAllItsMessagesAtOnce(SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("release-together")).queueUrl();
        for (int round = 0; round < 10; round++) {
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("m" + i).build()).toList()));
            List<Message> inFlight = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
            assertThat(inFlight).hasSize(10);
            CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(
                    () -> sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60).waitTimeSeconds(5)).messages());
            Thread.sleep(100);

            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                    .mapToObj(i -> ChangeMessageVisibilityBatchRequestEntry.builder().id("c" + i)
                            .receiptHandle(inFlight.get(i).receiptHandle()).visibilityTimeout(0).build()).toList()));

            List<Message> released = waiting.get(10, TimeUnit.SECONDS);
            assertThat(released).as("round %d", round).hasSize(10);
            sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                    .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(released.get(i).receiptHandle()).build())
                    .toList()));
        }
    }

    @Test
    void deleteMessageBatchRemovesAllItsMessagesAtOnce(SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("delete-together")).queueUrl();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> observer = CompletableFuture.runAsync(() -> {
            // At least one look even when a loaded machine schedules this only after the rounds.
            do {
                seen.add(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .attributesAsStrings().get("ApproximateNumberOfMessagesNotVisible"));
            } while (!done.get());
        });
        try {
            for (int round = 0; round < 20; round++) {
                sqs.sendMessageBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                        .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("m" + i).build()).toList()));
                List<Message> inFlight = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
                assertThat(inFlight).hasSize(10);
                assertThat(sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                        .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(inFlight.get(i).receiptHandle()).build())
                        .toList())).successful()).hasSize(10);
            }
        } finally {
            done.set(true);
            observer.get(10, TimeUnit.SECONDS);
        }
        assertThat(seen).isNotEmpty().allSatisfy(count -> assertThat(count).isIn("0", "10"));
    }
}
