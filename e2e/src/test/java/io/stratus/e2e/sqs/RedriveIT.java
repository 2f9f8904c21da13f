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
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Dead-letter queues: a message received more than maxReceiveCount times moves to the DLQ on the next receive. */
@StratusTest
class RedriveIT {

    @Test
    void messagePastMaxReceiveCountMovesToTheDeadLetterQueue(SqsClient sqs) {
        String dlq = sqs.createQueue(r -> r.queueName("work-dlq")).queueUrl();
        String source = sqs.createQueue(r -> r.queueName("work").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:work-dlq\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        String id = sqs.sendMessage(r -> r.queueUrl(source).messageBody("poison")).messageId();

        assertThat(sqs.receiveMessage(r -> r.queueUrl(source).visibilityTimeout(0)).messages()).hasSize(1);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(source).visibilityTimeout(0)).messages()).hasSize(1);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(source).visibilityTimeout(0)).messages()).isEmpty();

        List<Message> dead = sqs.receiveMessage(r -> r.queueUrl(dlq).attributeNamesWithStrings("All")).messages();
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(id);
            assertThat(m.body()).isEqualTo("poison");
            assertThat(m.attributesAsStrings()).containsEntry("DeadLetterQueueSourceArn", "arn:aws:sqs:us-east-1:000000000000:work");
        });
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(source).attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributesAsStrings())
                .containsEntry("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:work-dlq\",\"maxReceiveCount\":2}");
        assertThat(sqs.listDeadLetterSourceQueues(r -> r.queueUrl(dlq)).queueUrls()).containsExactly(source);
    }

    @Test
    void redrivePolicyNeedsAnExistingTargetAndAValidCount(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("lonely")).queueUrl();
        sqs.createQueue(r -> r.queueName("closed-dlq").attributes(Map.of(QueueAttributeName.REDRIVE_ALLOW_POLICY, "{\"redrivePermission\":\"denyAll\"}")));

        for (String policy : List.of(
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:missing\",\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:lonely\",\"maxReceiveCount\":0}",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:closed-dlq\",\"maxReceiveCount\":3}",
                "not json")) {
            assertThatThrownBy(() -> sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy))))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).contains("parameter RedrivePolicy is invalid");
                    });
        }
    }
}
