package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Long polls that wake on every change that can make a message receivable, and the time limits of
 * receipt handles, on the movable test clock. A class of its own, since it moves its server's clock.
 */
@StratusTest
class MessageTimingIT {

    private final Stratus stratus;

    MessageTimingIT(Stratus stratus) {
        this.stratus = stratus;
    }

    @AfterEach
    void resetClock() {
        stratus.clock().reset();
    }

    private static String fifo(SqsClient sqs, String name) {
        return sqs.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
    }

    private static CompletableFuture<List<Message>> longPoll(SqsClient sqs, String url) throws InterruptedException {
        CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20)).messages());
        Thread.sleep(300);
        return waiting;
    }

    @Test
    void fifoLongPollWakesWhenTheInFlightMessageOfItsGroupIsDeleted(SqsClient sqs) throws Exception {
        String url = fifo(sqs, "wake-on-delete.fifo");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("first").messageGroupId("g"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("second").messageGroupId("g"));
        Message first = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(60)).messages().getFirst();
        CompletableFuture<List<Message>> waiting = longPoll(sqs, url);

        Instant deleted = Instant.now();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()));

        assertThat(waiting.get(5, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("second");
        assertThat(Duration.between(deleted, Instant.now())).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void longPollWakesWhenAVisibilityTimeoutIsShortened(SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("wake-on-shorter-visibility")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("again"));
        Message message = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(60)).messages().getFirst();
        CompletableFuture<List<Message>> waiting = longPoll(sqs, url);

        Instant changed = Instant.now();
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(1));

        assertThat(waiting.get(5, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("again");
        assertThat(Duration.between(changed, Instant.now())).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void receiveLooksPastManyExpiredMessagesForAVisibleOne(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("expired-head").attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "60")))
                .queueUrl();
        for (int batch = 0; batch < 10; batch++) {
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("old").build()).toList()));
        }
        stratus.clock().advance(Duration.ofSeconds(61));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("fresh"));

        Instant start = Instant.now();
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(10)).messages();

        assertThat(received).extracting(Message::body).containsExactly("fresh");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void visibilityCannotBeExtendedPastTwelveHoursAfterTheReceive(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("twelve-hours")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("long job"));
        Message message = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(43_200)).messages().getFirst();
        stratus.clock().advance(Duration.ofHours(1));

        assertThatThrownBy(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(39_601)))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "Value 39601 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
                });
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(39_590));
    }

    @Test
    void fifoReceiptHandleExpiresWithItsVisibilityTimeout(SqsClient sqs) {
        String url = fifo(sqs, "expiring-handle.fifo");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("slow").messageGroupId("g"));
        Message message = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(30)).messages().getFirst();
        stratus.clock().advance(Duration.ofSeconds(31));

        assertThatThrownBy(() -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle())))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "Value " + message.receiptHandle() + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
                });
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).extracting(Message::body).containsExactly("slow");
    }

    @Test
    void standardReceiptHandleStillDeletesAfterItsVisibilityTimeout(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("late-delete")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("slow"));
        Message message = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(30)).messages().getFirst();
        stratus.clock().advance(Duration.ofSeconds(31));

        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
    }

    @Test
    void sendsRacingDeleteQueueLeaveNothingForALaterQueueOfTheSameName(SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("reborn")).queueUrl();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            sqs.sendMessage(r -> r.queueUrl(url).messageBody("before delete"));
                        } catch (QueueDoesNotExistException e) {
                            return;
                        }
                    }
                });
            }
            Thread.sleep(300);
            sqs.deleteQueue(r -> r.queueUrl(url));
            Thread.sleep(300);
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        stratus.clock().advance(Duration.ofSeconds(61));

        String again = sqs.createQueue(r -> r.queueName("reborn")).queueUrl();

        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(again).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "0");
    }
}
