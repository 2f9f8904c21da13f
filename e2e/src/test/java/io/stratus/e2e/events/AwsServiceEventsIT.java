package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.json;
import static io.stratus.e2e.events.EventsFixture.openQueue;
import static io.stratus.e2e.events.EventsFixture.queueArn;
import static io.stratus.e2e.events.EventsFixture.receiveOne;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Events other services put on the default bus (S3 with EventBridge on, Lambda destinations) reach rules' targets. */
@StratusTest
class AwsServiceEventsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEFAULT_BUS = "arn:aws:events:us-east-1:000000000000:event-bus/default";

    @Test
    void s3WithEventBridgeOnPutsObjectCreatedOnTheDefaultBus(EventBridgeClient events, S3Client s3, SqsClient sqs) {
        String url = openQueue(sqs, "s3-objects");
        events.putRule(r -> r.name("uploads").eventPattern(
                "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],\"detail\":{\"bucket\":{\"name\":[\"bridged\"]}}}"));
        events.putTargets(r -> r.rule("uploads").targets(Target.builder().id("q").arn(queueArn("s3-objects")).build()));
        s3.createBucket(r -> r.bucket("bridged"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("bridged")
                .notificationConfiguration(n -> n.eventBridgeConfiguration(EventBridgeConfiguration.builder().build())));

        s3.putObject(r -> r.bucket("bridged").key("photos/cat.jpg"), RequestBody.fromString("meow"));

        JsonNode event = json(receiveOne(sqs, url, WAIT).body());
        assertThat(event.get("source").asText()).isEqualTo("aws.s3");
        assertThat(event.get("detail-type").asText()).isEqualTo("Object Created");
        assertThat(event.get("account").asText()).isEqualTo("000000000000");
        assertThat(event.get("detail").get("object").get("key").asText()).isEqualTo("photos/cat.jpg");
    }

    @Test
    void aLambdaDestinationBusGetsTheInvocationResult(EventBridgeClient events, LambdaClient lambda, SqsClient sqs) {
        String url = openQueue(sqs, "lambda-results");
        events.putRule(r -> r.name("results").eventPattern(
                "{\"source\":[\"lambda\"],\"detail-type\":[\"Lambda Function Invocation Result - Success\"]}"));
        events.putTargets(r -> r.rule("results").targets(Target.builder().id("q").arn(queueArn("lambda-results")).build()));
        lambda.createFunction(request("reports", Runtime.NODEJS20_X, "index.handler",
                Map.of("index.js", "exports.handler = async (event) => ({ doubled: event.n * 2 });")).build());
        FunctionStates.awaitActive(lambda, "reports");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("reports").destinationConfig(d -> d.onSuccess(s -> s.destination(DEFAULT_BUS))));

        lambda.invoke(r -> r.functionName("reports").invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"n\":21}")));

        JsonNode event = json(receiveOne(sqs, url, WAIT).body());
        assertThat(event.get("source").asText()).isEqualTo("lambda");
        assertThat(event.get("detail").get("responsePayload").get("doubled").asInt()).isEqualTo(42);
        assertThat(event.get("detail").get("requestContext").get("condition").asText()).isEqualTo("Success");
    }
}
