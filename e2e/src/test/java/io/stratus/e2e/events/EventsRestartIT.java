package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.assertEmpty;
import static io.stratus.e2e.events.EventsFixture.json;
import static io.stratus.e2e.events.EventsFixture.openQueue;
import static io.stratus.e2e.events.EventsFixture.queueArn;
import static io.stratus.e2e.events.EventsFixture.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What EventBridge acknowledged survives a restart: buses, rules, targets, schedules, and deliveries not yet made. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class EventsRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void busesRulesAndTargetsSurviveARestart(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "durable-target");
        events.createEventBus(r -> r.name("durable"));
        events.putRule(r -> r.name("kept").eventBusName("durable").eventPattern("{\"source\":[\"kept\"]}"));
        events.putTargets(r -> r.rule("kept").eventBusName("durable").targets(Target.builder().id("q").arn(queueArn("durable-target")).build()));

        stratus.restart();

        assertThat(events.describeRule(r -> r.name("kept").eventBusName("durable")).eventPattern()).isEqualTo("{\"source\":[\"kept\"]}");
        events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source("kept").detailType("Still").detail("{}").eventBusName("durable").build()));
        assertThat(json(receiveOne(sqs, url, WAIT).body()).get("detail-type").asText()).isEqualTo("Still");
    }

    @Test
    void aPendingDeliveryIsMadeAfterARestart(Stratus stratus, EventBridgeClient events, SqsClient sqs) throws Exception {
        String url = openQueue(sqs, "pending-target", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        events.putRule(r -> r.name("pending").eventPattern("{\"source\":[\"pending\"]}"));
        events.putTargets(r -> r.rule("pending").targets(Target.builder().id("q").arn(queueArn("pending-target")).build()));
        String detail = "{\"padding\":\"" + "x".repeat(2000) + "\"}";

        String id = events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source("pending").detailType("Big").detail(detail).build()))
                .entries().getFirst().eventId();
        Thread.sleep(1500); // the first attempt fails; the delivery waits for its retry
        stratus.restart();
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")));
        stratus.clock().advance(Duration.ofMinutes(1));

        assertThat(json(receiveOne(sqs, url, WAIT).body()).get("id").asText()).isEqualTo(id);
    }

    @Test
    void aScheduleSurvivesARestart(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "durable-ticks");
        events.putRule(r -> r.name("durable-schedule").scheduleExpression("rate(5 minutes)"));
        events.putTargets(r -> r.rule("durable-schedule").targets(Target.builder().id("q").arn(queueArn("durable-ticks")).build()));

        stratus.restart();
        assertEmpty(sqs, url);
        stratus.clock().advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(json(receiveOne(sqs, url, WAIT).body()).get("detail-type").asText()).isEqualTo("Scheduled Event");
    }
}
