package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * Standard-queue messages through the AWS SDK v2, which verifies every MD5 it is sent: send,
 * receive, attributes, visibility, delete, batches, long polling, and their bad inputs.
 */
@StratusTest
class MessageIT {

    private static String queue(SqsClient sqs, String name) {
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    @Test
    void sentMessageIsReceivedWithAwsDigestsAndSystemAttributes(SqsClient sqs) {
        String url = queue(sqs, "basic");
        long before = System.currentTimeMillis();
        Map<String, MessageAttributeValue> attributes = Map.of(
                "attribName1", MessageAttributeValue.builder().dataType("String").stringValue("attribValue 1").build(),
                "count", MessageAttributeValue.builder().dataType("Number.int").stringValue("42").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("Hello binary world!")).build());

        SendMessageResponse sent = sqs.sendMessage(r -> r.queueUrl(url).messageBody("hello world").messageAttributes(attributes));

        assertThat(sent.md5OfMessageBody()).isEqualTo("5eb63bbbe01eeed093cb22bb8f5acdc3");
        assertThat(sent.messageId()).isNotBlank();
        assertThat(sent.sequenceNumber()).isNull();
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url)
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(received).hasSize(1);
        Message message = received.getFirst();
        assertThat(message.body()).isEqualTo("hello world");
        assertThat(message.messageId()).isEqualTo(sent.messageId());
        assertThat(message.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
        assertThat(message.messageAttributes()).isEqualTo(attributes);
        assertThat(message.attributesAsStrings())
                .containsEntry("ApproximateReceiveCount", "1")
                .containsEntry("SenderId", "000000000000")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
        assertThat(Long.parseLong(message.attributesAsStrings().get("SentTimestamp"))).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void receiveReturnsOnlyTheMessageAttributesAskedFor(SqsClient sqs) {
        String url = queue(sqs, "attribute-filter");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("b").messageAttributes(Map.of(
                "trace.id", MessageAttributeValue.builder().dataType("String").stringValue("t1").build(),
                "trace.span", MessageAttributeValue.builder().dataType("String").stringValue("s1").build(),
                "other", MessageAttributeValue.builder().dataType("String").stringValue("o").build())));

        Message message = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("trace.*")).messages().getFirst();

