package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.assertEmpty;
import static io.stratus.e2e.events.EventsFixture.assertError;
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
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** PutEvents: events matched by rules reach SQS targets in AWS's shape, transformed as the target says, or not at all. */
@StratusTest
class PutEventsIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static PutEventsRequestEntry entry(String source, String detailType, String detail) {
        return PutEventsRequestEntry.builder().source(source).detailType(detailType).detail(detail).build();
    }

    private static void rule(EventBridgeClient events, String name, String pattern, Target... targets) {
        events.putRule(r -> r.name(name).eventPattern(pattern));
        assertThat(events.putTargets(r -> r.rule(name).targets(targets)).failedEntryCount()).isZero();
    }

    @Test
    void aMatchingEventReachesTheQueueInAwsShape(EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "orders-placed");
        rule(events, "placed", "{\"source\":[\"shop\"],\"detail-type\":[\"Order Placed\"]}",
                Target.builder().id("q").arn(queueArn("orders-placed")).build());
        Instant time = Instant.parse("2026-12-01T10:15:30Z");

        var response = events.putEvents(r -> r.entries(
                PutEventsRequestEntry.builder().source("shop").detailType("Order Placed").detail("{\"orderId\":\"o-1\",\"total\":42}")
                        .resources("arn:aws:shop:::order/o-1").time(time).build(),
                entry("shop", "Order Shipped", "{\"orderId\":\"o-1\"}")));
        assertThat(response.failedEntryCount()).isZero();
        String eventId = response.entries().getFirst().eventId();

        JsonNode event = json(receiveOne(sqs, url, WAIT).body());
        assertThat(event.get("version").asText()).isEqualTo("0");
        assertThat(event.get("id").asText()).isEqualTo(eventId);
        assertThat(event.get("detail-type").asText()).isEqualTo("Order Placed");
        assertThat(event.get("source").asText()).isEqualTo("shop");
        assertThat(event.get("account").asText()).isEqualTo("000000000000");
        assertThat(event.get("time").asText()).isEqualTo("2026-12-01T10:15:30Z");
        assertThat(event.get("region").asText()).isEqualTo("us-east-1");
        assertThat(event.get("resources").get(0).asText()).isEqualTo("arn:aws:shop:::order/o-1");
        assertThat(event.get("detail").get("total").asInt()).isEqualTo(42);
        assertEmpty(sqs, url); // the shipped event matched nothing
    }

    @Test
    void targetsGetTheirInputConstantSelectedOrTransformed(EventBridgeClient events, SqsClient sqs) {
        String constant = openQueue(sqs, "input-constant");
        String path = openQueue(sqs, "input-path");
        String transformed = openQueue(sqs, "input-transformed");
        String text = openQueue(sqs, "input-text");
        rule(events, "inputs", "{\"source\":[\"inputs\"]}",
                Target.builder().id("c").arn(queueArn("input-constant")).input("{\"fixed\":true}").build(),
                Target.builder().id("p").arn(queueArn("input-path")).inputPath("$.detail.order").build(),
                Target.builder().id("t").arn(queueArn("input-transformed")).inputTransformer(t -> t
                        .inputPathsMap(Map.of("id", "$.detail.order.id", "items", "$.detail.order.items", "source", "$.source"))
                        .inputTemplate("{\"order\": \"<id>\", \"items\": <items>, \"from\": \"<source>\", \"rule\": \"<aws.events.rule-name>\"}")).build(),
                Target.builder().id("x").arn(queueArn("input-text")).inputTransformer(t -> t
                        .inputPathsMap(Map.of("id", "$.detail.order.id")).inputTemplate("\"Order <id> was placed\"")).build());

        events.putEvents(r -> r.entries(entry("inputs", "Order", "{\"order\":{\"id\":\"o-7\",\"items\":[1,2]}}")));

        assertThat(json(receiveOne(sqs, constant, WAIT).body()).get("fixed").asBoolean()).isTrue();
        assertThat(json(receiveOne(sqs, path, WAIT).body()).get("id").asText()).isEqualTo("o-7");
        JsonNode filled = json(receiveOne(sqs, transformed, WAIT).body());
        assertThat(filled.get("order").asText()).isEqualTo("o-7");
        assertThat(filled.get("items").size()).isEqualTo(2);
        assertThat(filled.get("from").asText()).isEqualTo("inputs");
        assertThat(filled.get("rule").asText()).isEqualTo("inputs");
        assertThat(receiveOne(sqs, text, WAIT).body()).isEqualTo("\"Order o-7 was placed\"");
    }

    @Test
    void aDisabledRuleDeliversNothing(EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "disabled-target");
        rule(events, "sleeping", "{\"source\":[\"sleepy\"]}", Target.builder().id("q").arn(queueArn("disabled-target")).build());
        events.disableRule(r -> r.name("sleeping"));
        events.putEvents(r -> r.entries(entry("sleepy", "Nap", "{}")));
        assertEmpty(sqs, url);

        events.enableRule(r -> r.name("sleeping"));
        events.putEvents(r -> r.entries(entry("sleepy", "Nap", "{}")));
        assertThat(json(receiveOne(sqs, url, WAIT).body()).get("source").asText()).isEqualTo("sleepy");
    }

    @Test
    void aRuleForwardsEventsToAnotherBusWhoseRulesDeliverThem(EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "downstream-target");
        events.createEventBus(r -> r.name("downstream"));
        String downstreamArn = "arn:aws:events:us-east-1:000000000000:event-bus/downstream";
        rule(events, "forwarder", "{\"source\":[\"upstream\"]}", Target.builder().id("bus").arn(downstreamArn).build());
        events.putRule(r -> r.name("receiver").eventBusName("downstream").eventPattern("{\"detail-type\":[\"Forwarded\"]}"));
        events.putTargets(r -> r.rule("receiver").eventBusName("downstream").targets(Target.builder().id("q").arn(queueArn("downstream-target")).build()));

        String id = events.putEvents(r -> r.entries(entry("upstream", "Forwarded", "{\"hop\":1}"))).entries().getFirst().eventId();

        JsonNode event = json(receiveOne(sqs, url, WAIT).body());
        assertThat(event.get("id").asText()).isEqualTo(id);
        assertThat(event.get("detail").get("hop").asInt()).isEqualTo(1);
    }

    @Test
    void aFifoQueueTargetGetsTheMessageGroupOfItsSqsParameters(EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "jobs.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        rule(events, "jobs", "{\"source\":[\"jobs\"]}", Target.builder().id("fifo").arn(queueArn("jobs.fifo"))
                .sqsParameters(p -> p.messageGroupId("tenant-1")).build());

        events.putEvents(r -> r.entries(entry("jobs", "Job", "{\"n\":1}")));

        Message message = receiveOne(sqs, url, WAIT);
        assertThat(message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("tenant-1");
    }

    @Test
    void aQueueThatDoesNotAllowEventBridgeGetsNothingAndTheDeadLetterQueueGetsTheEvent(EventBridgeClient events, SqsClient sqs) {
        String closed = sqs.createQueue(r -> r.queueName("closed-target")).queueUrl();
        String dlq = openQueue(sqs, "closed-dlq");
        rule(events, "to-closed", "{\"source\":[\"closed\"]}", Target.builder().id("q").arn(queueArn("closed-target"))
                .deadLetterConfig(d -> d.arn(queueArn("closed-dlq"))).build());

        String id = events.putEvents(r -> r.entries(entry("closed", "Knock", "{}"))).entries().getFirst().eventId();

        Message dead = receiveOne(sqs, dlq, WAIT);
        assertThat(json(dead.body()).get("id").asText()).isEqualTo(id);
        assertThat(dead.messageAttributes().get("RULE_ARN").stringValue()).isEqualTo(ruleArn("to-closed"));
        assertThat(dead.messageAttributes().get("TARGET_ARN").stringValue()).isEqualTo(queueArn("closed-target"));
        assertThat(dead.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("NO_PERMISSIONS");
        assertThat(dead.messageAttributes().get("RETRY_ATTEMPTS").stringValue()).isEqualTo("0");
        assertThat(dead.messageAttributes()).doesNotContainKey("EXHAUSTED_RETRY_CONDITION");
        assertEmpty(sqs, closed);
    }

    @Test
    void badEntriesFailOneByOneAndBadRequestsAsAWhole(EventBridgeClient events) {
        var response = events.putEvents(r -> r.entries(
                entry("ok", "Fine", "{}"),
                PutEventsRequestEntry.builder().detailType("No Source").detail("{}").build(),
                PutEventsRequestEntry.builder().source("s").detail("{}").build(),
                PutEventsRequestEntry.builder().source("s").detailType("No Detail").build(),
                entry("s", "Malformed", "[1,2]"),
                entry("aws.s3", "Impostor", "{}"),
                PutEventsRequestEntry.builder().source("s").detailType("Nowhere").detail("{}").eventBusName("no-such-bus").build()));
        assertThat(response.failedEntryCount()).isEqualTo(5);
        var entries = response.entries();
        assertThat(entries.get(0).eventId()).isNotNull();
        assertThat(entries.get(1)).extracting(PutEventsResultEntry::errorCode, PutEventsResultEntry::errorMessage)
                .containsExactly("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
        assertThat(entries.get(2)).extracting(PutEventsResultEntry::errorCode, PutEventsResultEntry::errorMessage)
                .containsExactly("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        assertThat(entries.get(3)).extracting(PutEventsResultEntry::errorCode, PutEventsResultEntry::errorMessage)
                .containsExactly("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        assertThat(entries.get(4)).extracting(PutEventsResultEntry::errorCode, PutEventsResultEntry::errorMessage)
                .containsExactly("MalformedDetail", "Detail is malformed.");
        assertThat(entries.get(5)).extracting(PutEventsResultEntry::errorCode, PutEventsResultEntry::errorMessage)
                .containsExactly("NotAuthorizedForSourceException", "Not authorized for the source.");
        // AWS acknowledges an event for a bus that does not exist, and it goes nowhere.
        assertThat(entries.get(6).eventId()).isNotNull();

        PutEventsRequestEntry[] eleven = IntStream.range(0, 11).mapToObj(i -> entry("s", "Many", "{}")).toArray(PutEventsRequestEntry[]::new);
        assertError(() -> events.putEvents(r -> r.entries(eleven)), "ValidationException", 400);
        String big = "{\"blob\":\"" + "x".repeat(200 * 1024) + "\"}";
        assertError(() -> events.putEvents(r -> r.entries(entry("s", "Big", big), entry("s", "Big", big))), "ValidationException", 400,
                "Total size of the entries in the request is over the limit.");
    }

    @Test
    void anotherAccountPutsEventsOnlyWhereTheBusPolicyLetsIt(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        String url = openQueue(sqs, "partner-target");
        events.createEventBus(r -> r.name("partner-bus"));
        String busArn = "arn:aws:events:us-east-1:000000000000:event-bus/partner-bus";
        events.putRule(r -> r.name("from-partner").eventBusName("partner-bus").eventPattern("{\"source\":[\"partner\"]}"));
        events.putTargets(r -> r.rule("from-partner").eventBusName("partner-bus").targets(Target.builder().id("q").arn(queueArn("partner-target")).build()));
        try (EventBridgeClient partner = stratus.configure(EventBridgeClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("111122223333", "test"))).build()) {
            PutEventsRequestEntry event = PutEventsRequestEntry.builder().source("partner").detailType("Hello").detail("{}").eventBusName(busArn).build();

            var refused = partner.putEvents(r -> r.entries(event));
            assertThat(refused.failedEntryCount()).isEqualTo(1);
            assertThat(refused.entries().getFirst().errorCode()).isEqualTo("AccessDeniedException");

            events.putPermission(r -> r.eventBusName("partner-bus").action("events:PutEvents").principal("111122223333").statementId("partner"));
            assertThat(partner.putEvents(r -> r.entries(event)).failedEntryCount()).isZero();
        }
        JsonNode delivered = json(receiveOne(sqs, url, WAIT).body());
        assertThat(delivered.get("account").asText()).isEqualTo("111122223333");
    }

    @Test
    void aRuleForwardsToAnotherAccountsBusOnlyWhenItsPolicyAllowsTheRulesAccount(Stratus stratus, EventBridgeClient events, SqsClient sqs) {
        String central = "222233334444";
        try (EventBridgeClient other = stratus.configure(EventBridgeClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(central, "test"))).build();
                SqsClient otherSqs = stratus.configure(SqsClient.builder())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(central, "test"))).build()) {
            String queueArn = "arn:aws:sqs:us-east-1:" + central + ":central-target";
            String url = otherSqs.createQueue(r -> r.queueName("central-target").attributes(Map.of(QueueAttributeName.POLICY,
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},"
                            + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + queueArn + "\"}]}"))).queueUrl();
            other.createEventBus(r -> r.name("central"));
            other.putRule(r -> r.name("collect").eventBusName("central").eventPattern("{\"source\":[\"branch\"]}"));
            other.putTargets(r -> r.rule("collect").eventBusName("central").targets(Target.builder().id("q").arn(queueArn).build()));
            String centralBus = "arn:aws:events:us-east-1:" + central + ":event-bus/central";
            String dlq = openQueue(sqs, "central-dlq");
            rule(events, "to-central", "{\"source\":[\"branch\"]}", Target.builder().id("bus").arn(centralBus)
                    .deadLetterConfig(d -> d.arn(queueArn("central-dlq"))).build());

            events.putEvents(r -> r.entries(entry("branch", "Sale", "{\"n\":1}")));
            assertThat(receiveOne(sqs, dlq, WAIT).messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("NO_PERMISSIONS");

            other.putPermission(r -> r.eventBusName("central").action("events:PutEvents").principal(EventsFixture.ACCOUNT).statementId("branch"));
            String id = events.putEvents(r -> r.entries(entry("branch", "Sale", "{\"n\":2}"))).entries().getFirst().eventId();
            JsonNode event = json(receiveOne(otherSqs, url, WAIT).body());
            assertThat(event.get("id").asText()).isEqualTo(id);
            assertThat(event.get("account").asText()).isEqualTo(EventsFixture.ACCOUNT);
        }
    }
}
