package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.AsyncFunctions.JSON;
import static io.stratus.e2e.lambda.AsyncFunctions.NODE_FLAKY;
import static io.stratus.e2e.lambda.AsyncFunctions.PYTHON_FAILING;
import static io.stratus.e2e.lambda.AsyncFunctions.awaitFailedAttempt;
import static io.stratus.e2e.lambda.AsyncFunctions.awaitLines;
import static io.stratus.e2e.lambda.AsyncFunctions.json;
import static io.stratus.e2e.lambda.AsyncFunctions.lines;
import static io.stratus.e2e.lambda.AsyncFunctions.queueArn;
import static io.stratus.e2e.lambda.AsyncFunctions.receiveOne;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code Event} invocations as AWS runs them: retried after about 1 and 2 minutes (the test moves
 * the server's clock instead of waiting), then sent to their destinations or dead-letter queue.
 */
@StratusTest
class LambdaAsyncIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static InvokeResponse invokeEvent(LambdaClient lambda, String function, String payload) {
        InvokeResponse response = lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(response.statusCode()).isEqualTo(202);
        return response;
    }

    private static String event(Path attempts, int failures) {
        return JSON.createObjectNode().put("path", attempts.toString()).put("failures", failures).toString();
    }

    @Test
    void failedEventIsRetriedAfterAMinuteThenTwoAndItsSuccessRecordGoesToOnSuccess(Stratus stratus, LambdaClient lambda, SqsClient sqs,
            @TempDir Path dir) throws Exception {
        lambda.createFunction(request("flaky", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "flaky");
        String queue = sqs.createQueue(r -> r.queueName("flaky-success")).queueUrl();
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("flaky")
                .destinationConfig(d -> d.onSuccess(s -> s.destination(queueArn(sqs, queue)))));
        Path attempts = dir.resolve("attempts.txt");
        String payload = event(attempts, 2);

        String requestId = invokeEvent(lambda, "flaky", payload).responseMetadata().requestId();

        awaitFailedAttempt(attempts, 1, WAIT);
        // Not retried before the minute is up.
        stratus.clock().advance(Duration.ofSeconds(50));
        Thread.sleep(1000);
        assertThat(lines(attempts)).hasSize(1);
        stratus.clock().advance(Duration.ofSeconds(10));
        awaitFailedAttempt(attempts, 2, WAIT);
        // The second retry waits two minutes.
        stratus.clock().advance(Duration.ofSeconds(60));
        Thread.sleep(1000);
        assertThat(lines(attempts)).hasSize(2);
        stratus.clock().advance(Duration.ofSeconds(60));
        List<String> runs = awaitLines(attempts, 3, WAIT);

        // Every attempt is the same request, as the caller was told.
        assertThat(runs).containsOnly(requestId);
        JsonNode record = json(receiveOne(sqs, queue, WAIT).body());
        assertThat(record.get("version").asText()).isEqualTo("1.0");
        assertThat(Instant.parse(record.get("timestamp").asText())).isNotNull();
        assertThat(record.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode context = record.get("requestContext");
        assertThat(context.get("requestId").asText()).isEqualTo(requestId);
        assertThat(context.get("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST");
        assertThat(context.get("condition").asText()).isEqualTo("Success");
        assertThat(context.get("approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.get("requestPayload")).isEqualTo(json(payload));
        assertThat(record.get("responseContext").get("statusCode").asInt()).isEqualTo(200);
        assertThat(record.get("responseContext").get("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(record.get("responseContext").has("functionError")).isFalse();
        assertThat(record.get("responsePayload").get("attempts").asInt()).isEqualTo(3);
        assertThat(record.get("responsePayload").get("requestId").asText()).isEqualTo(requestId);
    }

    @Test
    void eventThatKeepsFailingGoesToOnFailureOnceItsRetriesAreExhausted(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        lambda.createFunction(request("always-fails", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_FAILING)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "always-fails");
        String success = sqs.createQueue(r -> r.queueName("fails-success")).queueUrl();
        String failure = sqs.createQueue(r -> r.queueName("fails-failure")).queueUrl();
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("always-fails").maximumRetryAttempts(1)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(queueArn(sqs, success))).onFailure(f -> f.destination(queueArn(sqs, failure)))));
        Path attempts = dir.resolve("attempts.txt");
        String payload = JSON.createObjectNode().put("path", attempts.toString()).put("name", "Ada").toString();

        String requestId = invokeEvent(lambda, "always-fails", payload).responseMetadata().requestId();
        awaitFailedAttempt(attempts, 1, WAIT);
        stratus.clock().advance(Duration.ofMinutes(1));
        awaitLines(attempts, 2, WAIT);

        JsonNode record = json(receiveOne(sqs, failure, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.get("requestPayload")).isEqualTo(json(payload));
        assertThat(record.get("responseContext").get("statusCode").asInt()).isEqualTo(200);
        assertThat(record.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.get("responsePayload").get("errorType").asText()).isEqualTo("ValueError");
        assertThat(record.get("responsePayload").get("errorMessage").asText()).isEqualTo("no good: Ada");
        // No third attempt, and nothing on the success queue.
        stratus.clock().advance(Duration.ofMinutes(5));
        Thread.sleep(1000);
        assertThat(lines(attempts)).hasSize(2);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(success)).messages()).isEmpty();
    }

    @Test
    void withoutRetriesAFailedEventGoesToTheDeadLetterQueueWithAwsAttributes(LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        String dlq = sqs.createQueue(r -> r.queueName("async-dlq")).queueUrl();
        String dlqArn = queueArn(sqs, dlq);
        var created = lambda.createFunction(request("dead-letters", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY))
                .timeout(30).deadLetterConfig(d -> d.targetArn(dlqArn)).build());
        FunctionStates.awaitUpdated(lambda, "dead-letters");
        assertThat(created.deadLetterConfig().targetArn()).isEqualTo(dlqArn);
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("dead-letters")).deadLetterConfig().targetArn()).isEqualTo(dlqArn);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("dead-letters").maximumRetryAttempts(0));
        Path attempts = dir.resolve("attempts.txt");
        String payload = event(attempts, 5);

        String requestId = invokeEvent(lambda, "dead-letters", payload).responseMetadata().requestId();

        Message message = receiveOne(sqs, dlq, WAIT);
        assertThat(json(message.body())).isEqualTo(json(payload));
        assertThat(message.messageAttributes().get("RequestID").stringValue()).isEqualTo(requestId);
        assertThat(message.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(message.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("attempt 1 fails");
        assertThat(lines(attempts)).hasSize(1);

        // An empty TargetArn removes the dead-letter queue; anything but SQS or SNS is refused.
        assertThat(lambda.updateFunctionConfiguration(r -> r.functionName("dead-letters").deadLetterConfig(d -> d.targetArn("")))
                .deadLetterConfig()).isNull();
        FunctionStates.awaitUpdated(lambda, "dead-letters");
        assertThatThrownBy(() -> lambda.updateFunctionConfiguration(r -> r.functionName("dead-letters")
                .deadLetterConfig(d -> d.targetArn("arn:aws:lambda:us-east-1:000000000000:function:other"))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
                });
        assertThatThrownBy(() -> lambda.updateFunctionConfiguration(r -> r.functionName("dead-letters").deadLetterConfig(d -> d.targetArn("dlq"))))
                .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        // An SNS topic is accepted (Stratus logs and drops what it would send there).
        String topic = "arn:aws:sns:us-east-1:000000000000:failures";
        assertThat(lambda.updateFunctionConfiguration(r -> r.functionName("dead-letters").deadLetterConfig(d -> d.targetArn(topic)))
                .deadLetterConfig().targetArn()).isEqualTo(topic);
        FunctionStates.awaitUpdated(lambda, "dead-letters");
        // A published version keeps the dead-letter queue it was published with.
        String version = lambda.publishVersion(r -> r.functionName("dead-letters")).version();
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("dead-letters").qualifier(version)).deadLetterConfig().targetArn())
                .isEqualTo(topic);
    }

    @Test
    void eventOlderThanItsMaximumAgeIsNotRetriedAndGoesToOnFailure(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        lambda.createFunction(request("ages", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "ages");
        String failure = sqs.createQueue(r -> r.queueName("ages-failure")).queueUrl();
        String dlq = sqs.createQueue(r -> r.queueName("ages-dlq")).queueUrl();
        lambda.updateFunctionConfiguration(r -> r.functionName("ages").deadLetterConfig(d -> d.targetArn(queueArn(sqs, dlq))));
        FunctionStates.awaitUpdated(lambda, "ages");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("ages").maximumEventAgeInSeconds(60)
                .destinationConfig(d -> d.onFailure(f -> f.destination(queueArn(sqs, failure)))));
        Path attempts = dir.resolve("attempts.txt");
        String payload = event(attempts, 5);

        String requestId = invokeEvent(lambda, "ages", payload).responseMetadata().requestId();
        awaitFailedAttempt(attempts, 1, WAIT);
        // The retry is due, but the event is two minutes old by then.
        stratus.clock().advance(Duration.ofMinutes(2));

        JsonNode record = json(receiveOne(sqs, failure, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("EventAgeExceeded");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.get("responsePayload").get("errorMessage").asText()).isEqualTo("attempt 1 fails");
        assertThat(lines(attempts)).hasSize(1);
        // With an OnFailure destination, the dead-letter queue gets nothing.
        assertThat(sqs.receiveMessage(r -> r.queueUrl(dlq)).messages()).isEmpty();
    }

    @Test
    void successRecordCanGoToAnotherFunction(LambdaClient lambda, @TempDir Path dir) throws Exception {
        Path records = dir.resolve("records.txt");
        lambda.createFunction(request("record-keeper", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                const fs = require('fs');
                exports.handler = async (event) => {
                  fs.appendFileSync(process.env.RECORDS, JSON.stringify(event) + '\\n');
                };
                """)).environment(e -> e.variables(Map.of("RECORDS", records.toString()))).build());
        FunctionStates.awaitUpdated(lambda, "record-keeper");
        lambda.createFunction(request("reports", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "reports");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("reports")
                .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:lambda:us-east-1:000000000000:function:record-keeper"))));

        String requestId = invokeEvent(lambda, "reports", event(dir.resolve("attempts.txt"), 0)).responseMetadata().requestId();

        JsonNode record = json(awaitLines(records, 1, WAIT).getFirst());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
        assertThat(record.get("responsePayload").get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void anAliasInvocationFollowsTheAliasEventInvokeConfig(LambdaClient lambda, SqsClient sqs, @TempDir Path dir) throws Exception {
        lambda.createFunction(request("aliased", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30).publish(true)
                .build());
        FunctionStates.awaitUpdated(lambda, "aliased");
        lambda.createAlias(r -> r.functionName("aliased").name("live").functionVersion("1"));
        String failure = sqs.createQueue(r -> r.queueName("aliased-failure")).queueUrl();
        // $LATEST keeps the defaults (2 retries); the alias retries none.
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("aliased").qualifier("live").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(queueArn(sqs, failure)))));
        Path attempts = dir.resolve("attempts.txt");

        String requestId = invokeEvent(lambda, "aliased:live", event(attempts, 5)).responseMetadata().requestId();

        JsonNode record = json(receiveOne(sqs, failure, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:aliased:1");
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.get("responseContext").get("executedVersion").asText()).isEqualTo("1");
        assertThat(lines(attempts)).hasSize(1);
    }

    @Test
    void anEventThrottledUntilItIsTooOldGoesToOnFailureWithoutAResponse(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        lambda.createFunction(request("throttled", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).build());
        FunctionStates.awaitUpdated(lambda, "throttled");
        lambda.putFunctionConcurrency(r -> r.functionName("throttled").reservedConcurrentExecutions(0));
        String failure = sqs.createQueue(r -> r.queueName("throttled-failure")).queueUrl();
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("throttled").maximumEventAgeInSeconds(60)
                .destinationConfig(d -> d.onFailure(f -> f.destination(queueArn(sqs, failure)))));
        Path attempts = dir.resolve("attempts.txt");

        String requestId = invokeEvent(lambda, "throttled", event(attempts, 0)).responseMetadata().requestId();
        Thread.sleep(300);
        stratus.clock().advance(Duration.ofMinutes(2));

        JsonNode record = json(receiveOne(sqs, failure, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("EventAgeExceeded");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isZero();
        assertThat(record.has("responseContext")).isFalse();
        assertThat(lines(attempts)).isEmpty();
    }
}
