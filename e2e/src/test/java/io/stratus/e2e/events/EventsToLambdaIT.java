package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.json;
import static io.stratus.e2e.events.EventsFixture.receiveOne;
import static io.stratus.e2e.events.EventsFixture.ruleArn;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Rules invoking real Lambda functions asynchronously, which the function's policy must allow, as on AWS. */
@StratusTest
class EventsToLambdaIT {

    /** Sends what it was invoked with to the OUT queue, so the test sees the function ran. */
    private static final String FORWARDER = """
            import boto3, os, json
            sqs = boto3.client('sqs')
            def handler(event, context):
                sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps(event))
            """;

    private static String function(LambdaClient lambda, String name, String out) {
        String arn = lambda.createFunction(request(name, Runtime.PYTHON3_12, "app.handler", Map.of("app.py", FORWARDER))
                .timeout(30).environment(e -> e.variables(Map.of("OUT", out))).build()).functionArn();
        FunctionStates.awaitActive(lambda, name);
        return arn;
    }

    @Test
    void aMatchingEventInvokesTheFunctionWithTheEvent(EventBridgeClient events, LambdaClient lambda, SqsClient sqs) {
        String out = sqs.createQueue(r -> r.queueName("from-handler")).queueUrl();
        String arn = function(lambda, "on-order", out);
        events.putRule(r -> r.name("invoke-on-order").eventPattern("{\"source\":[\"shop\"],\"detail\":{\"total\":[{\"numeric\":[\">=\",100]}]}}"));
        events.putTargets(r -> r.rule("invoke-on-order").targets(Target.builder().id("fn").arn(arn).build()));
        lambda.addPermission(r -> r.functionName("on-order").statementId("events").action("lambda:InvokeFunction")
                .principal("events.amazonaws.com").sourceArn(ruleArn("invoke-on-order")));

        var put = events.putEvents(r -> r.entries(
                PutEventsRequestEntry.builder().source("shop").detailType("Order Placed").detail("{\"total\":20}").build(),
                PutEventsRequestEntry.builder().source("shop").detailType("Order Placed").detail("{\"total\":150}").build()));

        JsonNode event = json(receiveOne(sqs, out, Duration.ofSeconds(60)).body());
        assertThat(event.get("id").asText()).isEqualTo(put.entries().get(1).eventId());
        assertThat(event.get("detail").get("total").asInt()).isEqualTo(150);
        assertThat(event.get("detail-type").asText()).isEqualTo("Order Placed");
        EventsFixture.assertEmpty(sqs, out);
    }

    @Test
    void aFunctionWhosePolicyDoesNotAllowTheRuleIsNotInvoked(EventBridgeClient events, LambdaClient lambda, SqsClient sqs) {
        String out = sqs.createQueue(r -> r.queueName("from-closed-handler")).queueUrl();
        String arn = function(lambda, "closed-handler", out);
        String dlq = EventsFixture.openQueue(sqs, "closed-handler-dlq");
        events.putRule(r -> r.name("invoke-closed").eventPattern("{\"source\":[\"closed\"]}"));
        events.putTargets(r -> r.rule("invoke-closed").targets(Target.builder().id("fn").arn(arn)
                .deadLetterConfig(d -> d.arn(EventsFixture.queueArn("closed-handler-dlq"))).build()));
        // A permission for another rule does not count.
        lambda.addPermission(r -> r.functionName("closed-handler").statementId("events").action("lambda:InvokeFunction")
                .principal("events.amazonaws.com").sourceArn(ruleArn("some-other-rule")));

        events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source("closed").detailType("Knock").detail("{}").build()));

        var dead = receiveOne(sqs, dlq, Duration.ofSeconds(15));
        assertThat(dead.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("NO_PERMISSIONS");
        assertThat(dead.messageAttributes().get("TARGET_ARN").stringValue()).isEqualTo(arn);
        EventsFixture.assertEmpty(sqs, out);
    }
}
