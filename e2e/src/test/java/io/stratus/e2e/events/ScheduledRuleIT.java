package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.assertEmpty;
import static io.stratus.e2e.events.EventsFixture.json;
import static io.stratus.e2e.events.EventsFixture.openQueue;
import static io.stratus.e2e.events.EventsFixture.queueArn;
import static io.stratus.e2e.events.EventsFixture.receiveOne;
import static io.stratus.e2e.events.EventsFixture.ruleArn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Scheduled rules fire on the server's clock, which the test moves instead of waiting a minute. */
@StratusTest
class ScheduledRuleIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aRateRuleSendsAScheduledEventEachPeriod(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "ticks");
        events.putRule(r -> r.name("every-minute").scheduleExpression("rate(1 minute)"));
        events.putTargets(r -> r.rule("every-minute").targets(Target.builder().id("q").arn(queueArn("ticks")).build()));
        assertEmpty(sqs, url);

        stratus.clock().advance(Duration.ofSeconds(61));

        JsonNode event = json(receiveOne(sqs, url, WAIT).body());
        assertThat(event.get("source").asText()).isEqualTo("aws.events");
        assertThat(event.get("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(event.get("resources").get(0).asText()).isEqualTo(ruleArn("every-minute"));
        assertThat(event.get("detail").isObject() && event.get("detail").isEmpty()).isTrue();
        assertThat(event.get("account").asText()).isEqualTo("000000000000");

        // A disabled rule skips its runs; enabled again, it runs on the next one.
        events.disableRule(r -> r.name("every-minute"));
        stratus.clock().advance(Duration.ofSeconds(61));
        assertEmpty(sqs, url);
        events.enableRule(r -> r.name("every-minute"));
        stratus.clock().advance(Duration.ofSeconds(61));
        assertThat(json(receiveOne(sqs, url, WAIT).body()).get("detail-type").asText()).isEqualTo("Scheduled Event");

        events.removeTargets(r -> r.rule("every-minute").ids("q"));
        events.deleteRule(r -> r.name("every-minute"));
        stratus.clock().advance(Duration.ofSeconds(61));
        assertEmpty(sqs, url);
    }
}
