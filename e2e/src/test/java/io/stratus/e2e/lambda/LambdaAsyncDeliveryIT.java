package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.AsyncFunctions.JSON;
import static io.stratus.e2e.lambda.AsyncFunctions.NODE_FLAKY;
import static io.stratus.e2e.lambda.AsyncFunctions.awaitFailedAttempt;
import static io.stratus.e2e.lambda.AsyncFunctions.json;
import static io.stratus.e2e.lambda.AsyncFunctions.receiveOne;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What becomes of an {@code Event} invocation's record when its destination or dead-letter queue
 * cannot take it: a queue that does not exist yet gets it on a later try (up to five retries, after
 * 1, 2, 4, 8 and 16 times the retry delay, kept in the store across restarts); a FIFO queue, which
 * AWS does not deliver to, never gets it. The tests move the server's clock instead of waiting.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaAsyncDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCOUNT_QUEUES = "arn:aws:sqs:us-east-1:000000000000:";

    private static String invokeEvent(LambdaClient lambda, String function, Path attempts, int failures) {
        String payload = JSON.createObjectNode().put("path", attempts.toString()).put("failures", failures).toString();
        var response = lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(payload)));
        assertThat(response.statusCode()).isEqualTo(202);
        return response.responseMetadata().requestId();
    }

    private static void createFunction(LambdaClient lambda, String name, String deadLetterQueue) {
        var request = request(name, Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30);
        if (deadLetterQueue != null) {
            request.deadLetterConfig(d -> d.targetArn(deadLetterQueue));
        }
        lambda.createFunction(request.build());
        FunctionStates.awaitActive(lambda, name);
    }

    private static void assertNoMessage(SqsClient sqs, String queueUrl) {
        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2)).messages()).isEmpty();
    }

    @Test
    void aDestinationQueueCreatedAfterAFailedDeliveryGetsTheRecordOnARetryAcrossARestart(Stratus stratus, LambdaClient lambda, SqsClient sqs,
            @TempDir Path dir) throws Exception {
        createFunction(lambda, "recorded", null);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("recorded")
                .destinationConfig(d -> d.onSuccess(s -> s.destination(ACCOUNT_QUEUES + "late-records"))));
        Path attempts = dir.resolve("attempts.txt");

        String requestId = invokeEvent(lambda, "recorded", attempts, 0);
        // It ran and succeeded; its record found no queue, and waits a minute for another try.
        awaitFailedAttempt(attempts, 1, WAIT);
        stratus.restart();
        String queue = sqs.createQueue(r -> r.queueName("late-records")).queueUrl();
        assertNoMessage(sqs, queue);

        stratus.clock().advance(Duration.ofMinutes(1));

        JsonNode record = json(receiveOne(sqs, queue, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
        assertThat(record.get("responsePayload").get("attempts").asInt()).isEqualTo(1);
        // Delivered once, and the function did not run again.
        stratus.clock().advance(Duration.ofHours(1));
        assertNoMessage(sqs, queue);
        assertThat(AsyncFunctions.lines(attempts)).hasSize(1);
    }

    @Test
    void aDeadLetterQueueThatNeverAppearsIsGivenUpOnAfterFiveRetries(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        createFunction(lambda, "abandoned", ACCOUNT_QUEUES + "never-there");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("abandoned").maximumRetryAttempts(0));
        Path attempts = dir.resolve("attempts.txt");

        invokeEvent(lambda, "abandoned", attempts, 10);
        awaitFailedAttempt(attempts, 1, WAIT);
        // Each step passes the longest wait (16 minutes); more steps than tries, so every try is made.
        for (int step = 0; step < 8; step++) {
            stratus.clock().advance(Duration.ofMinutes(16));
            Thread.sleep(700);
        }
        String queue = sqs.createQueue(r -> r.queueName("never-there")).queueUrl();
        stratus.clock().advance(Duration.ofDays(1));

        assertNoMessage(sqs, queue);
        assertThat(AsyncFunctions.lines(attempts)).hasSize(1);
    }

    @Test
    void aDeadLetterQueueCreatedLaterGetsTheEventWithItsAttributes(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        createFunction(lambda, "dead", ACCOUNT_QUEUES + "late-dlq");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("dead").maximumRetryAttempts(0));
        Path attempts = dir.resolve("attempts.txt");

        String requestId = invokeEvent(lambda, "dead", attempts, 10);
        awaitFailedAttempt(attempts, 1, WAIT);
        // The first retry (after a minute) finds no queue either; the second, two minutes later, does.
        stratus.clock().advance(Duration.ofMinutes(1));
        Thread.sleep(1500);
        String queue = sqs.createQueue(r -> r.queueName("late-dlq")).queueUrl();
        assertNoMessage(sqs, queue);
        stratus.clock().advance(Duration.ofMinutes(2));

        Message message = receiveOne(sqs, queue, WAIT);
        assertThat(json(message.body()).get("path").asText()).isEqualTo(attempts.toString());
        assertThat(message.messageAttributes().get("RequestID").stringValue()).isEqualTo(requestId);
        assertThat(message.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("attempt 1 fails");
    }

    @Test
    void fifoQueuesAreAcceptedAsDestinationsAndDeadLetterQueuesButGetNothing(Stratus stratus, LambdaClient lambda, SqsClient sqs,
            @TempDir Path dir) throws Exception {
        String fifo = sqs.createQueue(r -> r.queueName("records.fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
        // As on AWS, the configuration is accepted; the delivery fails ("an unsupported destination type").
        createFunction(lambda, "ordered", ACCOUNT_QUEUES + "records.fifo");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("ordered").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(ACCOUNT_QUEUES + "records.fifo"))));
        Path succeeded = dir.resolve("succeeded.txt");
        Path failed = dir.resolve("failed.txt");

        invokeEvent(lambda, "ordered", succeeded, 0);
        awaitFailedAttempt(succeeded, 1, WAIT);
        invokeEvent(lambda, "ordered", failed, 10);
        awaitFailedAttempt(failed, 1, WAIT);
        stratus.clock().advance(Duration.ofHours(1));

        assertNoMessage(sqs, fifo);
    }
}
