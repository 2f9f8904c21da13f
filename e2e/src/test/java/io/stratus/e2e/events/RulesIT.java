package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.assertError;
import static io.stratus.e2e.events.EventsFixture.queueArn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** Rules and their targets: create, describe, list, enable, disable, delete, and what AWS refuses. */
@StratusTest
class RulesIT {

    private static final String PATTERN = "{\"source\":[\"shop\"],\"detail-type\":[\"Order Placed\"]}";

    @Test
    void aRuleIsPutDescribedDisabledEnabledAndDeleted(EventBridgeClient events) {
        String arn = events.putRule(r -> r.name("orders").eventPattern(PATTERN).description("new orders")).ruleArn();
        assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/orders");

        var rule = events.describeRule(r -> r.name("orders"));
        assertThat(rule.arn()).isEqualTo(arn);
        assertThat(rule.eventPattern()).isEqualTo(PATTERN);
        assertThat(rule.state()).isEqualTo(RuleState.ENABLED);
        assertThat(rule.description()).isEqualTo("new orders");
        assertThat(rule.eventBusName()).isEqualTo("default");
        assertThat(rule.createdBy()).isEqualTo("000000000000");

        events.disableRule(r -> r.name("orders"));
        assertThat(events.describeRule(r -> r.name("orders")).state()).isEqualTo(RuleState.DISABLED);
        events.enableRule(r -> r.name("orders"));
        assertThat(events.describeRule(r -> r.name("orders")).state()).isEqualTo(RuleState.ENABLED);

        events.deleteRule(r -> r.name("orders"));
        assertError(() -> events.describeRule(r -> r.name("orders")), "ResourceNotFoundException", 400, "Rule orders does not exist on EventBus default.");
        events.deleteRule(r -> r.name("orders")); // deleting what is gone succeeds, as on AWS
        assertError(() -> events.enableRule(r -> r.name("orders")), "ResourceNotFoundException", 400, "Rule orders does not exist on EventBus default.");
    }

    @Test
    void rulesOnACustomBusHaveTheBusInTheirArn(EventBridgeClient events) {
        events.createEventBus(r -> r.name("billing"));
        String arn = events.putRule(r -> r.name("invoices").eventBusName("billing").eventPattern(PATTERN)).ruleArn();
        assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/billing/invoices");
        assertThat(events.describeRule(r -> r.name("invoices").eventBusName("arn:aws:events:us-east-1:000000000000:event-bus/billing")).arn())
                .isEqualTo(arn);
        assertError(() -> events.describeRule(r -> r.name("invoices")), "ResourceNotFoundException", 400,
                "Rule invoices does not exist on EventBus default.");
        assertError(() -> events.putRule(r -> r.name("x").eventBusName("nowhere").eventPattern(PATTERN)), "ResourceNotFoundException", 400,
                "Event bus nowhere does not exist.");
    }

    @Test
    void listingFiltersByPrefixAndPages(EventBridgeClient events) {
        events.createEventBus(r -> r.name("listing"));
        IntStream.range(0, 5).forEach(i -> events.putRule(r -> r.name("l-" + i).eventBusName("listing").eventPattern(PATTERN)));
        events.putRule(r -> r.name("other").eventBusName("listing").eventPattern(PATTERN));

        var first = events.listRules(r -> r.eventBusName("listing").namePrefix("l-").limit(3));
        assertThat(first.rules()).extracting(Rule::name).containsExactly("l-0", "l-1", "l-2");
        var second = events.listRules(r -> r.eventBusName("listing").namePrefix("l-").limit(3).nextToken(first.nextToken()));
        assertThat(second.rules()).extracting(Rule::name).containsExactly("l-3", "l-4");
        assertThat(second.nextToken()).isNull();
        assertThat(events.listRules(r -> r.eventBusName("listing")).rules()).hasSize(6);
    }

    @Test
    void targetsArePutListedAndRemovedAndARuleWithTargetsCannotBeDeleted(EventBridgeClient events) {
        events.putRule(r -> r.name("targeted").eventPattern(PATTERN));
        var put = events.putTargets(r -> r.rule("targeted").targets(
                Target.builder().id("q").arn(queueArn("targeted-q")).build(),
                Target.builder().id("f").arn("arn:aws:lambda:us-east-1:000000000000:function:f").input("{\"constant\":true}").build()));
        assertThat(put.failedEntryCount()).isZero();
        assertThat(events.listTargetsByRule(r -> r.rule("targeted")).targets()).extracting(Target::id).containsExactly("f", "q");
        assertThat(events.listRuleNamesByTarget(r -> r.targetArn(queueArn("targeted-q"))).ruleNames()).containsExactly("targeted");

        assertError(() -> events.deleteRule(r -> r.name("targeted")), "ValidationException", 400, "Rule can't be deleted since it has targets.");

        events.removeTargets(r -> r.rule("targeted").ids("q", "f"));
        assertThat(events.listTargetsByRule(r -> r.rule("targeted")).targets()).isEmpty();
        events.deleteRule(r -> r.name("targeted"));
    }

    @Test
    void aRuleHasAtMostFiveTargets(EventBridgeClient events) {
        events.putRule(r -> r.name("crowded").eventPattern(PATTERN));
        Target[] five = IntStream.range(0, 5).mapToObj(i -> Target.builder().id("t" + i).arn(queueArn("q" + i)).build()).toArray(Target[]::new);
        events.putTargets(r -> r.rule("crowded").targets(five));
        events.putTargets(r -> r.rule("crowded").targets(Target.builder().id("t0").arn(queueArn("replaced")).build()));
        assertError(() -> events.putTargets(r -> r.rule("crowded").targets(Target.builder().id("t5").arn(queueArn("q5")).build())),
                "LimitExceededException", 400);
    }