        assertThat(message.messageAttributes()).containsOnlyKeys("trace.id", "trace.span");
        assertThat(message.attributes()).isEmpty();
    }

    @Test
    void receivedMessageStaysHiddenForItsVisibilityTimeout(SqsClient sqs) throws Exception {
        String url = queue(sqs, "visibility");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("once"));

        Message first = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(1)).messages().getFirst();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();

        Message again = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(3).attributeNamesWithStrings("All")).messages().getFirst();
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.receiptHandle()).isNotEqualTo(first.receiptHandle());
        assertThat(again.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
    }

    @Test
    void deleteRemovesTheMessageAndOnlyTheLatestHandleDeletes(SqsClient sqs) {
        String url = queue(sqs, "deletes");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        Message first = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)).messages().getFirst();
        Message second = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)).messages().getFirst();

        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()));
        Message third = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(30)).messages().getFirst();
        assertThatThrownBy(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(second.receiptHandle()).visibilityTimeout(0)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("ReceiptHandle is invalid"));
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(third.receiptHandle()).visibilityTimeout(0));
        Message latest = sqs.receiveMessage(r -> r.queueUrl(url)).messages().getFirst();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(latest.receiptHandle()));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)).messages()).isEmpty();
        assertThatThrownBy(() -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle("not-a-handle")))
                .isInstanceOfSatisfying(ReceiptHandleIsInvalidException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The input receipt handle \"not-a-handle\" is not a valid receipt handle."));
    }

    @Test
    void changeMessageVisibilityToZeroMakesTheMessageVisibleAgain(SqsClient sqs) {
        String url = queue(sqs, "change-visibility");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        Message message = sqs.receiveMessage(r -> r.queueUrl(url)).messages().getFirst();

        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(0));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).hasSize(1);
        assertThatThrownBy(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(43_201)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("VisibilityTimeout"));
    }

    @Test
    void delayedMessagesAreHiddenUntilTheirDelayEnds(SqsClient sqs) {
        String url = queue(sqs, "delays");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("late").delaySeconds(1));

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(3)).messages()).extracting(Message::body).containsExactly("late");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").delaySeconds(901)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrives(SqsClient sqs) throws Exception {
        String url = queue(sqs, "long-poll");
        CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20)).messages());
        Thread.sleep(300);

        Instant sent = Instant.now();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("wake up"));
        List<Message> messages = waiting.get(5, TimeUnit.SECONDS);

        assertThat(messages).extracting(Message::body).containsExactly("wake up");
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void longPollOnAnEmptyQueueWaitsItsTimeThenReturnsNothing(SqsClient sqs) {
        String url = queue(sqs, "empty-poll");
        Instant start = Instant.now();

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();

        assertThat(Duration.between(start, Instant.now())).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }

    @Test
    void receiveTakesAtMostMaxNumberOfMessages(SqsClient sqs) {
        String url = queue(sqs, "many");
        for (int i = 0; i < 15; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("m" + n));
        }

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(10);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(5);
        for (int bad : List.of(0, 11)) {
            assertThatThrownBy(() -> sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(bad)))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).contains("MaxNumberOfMessages");
                    });
        }
        assertThatThrownBy(() -> sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(21)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("WaitTimeSeconds"));
    }

    @Test
    void sendMessageBatchReportsEachEntryAndRejectsBadBatches(SqsClient sqs) {
        String url = queue(sqs, "batches");

        SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("a").messageBody("first").build(),
                SendMessageBatchRequestEntry.builder().id("b").messageBody("second").delaySeconds(1000).build(),
                SendMessageBatchRequestEntry.builder().id("c").messageBody("third").build()));

        assertThat(response.successful()).extracting(e -> e.id()).containsExactly("a", "c");
        assertThat(response.successful().getFirst().md5OfMessageBody()).isEqualTo("8b04d5e3775d298e78455efc5ca404d5");
        assertThat(response.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("b");
            assertThat(f.code()).isEqualTo("InvalidParameterValue");
            assertThat(f.senderFault()).isTrue();
        });
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(List.of())))
                .isInstanceOf(EmptyBatchRequestException.class);
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("same").messageBody("1").build(),
                SendMessageBatchRequestEntry.builder().id("same").messageBody("2").build())))
                .isInstanceOfSatisfying(BatchEntryIdsNotDistinctException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Id same repeated."));
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("bad id!").messageBody("1").build())))
                .isInstanceOf(InvalidBatchEntryIdException.class);
        List<SendMessageBatchRequestEntry> eleven = java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m").build()).toList();
        assertThatThrownBy(() -> sqs.sendMessageBatch(r -> r.queueUrl(url).entries(eleven)))
                .isInstanceOfSatisfying(TooManyEntriesInBatchRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Maximum number of entries per request are 10. You have sent 11."));
    }

    @Test
    void deleteAndChangeVisibilityBatchesReportEachEntry(SqsClient sqs) {
        String url = queue(sqs, "handle-batches");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("1"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("2"));
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(2);

        ChangeMessageVisibilityBatchResponse changed = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(url).entries(
                e -> e.id("one").receiptHandle(messages.get(0).receiptHandle()).visibilityTimeout(60),
                e -> e.id("bad").receiptHandle("garbage").visibilityTimeout(60)));
        assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("one");
        assertThat(changed.failed()).singleElement().satisfies(f -> assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid"));

        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("d0").receiptHandle(messages.get(0).receiptHandle()),
                e -> e.id("d1").receiptHandle(messages.get(1).receiptHandle())));
        assertThat(deleted.successful()).extracting(e -> e.id()).containsExactly("d0", "d1");
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings())
                .containsEntry("ApproximateNumberOfMessages", "0").containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    @Test
    void badMessagesAreRejectedWithAwsCodes(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("strict").attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"))).queueUrl();

        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x".repeat(1025))))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
                });
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("bad \u0001 char")))
                .isInstanceOf(InvalidMessageContentsException.class);
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "n", MessageAttributeValue.builder().dataType("Number").stringValue("not a number").build()))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "t", MessageAttributeValue.builder().dataType("Text").stringValue("v").build()))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("invalid message attribute type"));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("MessageDeduplicationId"));
    }
}
