package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Sixteen consumers, each with its own SDK client, drain a queue that four producers fill at the
 * same time. Standard queues: nothing lost, and since the whole run is shorter than the visibility
 * timeout, at-least-once allows no second delivery at all. FIFO queues: nothing lost or duplicated,
 * and every group received in the order it was sent. {@link DurableSixteenConsumersIT} runs the same
 * on the RocksDB store.
 */
@StratusTest
class SixteenConsumersIT {

    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 16;
    private static final int STANDARD_MESSAGES = 1500;
    private static final int BATCH = 10;
    private static final int FIFO_GROUPS = 30;
    private static final int FIFO_MESSAGES_PER_GROUP = 20;
    private static final int VISIBILITY_TIMEOUT_SECONDS = 30;
    /** Below the visibility timeout, so no message may become visible again while the test runs. */
    private static final Duration DEADLINE = Duration.ofSeconds(25);

    /** Sends producer {@code index}'s share of the messages. */
    @FunctionalInterface
    private interface Producer {
        void send(int index);
    }

    @Test
    void standardQueueDeliversEveryMessageExactlyOnceWithinItsVisibilityTimeout(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("sixteen-consumers")).queueUrl();
        List<String> bodies = IntStream.range(0, STANDARD_MESSAGES).mapToObj(i -> "m" + i).toList();

        // In batches of ten: on a busy two-core machine single sends ran at barely a hundred a second,
        // and the whole run must stay well inside the visibility timeout.
        List<Message> received = produceAndConsume(stratus, url, bodies.size(), producer -> {
            for (int first = producer * BATCH; first < bodies.size(); first += PRODUCERS * BATCH) {
                List<SendMessageBatchRequestEntry> entries = bodies.subList(first, first + BATCH).stream()
                        .map(body -> SendMessageBatchRequestEntry.builder().id(body).messageBody(body).build())
                        .toList();
                assertThat(sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries)).failed()).isEmpty();
            }
        });

        assertThat(duplicates(received)).as("delivered twice within the visibility timeout").isEmpty();
        assertThat(missing(bodies, received)).as("lost").isEmpty();
        assertDrained(sqs, url);
    }

    @Test
    void fifoQueueDeliversEveryMessageOnceAndEachGroupInOrder(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("sixteen-consumers.fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        List<String> bodies = IntStream.range(0, FIFO_MESSAGES_PER_GROUP)
                .boxed()
                .flatMap(i -> IntStream.range(0, FIFO_GROUPS).mapToObj(group -> "g" + group + ":" + i))
                .toList();

        // Each producer owns a quarter of the groups and sends each group's messages in order.
        List<Message> received = produceAndConsume(stratus, url, bodies.size(), producer -> {
            for (String body : bodies) {
                String group = group(body);
                if (Integer.parseInt(group.substring(1)) % PRODUCERS == producer) {
                    sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId(group).messageDeduplicationId(body));
                }
            }
        });

        assertThat(duplicates(received)).as("delivered twice").isEmpty();
        assertThat(missing(bodies, received)).as("lost").isEmpty();
        Map<String, List<Integer>> receiptOrder = received.stream().collect(Collectors.groupingBy(
                message -> group(message.body()), LinkedHashMap::new,
                Collectors.mapping(message -> Integer.parseInt(message.body().substring(message.body().indexOf(':') + 1)), Collectors.toList())));
        List<Integer> sendOrder = IntStream.range(0, FIFO_MESSAGES_PER_GROUP).boxed().toList();
        receiptOrder.forEach((group, order) -> assertThat(order).as("group %s in the order of receipt", group).isEqualTo(sendOrder));
        assertDrained(sqs, url);
    }

    /**
     * Runs the producers and the consumers together until every message has been received (or the
     * deadline passes) and returns what the consumers received, in the order they received it.
     * A consumer logs a batch before deleting it, and a FIFO group releases its next messages only
     * once that delete is done, so the log holds each group in its order of receipt.
     */
    private static List<Message> produceAndConsume(Stratus stratus, String url, int expected, Producer producer) throws Exception {
        List<Message> log = Collections.synchronizedList(new ArrayList<>());
        Set<String> distinct = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                SqsClient consumer = stratus.client(SqsClient.class);
                running.add(pool.submit(() -> {
                    while (distinct.size() < expected && System.nanoTime() < deadline) {
                        List<Message> batch = consumer.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                                .visibilityTimeout(VISIBILITY_TIMEOUT_SECONDS).waitTimeSeconds(1)).messages();
                        if (batch.isEmpty()) {
                            continue;
                        }
                        log.addAll(batch);
                        batch.forEach(message -> distinct.add(message.messageId()));
                        List<DeleteMessageBatchRequestEntry> deletes = IntStream.range(0, batch.size())
                                .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(batch.get(i).receiptHandle()).build())
                                .toList();
                        assertThat(consumer.deleteMessageBatch(r -> r.queueUrl(url).entries(deletes)).failed()).isEmpty();
                    }
                }));
            }
            for (int p = 0; p < PRODUCERS; p++) {
                int index = p;
                running.add(pool.submit(() -> producer.send(index)));
            }
            for (Future<?> task : running) {
                task.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(log);
    }

    private static String group(String body) {
        return body.substring(0, body.indexOf(':'));
    }

    private static Map<String, Long> duplicates(List<Message> received) {
        return received.stream().collect(Collectors.groupingBy(Message::body, Collectors.counting())).entrySet().stream()
                .filter(entry -> entry.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<String> missing(List<String> sent, List<Message> received) {
        Set<String> receivedBodies = received.stream().map(Message::body).collect(Collectors.toSet());
        return sent.stream().filter(Predicate.not(receivedBodies::contains)).toList();
    }

    private static void assertDrained(SqsClient sqs, String url) {
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes())
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
    }
}