    @Test
    void badRulesAreRefusedAsAwsRefusesThem(EventBridgeClient events) {
        assertError(() -> events.putRule(r -> r.name("nothing")), "ValidationException", 400,
                "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        assertError(() -> events.putRule(r -> r.name("bad").eventPattern("{\"source\":\"shop\"}")), "InvalidEventPatternException", 400);
        assertError(() -> events.putRule(r -> r.name("bad").eventPattern("not json")), "InvalidEventPatternException", 400);
        assertError(() -> events.putRule(r -> r.name("bad").eventPattern("{}")), "InvalidEventPatternException", 400,
                "Event pattern is not valid. Reason: Empty objects are not allowed\n at [Source: (String)\"{}\"; line: 1, column: 3]");
        assertError(() -> events.putRule(r -> r.name("bad").scheduleExpression("rate(1 minutes)")), "ValidationException", 400,
                "Parameter ScheduleExpression is not valid.");
        assertError(() -> events.putRule(r -> r.name("bad").scheduleExpression("cron(0 12 * * * *)")), "ValidationException", 400,
                "Parameter ScheduleExpression is not valid.");
        events.createEventBus(r -> r.name("unscheduled"));
        assertError(() -> events.putRule(r -> r.name("bad").eventBusName("unscheduled").scheduleExpression("rate(5 minutes)")),
                "ValidationException", 400, "ScheduleExpression is supported only on the default event bus.");
        assertError(() -> events.putRule(r -> r.name("bad name!").eventPattern(PATTERN)), "ValidationException", 400);
        assertError(() -> events.putRule(r -> r.name("bad").eventPattern(PATTERN).state("SOMETIMES")), "ValidationException", 400);

        events.putRule(r -> r.name("cron-ok").scheduleExpression("cron(0/15 8-17 ? * MON-FRI *)"));
        events.putRule(r -> r.name("fifo-target").eventPattern(PATTERN));
        assertError(() -> events.putTargets(r -> r.rule("fifo-target").targets(Target.builder().id("f").arn(queueArn("jobs.fifo")).build())),
                "ValidationException", 400, "Parameter(s) SqsParameters must be specified for target: f.");
        assertError(() -> events.putTargets(r -> r.rule("fifo-target").targets(Target.builder().id("f").arn(queueArn("q")).input("{").build())),
                "ValidationException", 400);
        assertError(() -> events.putTargets(r -> r.rule("fifo-target").targets(Target.builder().id("f").arn(queueArn("q"))
                .retryPolicy(p -> p.maximumRetryAttempts(186)).build())), "ValidationException", 400);
        assertError(() -> events.putTargets(r -> r.rule("missing").targets(Target.builder().id("f").arn(queueArn("q")).build())),
                "ResourceNotFoundException", 400, "Rule missing does not exist on EventBus default.");

        assertError(() -> events.putTargets(r -> r.rule("fifo-target").targets(Target.builder().id("self")
                .arn("arn:aws:events:us-east-1:000000000000:event-bus/default").build())), "ValidationException", 400);

        var unsupported = events.putTargets(r -> r.rule("fifo-target").targets(
                Target.builder().id("ok").arn(queueArn("q")).build(),
                Target.builder().id("ecs").arn("arn:aws:ecs:us-east-1:000000000000:cluster/c").build()));
        assertThat(unsupported.failedEntryCount()).isEqualTo(1);
        assertThat(unsupported.failedEntries().getFirst().targetId()).isEqualTo("ecs");
        assertThat(events.listTargetsByRule(r -> r.rule("fifo-target")).targets()).extracting(Target::id).containsExactly("ok");
    }

    @Test
    void testEventPatternMatchesWithEventRuler(EventBridgeClient events) {
        String event = "{\"id\":\"1\",\"account\":\"000000000000\",\"source\":\"shop\",\"time\":\"2026-12-03T12:00:00Z\","
                + "\"region\":\"us-east-1\",\"detail-type\":\"Order Placed\",\"resources\":[],\"detail\":{\"total\":120}}";
        assertThat(events.testEventPattern(r -> r.event(event).eventPattern(PATTERN)).result()).isTrue();
        assertThat(events.testEventPattern(r -> r.event(event).eventPattern("{\"detail\":{\"total\":[{\"numeric\":[\">\",200]}]}}")).result())
                .isFalse();
        assertThat(events.testEventPattern(r -> r.event(event).eventPattern("{\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}")).result())
                .isTrue();
        assertError(() -> events.testEventPattern(r -> r.event("{}").eventPattern(PATTERN)), "ValidationException", 400, "Parameter Event is not valid.");
        assertError(() -> events.testEventPattern(r -> r.event(event).eventPattern("[1]")), "InvalidEventPatternException", 400,
                "Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)\"[1]\"; line: 1, column: 2]");
    }

    @Test
    void rulesAreTagged(EventBridgeClient events) {
        String arn = events.putRule(r -> r.name("tagged-rule").eventPattern(PATTERN)
                .tags(software.amazon.awssdk.services.eventbridge.model.Tag.builder().key("env").value("test").build())).ruleArn();
        assertThat(events.listTagsForResource(r -> r.resourceARN(arn)).tags()).hasSize(1);
        events.untagResource(r -> r.resourceARN(arn).tagKeys("env"));
        assertThat(events.listTagsForResource(r -> r.resourceARN(arn)).tags()).isEmpty();
    }
}
