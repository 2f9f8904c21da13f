package io.stratus.e2e.sns;

import static io.stratus.e2e.sns.SnsFixtures.QUEUES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sns.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;

/** Publish's and the subscription operations' bad inputs, with AWS's codes and statuses. */
@StratusTest
class SnsBadInputIT {

    private static void assertError(ThrowingCallable call, Class<? extends SnsException> type, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(type, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }

    @Test
    void publishChecksTheMessage(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("checked")).topicArn();
        assertError(() -> sns.publish(r -> r.topicArn(topic).message("")), InvalidParameterException.class, "InvalidParameter", 400);
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).message("x".repeat(262_145))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Message too long");
        // The limit counts the attributes too.
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).message("x".repeat(262_100))
                .messageAttributes(Map.of("big", MessageAttributeValue.builder().dataType("String").stringValue("y".repeat(100)).build()))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Message too long");
        assertThat(sns.publish(r -> r.topicArn(topic).message("x".repeat(262_144))).messageId()).isNotBlank();
        assertError(() -> sns.publish(r -> r.topicArn(topic).message("x").subject("line\nbreak")), InvalidParameterException.class,
                "InvalidParameter", 400);
        assertError(() -> sns.publish(r -> r.topicArn(topic).message("x").messageStructure("json")), InvalidParameterException.class,
                "InvalidParameter", 400);
        assertError(() -> sns.publish(r -> r.topicArn(topic).message("{\"sqs\":\"no default\"}").messageStructure("json")),
                InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.publish(r -> r.topicArn(topic).targetArn(topic).message("x")), InvalidParameterException.class,
                "InvalidParameter", 400);
        assertError(() -> sns.publish(r -> r.phoneNumber("+15555550100").message("x")), InvalidParameterException.class, "InvalidParameter", 400);
        // TargetArn may name a topic.
        assertThat(sns.publish(r -> r.targetArn(topic).message("x")).messageId()).isNotBlank();
    }

    @Test
    void publishChecksTheMessageAttributes(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("attributes")).topicArn();
        List<Map<String, MessageAttributeValue>> bad = List.of(
                Map.of("n", MessageAttributeValue.builder().dataType("Number").stringValue("twelve").build()),
                Map.of("t", MessageAttributeValue.builder().dataType("Colour").stringValue("x").build()),
                Map.of("s", MessageAttributeValue.builder().dataType("String").stringValue("").build()),
                Map.of("AWS.reserved", MessageAttributeValue.builder().dataType("String").stringValue("x").build()),
                Map.of("a", MessageAttributeValue.builder().dataType("String.Array").stringValue("[{\"no\":1}]").build()));
        for (Map<String, MessageAttributeValue> attributes : bad) {
            assertError(() -> sns.publish(r -> r.topicArn(topic).message("x").messageAttributes(attributes)),
                    InvalidParameterValueException.class, "ParameterValueInvalid", 400);
        }
        assertThat(sns.publish(r -> r.topicArn(topic).message("x").messageAttributes(Map.of(
                "list", MessageAttributeValue.builder().dataType("String.Array").stringValue("[\"a\",1,true,null]").build(),
                "price", MessageAttributeValue.builder().dataType("Number.float").stringValue("-1.5e3").build()))).messageId()).isNotBlank();
    }

    @Test
    void publishBatchChecksTheBatch(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("batch-checks")).topicArn();
        assertError(() -> sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(List.of())), EmptyBatchRequestException.class,
                "EmptyBatchRequest", 400);
        List<PublishBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(PublishBatchRequestEntry.builder().id("e" + i).message("m").build());
        }
        assertError(() -> sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(eleven)), TooManyEntriesInBatchRequestException.class,
                "TooManyEntriesInBatchRequest", 400);
        assertError(() -> sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(e -> e.id("same").message("a"),
                e -> e.id("same").message("b"))), BatchEntryIdsNotDistinctException.class, "BatchEntryIdsNotDistinct", 400);
        assertError(() -> sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(e -> e.id("no spaces").message("a"))),
                InvalidBatchEntryIdException.class, "InvalidBatchEntryId", 400);
        assertError(() -> sns.publishBatch(r -> r.topicArn(QUEUES.replace("sqs", "sns") + "missing").publishBatchRequestEntries(
                e -> e.id("a").message("a"))), NotFoundException.class, "NotFound", 404);
    }

    @Test
    void aNextTokenThatNoListingGaveIsRefused(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("listed")).topicArn();
        for (String token : List.of("-1", "not base64!", "AAAA")) {
            assertError(() -> sns.listSubscriptions(r -> r.nextToken(token)), InvalidParameterException.class, "InvalidParameter", 400);
            assertError(() -> sns.listSubscriptionsByTopic(r -> r.topicArn(topic).nextToken(token)), InvalidParameterException.class,
                    "InvalidParameter", 400);
        }
    }

    @Test
    void messageArchivingIsRefusedRatherThanIgnored(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("archived.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        assertThatThrownBy(() -> sns.setTopicAttributes(r -> r.topicArn(topic).attributeName("ArchivePolicy")
                .attributeValue("{\"MessageRetentionPeriod\":\"30\"}")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("ArchivePolicy").contains("not supported by Stratus");
                });
        assertError(() -> sns.createTopic(r -> r.name("archived-too.fifo").attributes(Map.of("FifoTopic", "true",
                "ArchivePolicy", "{\"MessageRetentionPeriod\":\"30\"}"))), InvalidParameterException.class, "InvalidParameter", 400);
        assertThat(sns.getTopicAttributes(r -> r.topicArn(topic)).attributes()).doesNotContainKey("ArchivePolicy");
    }

    @Test
    void subscribeNamesWhatStratusSupports(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("protocols")).topicArn();
        assertThatThrownBy(() -> sns.subscribe(r -> r.topicArn(topic).protocol("email").endpoint("someone@example.com")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("email").contains("sqs and lambda");
                });
        assertThatThrownBy(() -> sns.subscribe(r -> r.topicArn(topic).protocol("carrier-pigeon").endpoint("loft")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not support this protocol string: carrier-pigeon");
        assertError(() -> sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint("not-an-arn")), InvalidParameterException.class,
                "InvalidParameter", 400);
        assertError(() -> sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint(QUEUES + "q")), InvalidParameterException.class,
                "InvalidParameter", 400);
        assertError(() -> sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint("arn:aws:lambda:us-east-1:000000000000:function:f")
                .attributes(Map.of("RawMessageDelivery", "true"))), InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "q")
                .attributes(Map.of("FilterPolicy", "{broken"))), InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "q")
                .attributes(Map.of("FilterPolicy", "{\"a\":\"not an array\"}"))), InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.subscribe(r -> r.topicArn(QUEUES.replace("sqs", "sns") + "missing").protocol("sqs").endpoint(QUEUES + "q")),
                NotFoundException.class, "NotFound", 404);
        assertError(() -> sns.confirmSubscription(r -> r.topicArn(topic).token("whatever")), InvalidParameterException.class, "InvalidParameter", 400);
    }

    @Test
    void subscriptionOperationsCheckTheirSubscription(SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("subscription-checks")).topicArn();
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "q")).subscriptionArn();
        String missing = topic + ":00000000-0000-0000-0000-000000000000";
        assertError(() -> sns.unsubscribe(r -> r.subscriptionArn(missing)), NotFoundException.class, "NotFound", 404);
        assertError(() -> sns.getSubscriptionAttributes(r -> r.subscriptionArn(missing)), NotFoundException.class, "NotFound", 404);
        assertError(() -> sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscription).attributeName("Colour").attributeValue("x")),
                InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscription).attributeName("RawMessageDelivery").attributeValue("maybe")),
                InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscription).attributeName("FilterPolicyScope").attributeValue("Body")),
                InvalidParameterException.class, "InvalidParameter", 400);
        assertError(() -> sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "q").attributes(Map.of("RawMessageDelivery", "true"))),
                InvalidParameterException.class, "InvalidParameter", 400);
    }
}
