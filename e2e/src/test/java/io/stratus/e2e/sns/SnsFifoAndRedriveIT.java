package io.stratus.e2e.sns;

import static io.stratus.e2e.sns.SnsFixtures.QUEUES;
import static io.stratus.e2e.sns.SnsFixtures.bodies;
import static io.stratus.e2e.sns.SnsFixtures.json;
import static io.stratus.e2e.sns.SnsFixtures.queueFor;
import static io.stratus.e2e.sns.SnsFixtures.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** FIFO topics (order, groups, deduplication) and dead-letter queues for messages that cannot be delivered. */
@StratusTest
class SnsFifoAndRedriveIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aFifoTopicDeliversInOrderWithItsGroupAndDropsDuplicates(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("ledger.fifo").attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true")))
                .topicArn();
        String queue = queueFor(sqs, "ledger-q.fifo", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "ledger-q.fifo"));

        List<String> sequenceNumbers = new ArrayList<>();
        String firstId = null;
        for (int i = 0; i < 5; i++) {
            String body = "entry-" + i;
            PublishResponse response = sns.publish(r -> r.topicArn(topic).message(body).messageGroupId("account-1"));
            assertThat(response.sequenceNumber()).hasSize(20);
            sequenceNumbers.add(response.sequenceNumber());
            if (i == 0) {
                firstId = response.messageId();
            }
        }
        assertThat(sequenceNumbers).isSorted();
        // The same content within five minutes is the same message.
        PublishResponse duplicate = sns.publish(r -> r.topicArn(topic).message("entry-0").messageGroupId("account-1"));
        assertThat(duplicate.messageId()).isEqualTo(firstId);
        // An explicit deduplication id wins over the content.
        sns.publish(r -> r.topicArn(topic).message("entry-0").messageGroupId("account-1").messageDeduplicationId("again"));

        List<Message> messages = receive(sqs, queue, 6, WAIT);
        assertThat(messages).extracting(m -> json(m.body()).get("Message").asText())
                .containsExactly("entry-0", "entry-1", "entry-2", "entry-3", "entry-4", "entry-0");
        assertThat(messages).allSatisfy(m -> assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("account-1"));
        assertThat(json(messages.getFirst().body()).get("SequenceNumber").asText()).isEqualTo(sequenceNumbers.getFirst());
    }

    @Test
    void fifoTopicsRefuseWhatAwsRefuses(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("strict.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String standard = sns.createTopic(r -> r.name("loose")).topicArn();
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).message("x").messageDeduplicationId("d")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("MessageGroupId parameter is required");
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).message("x").messageGroupId("g")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("ContentBasedDeduplication");
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(standard).message("x").messageDeduplicationId("d")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "standard-q")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.subscribe(r -> r.topicArn(standard).protocol("sqs").endpoint(QUEUES + "fifo-q.fifo")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.subscribe(r -> r.topicArn(topic).protocol("lambda")
                .endpoint("arn:aws:lambda:us-east-1:000000000000:function:f"))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void aMessageTheQueueRefusesGoesToTheDeadLetterQueue(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("redriven")).topicArn();
        // This queue has no policy for SNS: AWS counts that as a client-side error and redrives at once.
        sqs.createQueue(r -> r.queueName("closed-q"));
        String dead = queueFor(sqs, "closed-dlq", topic);
        String redrive = "{\"deadLetterTargetArn\":\"" + QUEUES + "closed-dlq\"}";
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "closed-q")
                .attributes(Map.of("RedrivePolicy", redrive))).subscriptionArn();
        // And this one does not exist at all.
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "missing-q").attributes(Map.of("RedrivePolicy", redrive)));
        assertThat(sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscription)).attributes()).containsEntry("RedrivePolicy", redrive);

        PublishResponse published = sns.publish(r -> r.topicArn(topic).message("undeliverable"));

        List<JsonNode> deadLetters = bodies(sqs, dead, 2, WAIT);
        assertThat(deadLetters).hasSize(2).allSatisfy(envelope -> {
            assertThat(envelope.get("MessageId").asText()).isEqualTo(published.messageId());
            assertThat(envelope.get("Message").asText()).isEqualTo("undeliverable");
        });
    }

    @Test
    void redrivePoliciesMustNameAnSqsQueueOfTheRightKind(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("redrive-checks")).topicArn();
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "checked")).subscriptionArn();
        for (String policy : List.of("not json", "{\"deadLetterTargetArn\":\"nope\"}",
                "{\"deadLetterTargetArn\":\"arn:aws:sns:us-east-1:000000000000:topic\"}",
                "{\"deadLetterTargetArn\":\"" + QUEUES + "dlq.fifo\"}")) {
            assertThatThrownBy(() -> sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscription).attributeName("RedrivePolicy")
                    .attributeValue(policy))).as(policy).isInstanceOfSatisfying(InvalidParameterException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
        }
    }
}
