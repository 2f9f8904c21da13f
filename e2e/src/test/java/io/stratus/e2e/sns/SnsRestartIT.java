package io.stratus.e2e.sns;

import static io.stratus.e2e.sns.SnsFixtures.QUEUES;
import static io.stratus.e2e.sns.SnsFixtures.bodies;
import static io.stratus.e2e.sns.SnsFixtures.queueFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.Tag;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Topics, subscriptions, deduplication and acknowledged messages survive a restart of a RocksDB-backed Stratus. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class SnsRestartIT {

    @Test
    void topicsAndSubscriptionsSurviveARestart(Stratus stratus, SnsClient sns) {
        String topic = sns.createTopic(r -> r.name("kept").attributes(Map.of("DisplayName", "Kept")).tags(Tag.builder().key("k").value("v").build()))
                .topicArn();
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "kept-q")
                .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", "{\"a\":[\"b\"]}"))).subscriptionArn();
        String fifo = sns.createTopic(r -> r.name("kept.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String firstId = sns.publish(r -> r.topicArn(fifo).message("once").messageGroupId("g").messageDeduplicationId("d-1")).messageId();

        stratus.restart();

        assertThat(sns.getTopicAttributes(r -> r.topicArn(topic)).attributes()).containsEntry("DisplayName", "Kept")
                .containsEntry("SubscriptionsConfirmed", "1");
        assertThat(sns.listTagsForResource(r -> r.resourceArn(topic)).tags()).extracting(Tag::key).containsExactly("k");
        assertThat(sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscription)).attributes())
                .containsEntry("RawMessageDelivery", "true").containsEntry("FilterPolicy", "{\"a\":[\"b\"]}");
        assertThat(sns.getTopicAttributes(r -> r.topicArn(fifo)).attributes()).containsEntry("FifoTopic", "true");
        // Still within five minutes: the same deduplication id is the same message.
        assertThat(sns.publish(r -> r.topicArn(fifo).message("twice").messageGroupId("g").messageDeduplicationId("d-1")).messageId())
                .isEqualTo(firstId);
    }

    @Test
    void everyAcknowledgedMessageArrivesAcrossARestart(Stratus stratus, SnsClient sns, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("busy")).topicArn();
        String first = queueFor(sqs, "busy-1", topic);
        String second = queueFor(sqs, "busy-2", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "busy-1"));
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "busy-2").attributes(Map.of("RawMessageDelivery", "true")));

        int count = 0;
        for (int batch = 0; batch < 20; batch++) {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(PublishBatchRequestEntry.builder().id("e" + i).message("m-" + (count++)).build());
            }
            assertThat(sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(entries)).failed()).isEmpty();
        }
        // Whatever the delivery thread had not sent yet waits in the store for the next run.
        stratus.restart();

        List<String> enveloped = bodies(sqs, first, count, Duration.ofSeconds(30)).stream().map((JsonNode b) -> b.get("Message").asText()).toList();
        List<String> raw = SnsFixtures.receive(sqs, second, count, Duration.ofSeconds(30)).stream().map(m -> m.body()).toList();
        assertThat(enveloped).hasSize(count).doesNotHaveDuplicates();
        assertThat(raw).hasSize(count).doesNotHaveDuplicates();
    }
}
