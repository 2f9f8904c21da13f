package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.AsyncFunctions.JSON;
import static io.stratus.e2e.lambda.AsyncFunctions.NODE_FLAKY;
import static io.stratus.e2e.lambda.AsyncFunctions.json;
import static io.stratus.e2e.lambda.AsyncFunctions.receiveOne;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.StratusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An {@code Event} invocation's failure record sent to an EventBridge bus and to an S3 bucket, and
 * a failed event to a dead-letter topic; each is read from an SQS queue a rule, the topic or the
 * bucket's notifications deliver to.
 */
@StratusTest
class LambdaDestinationsFanOutIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCOUNT = "000000000000";
    private static final String QUEUES = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":";

    /** A queue whose policy lets {@code service} send it messages on behalf of {@code sourceArn}. */
    private static String queueFor(SqsClient sqs, String name, String service, String sourceArn) {
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"" + service + "\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUES + name + "\","
                + "\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + sourceArn + "\"}}}]}";
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy)));
        return url;
    }

    /** A topic, and a queue subscribed to it. */
    private static String topicWithQueue(SnsClient sns, SqsClient sqs, String name) {
        String topic = sns.createTopic(r -> r.name(name)).topicArn();
        String url = queueFor(sqs, name + "-reader", "sns.amazonaws.com", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + name + "-reader"));
        return url;
    }

    private static void createFunction(LambdaClient lambda, String name, String deadLetterTarget) {
        var request = request(name, Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30);
        if (deadLetterTarget != null) {
            request.deadLetterConfig(d -> d.targetArn(deadLetterTarget));
        }
        lambda.createFunction(request.build());
        FunctionStates.awaitActive(lambda, name);
    }

    private static String invokeEvent(LambdaClient lambda, String function, Path attempts, int failures) {
        String payload = JSON.createObjectNode().put("path", attempts.toString()).put("failures", failures).toString();
        var response = lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(payload)));
        assertThat(response.statusCode()).isEqualTo(202);
        return response.responseMetadata().requestId();
    }

    @Test
    void aFailureRecordGoesToAnEventBusAsAnEventFromLambda(LambdaClient lambda, EventBridgeClient events, SqsClient sqs,
            @TempDir Path dir) {
        String bus = events.createEventBus(r -> r.name("results")).eventBusArn();
        String rule = events.putRule(r -> r.eventBusName("results").name("failures")
                .eventPattern("{\"source\":[\"lambda\"],\"detail-type\":[\"Lambda Function Invocation Result - Failure\"]}")).ruleArn();
        String url = queueFor(sqs, "failures", "events.amazonaws.com", rule);
        events.putTargets(r -> r.eventBusName("results").rule("failures").targets(t -> t.id("queue").arn(QUEUES + "failures")));
        createFunction(lambda, "to-bus", null);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("to-bus").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(bus))));

        String requestId = invokeEvent(lambda, "to-bus", dir.resolve("attempts.txt"), 5);

        JsonNode event = json(receiveOne(sqs, url, WAIT).body());
        assertThat(event.get("source").asText()).isEqualTo("lambda");
        assertThat(event.get("detail-type").asText()).isEqualTo("Lambda Function Invocation Result - Failure");
        assertThat(event.get("resources")).extracting(JsonNode::asText)
                .containsExactly(bus, "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:to-bus:$LATEST");
        JsonNode detail = event.get("detail");
        assertThat(detail.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(detail.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(detail.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
    }

    @Test
    void aFailedEventGoesToADeadLetterTopicWithItsAttributes(LambdaClient lambda, SnsClient sns, SqsClient sqs, @TempDir Path dir) {
        String url = topicWithQueue(sns, sqs, "dead-events");
        createFunction(lambda, "to-dead-topic", "arn:aws:sns:us-east-1:" + ACCOUNT + ":dead-events");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("to-dead-topic").maximumRetryAttempts(0));

        String requestId = invokeEvent(lambda, "to-dead-topic", dir.resolve("attempts.txt"), 5);

        JsonNode envelope = json(receiveOne(sqs, url, WAIT).body());
        assertThat(json(envelope.get("Message").asText()).get("failures").asInt()).isEqualTo(5);
        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.get("RequestID").get("Value").asText()).isEqualTo(requestId);
        assertThat(attributes.get("ErrorCode").get("Value").asText()).isEqualTo("200");
        assertThat(attributes.get("ErrorMessage").get("Value").asText()).isEqualTo("attempt 1 fails");
    }

    @Test
    void aFailureRecordGoesToAnS3BucketAsAnObjectAndTheBucketNotifiesAsForAnyPut(LambdaClient lambda, S3Client s3, SqsClient sqs,
            @TempDir Path dir) {
        s3.createBucket(r -> r.bucket("failed-invocations"));
        String url = queueFor(sqs, "new-records", "s3.amazonaws.com", "arn:aws:s3:::failed-invocations");
        s3.putBucketNotificationConfiguration(r -> r.bucket("failed-invocations").notificationConfiguration(n -> n.queueConfigurations(
                q -> q.queueArn(QUEUES + "new-records").events(Event.S3_OBJECT_CREATED))));
        receiveOne(sqs, url, WAIT); // s3:TestEvent
        createFunction(lambda, "to-bucket", null);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("to-bucket").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:s3:::failed-invocations"))));

        String requestId = invokeEvent(lambda, "to-bucket", dir.resolve("attempts.txt"), 5);

        JsonNode notification = json(receiveOne(sqs, url, WAIT).body()).get("Records").get(0);
        String key = notification.get("s3").get("object").get("key").asText();
        assertThat(key).matches("aws/lambda/async/to-bucket/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-" + requestId);
        JsonNode record = json(s3.getObjectAsBytes(r -> r.bucket("failed-invocations").key(key)).asUtf8String());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("requestPayload").get("failures").asInt()).isEqualTo(5);
        assertThat(s3.listObjectsV2(r -> r.bucket("failed-invocations")).contents()).hasSize(1);
    }

    @Test
    void anS3BucketIsRefusedAsASuccessDestination(LambdaClient lambda, S3Client s3) {
        s3.createBucket(r -> r.bucket("successes"));
        createFunction(lambda, "success-to-bucket", null);

        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("success-to-bucket")
                .destinationConfig(d -> d.onSuccess(f -> f.destination("arn:aws:s3:::successes")))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("OnFailure destination only");
                });
    }
}
