package io.stratus.e2e.sns;

import static io.stratus.e2e.sns.SnsFixtures.QUEUES;
import static io.stratus.e2e.sns.SnsFixtures.bodies;
import static io.stratus.e2e.sns.SnsFixtures.queueFor;
import static io.stratus.e2e.sns.SnsFixtures.receive;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Fan-out from a topic to SQS queues: the JSON envelope, raw delivery, filter policies, batches and message structures. */
@StratusTest
class SnsFanOutIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static MessageAttributeValue number(String value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(value).build();
    }

    @Test
    void everySubscribedQueueGetsTheEnvelope(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("fan")).topicArn();
        String first = queueFor(sqs, "fan-1", topic);
        String second = queueFor(sqs, "fan-2", topic);
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "fan-1")).subscriptionArn();
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "fan-2"));
        assertThat(subscription).startsWith(topic + ":");

        PublishResponse published = sns.publish(r -> r.topicArn(topic).message("hello").subject("Greeting")
                .messageAttributes(Map.of("colour", string("blue"), "size", number("3"),
                        "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("bin")).build())));

        JsonNode envelope = bodies(sqs, first, 1, WAIT).getFirst();
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("MessageId").asText()).isEqualTo(published.messageId());
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topic);
        assertThat(envelope.get("Subject").asText()).isEqualTo("Greeting");
        assertThat(envelope.get("Message").asText()).isEqualTo("hello");
        assertThat(envelope.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(envelope.get("SignatureVersion").asText()).isEqualTo("1");
        assertThat(envelope.has("Signature")).isTrue();
        assertThat(envelope.get("SigningCertURL").asText()).isNotBlank();
        assertThat(envelope.get("UnsubscribeURL").asText()).contains("Action=Unsubscribe");
        assertThat(envelope.get("MessageAttributes").get("colour").get("Type").asText()).isEqualTo("String");
        assertThat(envelope.get("MessageAttributes").get("colour").get("Value").asText()).isEqualTo("blue");
        assertThat(envelope.get("MessageAttributes").get("size").get("Type").asText()).isEqualTo("Number");
        assertThat(envelope.get("MessageAttributes").get("blob").get("Value").asText()).isEqualTo("Ymlu");
        assertThat(bodies(sqs, second, 1, WAIT)).singleElement().satisfies(b -> assertThat(b.get("Message").asText()).isEqualTo("hello"));

        Map<String, String> attributes = sns.getTopicAttributes(r -> r.topicArn(topic)).attributes();
        assertThat(attributes).containsEntry("SubscriptionsConfirmed", "2");
        assertThat(sns.listSubscriptionsByTopic(r -> r.topicArn(topic)).subscriptions()).hasSize(2)
                .allSatisfy(s -> assertThat(s.protocol()).isEqualTo("sqs"));
        // Subscribing again answers the same subscription.
        assertThat(sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "fan-1")).subscriptionArn()).isEqualTo(subscription);

        sns.unsubscribe(r -> r.subscriptionArn(subscription));
        assertThat(sns.getTopicAttributes(r -> r.topicArn(topic)).attributes())
                .containsEntry("SubscriptionsConfirmed", "1").containsEntry("SubscriptionsDeleted", "1");
        sns.publish(r -> r.topicArn(topic).message("after"));
        assertThat(bodies(sqs, second, 1, WAIT)).singleElement().satisfies(b -> assertThat(b.get("Message").asText()).isEqualTo("after"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(first).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void rawDeliveryHandsOverTheMessageAndItsAttributes(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("raw")).topicArn();
        String queue = queueFor(sqs, "raw-q", topic);
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "raw-q")
                .attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn();
        assertThat(sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscription)).attributes())
                .containsEntry("RawMessageDelivery", "true").containsEntry("Protocol", "sqs").containsEntry("Endpoint", QUEUES + "raw-q")
                .containsEntry("TopicArn", topic).containsEntry("PendingConfirmation", "false");

        sns.publish(r -> r.topicArn(topic).message("{\"plain\":true}").messageAttributes(Map.of("kind", string("order"),
                "amount", number("12.5"), "blob", MessageAttributeValue.builder().dataType("Binary.gz")
                        .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, (byte) 0xFF})).build())));

        Message message = receive(sqs, queue, 1, WAIT).getFirst();
        assertThat(message.body()).isEqualTo("{\"plain\":true}");
        assertThat(message.messageAttributes().get("kind").dataType()).isEqualTo("String");
        assertThat(message.messageAttributes().get("kind").stringValue()).isEqualTo("order");
        assertThat(message.messageAttributes().get("amount").dataType()).isEqualTo("Number");
        assertThat(message.messageAttributes().get("amount").stringValue()).isEqualTo("12.5");
        assertThat(message.messageAttributes().get("blob").dataType()).isEqualTo("Binary.gz");
        assertThat(message.messageAttributes().get("blob").binaryValue().asByteArray()).containsExactly(1, 2, 0xFF);
    }

    @Test
    void filterPoliciesPickTheMessagesBothOnAttributesAndOnTheBody(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("filtered")).topicArn();
        String big = queueFor(sqs, "big-orders", topic);
        String blue = queueFor(sqs, "blue-bodies", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "big-orders")
                .attributes(Map.of("FilterPolicy", "{\"kind\":[\"order\"],\"amount\":[{\"numeric\":[\">=\",100]}]}")));
        String bodySubscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "blue-bodies")
                .attributes(Map.of("FilterPolicy", "{\"item\":{\"colour\":[\"blue\"]}}", "FilterPolicyScope", "MessageBody"))).subscriptionArn();

        sns.publish(r -> r.topicArn(topic).message("{\"item\":{\"colour\":\"red\"}}")
                .messageAttributes(Map.of("kind", string("order"), "amount", number("50"))));
        sns.publish(r -> r.topicArn(topic).message("{\"item\":{\"colour\":\"blue\"}}")
                .messageAttributes(Map.of("kind", string("order"), "amount", number("150"))));
        sns.publish(r -> r.topicArn(topic).message("not json").messageAttributes(Map.of("kind", string("refund"), "amount", number("500"))));

        assertThat(bodies(sqs, big, 2, Duration.ofSeconds(3))).extracting(b -> b.get("Message").asText())
                .containsExactly("{\"item\":{\"colour\":\"blue\"}}");
        assertThat(bodies(sqs, blue, 2, Duration.ofSeconds(3))).extracting(b -> b.get("Message").asText())
                .containsExactly("{\"item\":{\"colour\":\"blue\"}}");
        assertThat(sns.getSubscriptionAttributes(r -> r.subscriptionArn(bodySubscription)).attributes())
                .containsEntry("FilterPolicyScope", "MessageBody");

        // Removing the policy lets everything through.
        sns.setSubscriptionAttributes(r -> r.subscriptionArn(bodySubscription).attributeName("FilterPolicy").attributeValue(""));
        sns.publish(r -> r.topicArn(topic).message("anything"));
        assertThat(bodies(sqs, blue, 1, WAIT)).extracting(b -> b.get("Message").asText()).containsExactly("anything");
    }

    @Test
    void jsonMessageStructureSendsEachProtocolItsOwnMessage(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("structured")).topicArn();
        String queue = queueFor(sqs, "structured-q", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "structured-q"));
        sns.publish(r -> r.topicArn(topic).messageStructure("json").message("{\"default\":\"for everyone\",\"sqs\":\"for queues\"}"));
        sns.publish(r -> r.topicArn(topic).messageStructure("json").message("{\"default\":\"only default\"}"));
        assertThat(bodies(sqs, queue, 2, WAIT)).extracting(b -> b.get("Message").asText()).containsExactlyInAnyOrder("for queues", "only default");
    }

    @Test
    void publishBatchPublishesEachEntryAndReportsTheFailedOnes(SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("batched")).topicArn();
        String queue = queueFor(sqs, "batched-q", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "batched-q"));

        PublishBatchResponse response = sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(
                e -> e.id("one").message("first"),
                e -> e.id("two").message("second").subject("S"),
                e -> e.id("bad").message("x").messageAttributes(Map.of("n", number("not a number")))));

        assertThat(response.successful()).extracting(s -> s.id()).containsExactly("one", "two");
        assertThat(response.successful()).allSatisfy(s -> assertThat(s.messageId()).isNotBlank());
        assertThat(response.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("bad");
            assertThat(f.senderFault()).isTrue();
            assertThat(f.code()).isEqualTo("ParameterValueInvalid");
        });
        assertThat(bodies(sqs, queue, 2, WAIT)).extracting(b -> b.get("Message").asText()).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void listSubscriptionsShowsEveryTopicsSubscriptions(SnsClient sns) {
        String a = sns.createTopic(r -> r.name("list-a")).topicArn();
        String b = sns.createTopic(r -> r.name("list-b")).topicArn();
        sns.subscribe(r -> r.topicArn(a).protocol("sqs").endpoint(QUEUES + "list-q"));
        sns.subscribe(r -> r.topicArn(b).protocol("lambda").endpoint("arn:aws:lambda:us-east-1:000000000000:function:list-fn"));
        List<String> topics = sns.listSubscriptions().subscriptions().stream().map(s -> s.topicArn()).toList();
        assertThat(topics).contains(a, b);
    }
}
