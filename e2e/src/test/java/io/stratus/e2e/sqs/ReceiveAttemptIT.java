package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** FIFO ReceiveRequestAttemptId: a retried receive gets the same messages and receipt handles. */
@StratusTest
class ReceiveAttemptIT {

    private static String fifoQueue(SqsClient sqs, String name) {
        String url = sqs.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
        for (String body : List.of("a", "b", "c")) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId("g"));
        }
        return url;
    }

    @Test
    void aRetryWithTheSameAttemptIdGetsTheSameMessages(SqsClient sqs) {
        String url = fifoQueue(sqs, "retried.fifo");

        List<Message> first = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(2).receiveRequestAttemptId("attempt-1")).messages();
        List<Message> retry = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(2).receiveRequestAttemptId("attempt-1")).messages();

        assertThat(first).extracting(Message::body).containsExactly("a", "b");
        assertThat(retry).extracting(Message::messageId).isEqualTo(first.stream().map(Message::messageId).toList());
        assertThat(retry).extracting(Message::receiptHandle).isEqualTo(first.stream().map(Message::receiptHandle).toList());
        // Another attempt is a receive of its own, and group g is in flight.
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).receiveRequestAttemptId("attempt-2")).messages()).isEmpty();
        // The handles of the retry work.
        retry.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
    }

    @Test
    void aRetryAfterADeleteIsAFreshReceive(SqsClient sqs) {
        String url = fifoQueue(sqs, "changed.fifo");

        List<Message> first = sqs.receiveMessage(r -> r.queueUrl(url).receiveRequestAttemptId("attempt")).messages();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.getFirst().receiptHandle()));

        List<Message> retry = sqs.receiveMessage(r -> r.queueUrl(url).receiveRequestAttemptId("attempt")).messages();
        assertThat(retry).extracting(Message::body).containsExactly("b");
    }
}
