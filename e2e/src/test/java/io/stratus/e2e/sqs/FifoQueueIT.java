package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** FIFO queues through the AWS SDK v2: group order, blocked groups, deduplication, sequence numbers. */
@StratusTest
class FifoQueueIT {

    private static String fifo(SqsClient sqs, String name, Map<QueueAttributeName, String> extra) {
        Map<QueueAttributeName, String> attributes = new java.util.HashMap<>(extra);
        attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    @Test
    void fifoQueueReportsItsAttributes(SqsClient sqs) {
        String url = fifo(sqs, "attrs.fifo", Map.of());

        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings())
                .containsEntry("FifoQueue", "true")
                .containsEntry("ContentBasedDeduplication", "false")
                .containsEntry("DeduplicationScope", "queue")
                .containsEntry("FifoThroughputLimit", "perQueue");
    }

    @Test
    void messagesOfAGroupArriveInOrderAndAGroupInFlightIsBlocked(SqsClient sqs) {
        String url = fifo(sqs, "orders.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        for (String body : List.of("a1", "a2", "a3")) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId("A"));
        }
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("b1").messageGroupId("B"));

        List<Message> first = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(2)).messages();
        assertThat(first).extracting(Message::body).containsExactly("a1", "a2");

        List<Message> second = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(second).extracting(Message::body).containsExactly("b1");

        first.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).extracting(Message::body).containsExactly("a3");
    }

    @Test
    void duplicateSendsWithinFiveMinutesAreAcceptedButStoredOnce(SqsClient sqs) {
        String url = fifo(sqs, "dedup.fifo", Map.of());

        SendMessageResponse first = sqs.sendMessage(r -> r.queueUrl(url).messageBody("pay").messageGroupId("g").messageDeduplicationId("p-1"));
        SendMessageResponse again = sqs.sendMessage(r -> r.queueUrl(url).messageBody("pay").messageGroupId("g").messageDeduplicationId("p-1"));
        SendMessageResponse other = sqs.sendMessage(r -> r.queueUrl(url).messageBody("pay").messageGroupId("g").messageDeduplicationId("p-2"));

        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(first.sequenceNumber()).hasSize(20);
        assertThat(other.sequenceNumber()).isGreaterThan(first.sequenceNumber());
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).attributeNamesWithStrings("All")).messages();
        assertThat(messages).hasSize(2);
        assertThat(messages.getFirst().attributesAsStrings())
                .containsEntry("MessageGroupId", "g")
                .containsEntry("MessageDeduplicationId", "p-1")
                .containsEntry("SequenceNumber", first.sequenceNumber());
    }

    @Test
    void contentBasedDeduplicationUsesTheBody(SqsClient sqs) {
        String url = fifo(sqs, "content.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));

        String id1 = sqs.sendMessage(r -> r.queueUrl(url).messageBody("same").messageGroupId("g")).messageId();
        String id2 = sqs.sendMessage(r -> r.queueUrl(url).messageBody("same").messageGroupId("g")).messageId();

        assertThat(id2).isEqualTo(id1);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(1);
    }

    @Test
    void fifoSendsNeedAGroupAndADeduplicationIdAndNoDelay(SqsClient sqs) {
        String url = fifo(sqs, "strict.fifo", Map.of());

        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The request must contain the parameter MessageGroupId.");
                });
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageGroupId("g")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageGroupId("g").messageDeduplicationId("d").delaySeconds(5)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("DelaySeconds"));
    }

    @Test
    void queueTypeCannotChange(SqsClient sqs) {
        String url = fifo(sqs, "fixed.fifo", Map.of());

        assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "false"))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).contains("InvalidAttributeValue"));
    }
}
