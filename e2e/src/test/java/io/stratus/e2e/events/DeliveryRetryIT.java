package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.assertEmpty;
import static io.stratus.e2e.events.EventsFixture.json;
import static io.stratus.e2e.events.EventsFixture.openQueue;
import static io.stratus.e2e.events.EventsFixture.queueArn;
import static io.stratus.e2e.events.EventsFixture.receiveOne;
import static io.stratus.e2e.events.EventsFixture.ruleArn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Deliveries a target refuses for a reason that may pass (here: a queue whose MaximumMessageSize
 * is smaller than the event) are retried with backoff, on the server's clock, until the target
 * takes them or the target's RetryPolicy runs out; then the dead-letter queue gets the event with
 * AWS's attributes.
 */
@StratusTest
class DeliveryRetryIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String BIG_DETAIL = "{\"padding\":\"" + "x".repeat(2000) + "\"}";

    private static String smallQueue(SqsClient sqs, String name) {
        return openQueue(sqs, name, Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
    }

    private static String putBig(EventBridgeClient events, String source) {
        return events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source(source).detailType("Big").detail(BIG_DETAIL).build()))
                .entries().getFirst().eventId();
    }

    /** Moves the clock a minute at a time until the queue gets a message; fails after {@code rounds}. */
    private static Message advanceUntilMessage(Stratus stratus, SqsClient sqs, String url, int rounds) {
        for (int i = 0; i < rounds; i++) {
            stratus.clock().advance(Duration.ofMinutes(1));
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2).messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(messages.getFirst().receiptHandle()));
                return messages.getFirst();
            }
        }
        throw new AssertionError("No message in " + url + " after " + rounds + " minutes");
    }

    @Test
    void aFailedDeliveryIsRetriedUntilTheTargetTakesIt(Stratus stratus, EventBridgeClient events, SqsClient sqs) throws Exception {
        String url = smallQueue(sqs, "grows-later");
        events.putRule(r -> r.name("retried").eventPattern("{\"source\":[\"retried\"]}"));
        events.putTargets(r -> r.rule("retried").targets(Target.builder().id("q").arn(queueArn("grows-later")).build()));

        String id = putBig(events, "retried");
        Thread.sleep(1500); // the first attempt fails
        assertEmpty(sqs, url);
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")));

        assertThat(json(advanceUntilMessage(stratus, sqs, url, 5).body()).get("id").asText()).isEqualTo(id);
    }

    @Test
    void retriesRunOutAfterMaximumRetryAttemptsAndTheDeadLetterQueueGetsTheEvent(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        String url = smallQueue(sqs, "always-small");
        String dlq = openQueue(sqs, "always-small-dlq");
        events.putRule(r -> r.name("exhausted").eventPattern("{\"source\":[\"exhausted\"]}"));
        events.putTargets(r -> r.rule("exhausted").targets(Target.builder().id("q").arn(queueArn("always-small"))
                .retryPolicy(p -> p.maximumRetryAttempts(2)).deadLetterConfig(d -> d.arn(queueArn("always-small-dlq"))).build()));

        String id = putBig(events, "exhausted");

        Message dead = advanceUntilMessage(stratus, sqs, dlq, 8);
        assertThat(json(dead.body()).get("id").asText()).isEqualTo(id);
        assertThat(dead.messageAttributes().get("RULE_ARN").stringValue()).isEqualTo(ruleArn("exhausted"));
        assertThat(dead.messageAttributes().get("TARGET_ARN").stringValue()).isEqualTo(queueArn("always-small"));
        assertThat(dead.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("SDK_CLIENT_ERROR");
        assertThat(dead.messageAttributes().get("ERROR_MESSAGE").stringValue()).contains("Message must be shorter than 1024 bytes");
        assertThat(dead.messageAttributes().get("EXHAUSTED_RETRY_CONDITION").stringValue()).isEqualTo("MaximumRetryAttempts");
        assertThat(dead.messageAttributes().get("RETRY_ATTEMPTS").stringValue()).isEqualTo("2");
        assertEmpty(sqs, url);
    }

    @Test
    void retriesRunOutWhenTheEventIsOlderThanMaximumEventAge(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        smallQueue(sqs, "too-old");
        String dlq = openQueue(sqs, "too-old-dlq");
        events.putRule(r -> r.name("aged").eventPattern("{\"source\":[\"aged\"]}"));
        events.putTargets(r -> r.rule("aged").targets(Target.builder().id("q").arn(queueArn("too-old"))
                .retryPolicy(p -> p.maximumEventAgeInSeconds(60)).deadLetterConfig(d -> d.arn(queueArn("too-old-dlq"))).build()));

        putBig(events, "aged");

        Message dead = advanceUntilMessage(stratus, sqs, dlq, 5);
        assertThat(dead.messageAttributes().get("EXHAUSTED_RETRY_CONDITION").stringValue()).isEqualTo("MaximumEventAgeInSeconds");
    }

    @Test
    void aMissingTargetIsNotRetriedButDeadLettered(EventBridgeClient events, SqsClient sqs) {
        String dlq = openQueue(sqs, "missing-target-dlq");
        events.putRule(r -> r.name("to-nowhere").eventPattern("{\"source\":[\"nowhere\"]}"));
        events.putTargets(r -> r.rule("to-nowhere").targets(Target.builder().id("q").arn(queueArn("never-created"))
                .deadLetterConfig(d -> d.arn(queueArn("missing-target-dlq"))).build()));

        events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source("nowhere").detailType("Lost").detail("{}").build()));

        Message dead = receiveOne(sqs, dlq, WAIT);
        assertThat(dead.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("NO_RESOURCE");
        assertThat(dead.messageAttributes().get("RETRY_ATTEMPTS").stringValue()).isEqualTo("0");
    }
}
