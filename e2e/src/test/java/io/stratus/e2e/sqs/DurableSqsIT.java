package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Acknowledged means durable: queues, messages and deletes survive a restart on the RocksDB store. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableSqsIT {

    @Test
    void sentMessagesAndDeletesSurviveRestart(Stratus stratus, SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("durable").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "0"))).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("kept"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("deleted"));
        Message toDelete = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages().stream()
                .filter(m -> m.body().equals("deleted")).findFirst().orElseThrow();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(toDelete.receiptHandle()));

        stratus.restart();

        assertThat(sqs.getQueueUrl(r -> r.queueName("durable")).queueUrl()).isEqualTo(url);
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(messages).extracting(Message::body).containsExactly("kept");
        String next = sqs.sendMessage(r -> r.queueUrl(url).messageBody("after")).messageId();
        assertThat(next).isNotBlank();
    }

    @Test
    void fifoSequenceNumbersKeepGrowingAcrossRestart(Stratus stratus, SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("durable.fifo").attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
        String before = sqs.sendMessage(r -> r.queueUrl(url).messageBody("one").messageGroupId("g")).sequenceNumber();

        stratus.restart();

        String after = sqs.sendMessage(r -> r.queueUrl(url).messageBody("two").messageGroupId("g")).sequenceNumber();
        assertThat(after).isGreaterThan(before);
        assertThat(sqs.sendMessage(r -> r.queueUrl(url).messageBody("one").messageGroupId("g")).sequenceNumber())
                .as("the deduplication window survives the restart").isEqualTo(before);
    }
}
