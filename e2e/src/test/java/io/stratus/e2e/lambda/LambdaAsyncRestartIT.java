package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.AsyncFunctions.JSON;
import static io.stratus.e2e.lambda.AsyncFunctions.NODE_FLAKY;
import static io.stratus.e2e.lambda.AsyncFunctions.awaitFailedAttempt;
import static io.stratus.e2e.lambda.AsyncFunctions.awaitLines;
import static io.stratus.e2e.lambda.AsyncFunctions.json;
import static io.stratus.e2e.lambda.AsyncFunctions.lines;
import static io.stratus.e2e.lambda.AsyncFunctions.queueArn;
import static io.stratus.e2e.lambda.AsyncFunctions.receiveOne;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Acknowledged {@code Event} invocations are in the store: a restart loses none of them. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaAsyncRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String invokeEvent(LambdaClient lambda, String function, String payload) {
        var response = lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(payload)));
        assertThat(response.statusCode()).isEqualTo(202);
        return response.responseMetadata().requestId();
    }

    private static String event(Path attempts, int failures, int sleepMs) {
        return JSON.createObjectNode().put("path", attempts.toString()).put("failures", failures).put("sleepMs", sleepMs).toString();
    }

    @Test
    void eventsWaitingInTheQueueRunAfterARestart(Stratus stratus, LambdaClient lambda, @TempDir Path dir) throws Exception {
        lambda.createFunction(request("held", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "held");
        // A reservation of 0 holds the events in the queue.
        lambda.putFunctionConcurrency(r -> r.functionName("held").reservedConcurrentExecutions(0));
        Path attempts = dir.resolve("attempts.txt");
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requestIds.add(invokeEvent(lambda, "held", event(attempts, 0, 0)));
        }
        Thread.sleep(300);
        assertThat(lines(attempts)).isEmpty();

        stratus.restart();
        lambda.deleteFunctionConcurrency(r -> r.functionName("held"));

        assertThat(awaitLines(attempts, 3, WAIT)).containsExactlyInAnyOrderElementsOf(requestIds);
        Thread.sleep(500);
        assertThat(lines(attempts)).as("each event ran once").hasSize(3);
    }

    @Test
    void aRetryWaitingAcrossARestartKeepsItsAttemptCount(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir) throws Exception {
        lambda.createFunction(request("retried", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "retried");
        String queue = sqs.createQueue(r -> r.queueName("retried-success")).queueUrl();
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("retried")
                .destinationConfig(d -> d.onSuccess(s -> s.destination(queueArn(sqs, queue)))));
        Path attempts = dir.resolve("attempts.txt");
        String requestId = invokeEvent(lambda, "retried", event(attempts, 1, 0));
        // The failed attempt is recorded with its retry time before stopping.
        awaitFailedAttempt(attempts, 1, WAIT);

        stratus.restart();
        Thread.sleep(500);
        assertThat(lines(attempts)).as("not retried before its time").hasSize(1);
        stratus.clock().advance(Duration.ofMinutes(1));

        assertThat(awaitLines(attempts, 2, WAIT)).containsOnly(requestId);
        JsonNode record = json(receiveOne(sqs, queue, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(2);
    }

    @Test
    void anEventRunningWhenStratusStopsRunsAgainAfterTheRestart(Stratus stratus, LambdaClient lambda, SqsClient sqs, @TempDir Path dir)
            throws Exception {
        lambda.createFunction(request("interrupted", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_FLAKY)).timeout(60).build());
        FunctionStates.awaitUpdated(lambda, "interrupted");
        String queue = sqs.createQueue(r -> r.queueName("interrupted-success")).queueUrl();
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("interrupted")
                .destinationConfig(d -> d.onSuccess(s -> s.destination(queueArn(sqs, queue)))));
        Path attempts = dir.resolve("attempts.txt");
        String requestId = invokeEvent(lambda, "interrupted", event(attempts, 0, 4000));
        awaitLines(attempts, 1, WAIT);

        stratus.restart();

        assertThat(awaitLines(attempts, 2, WAIT)).containsOnly(requestId);
        JsonNode record = json(receiveOne(sqs, queue, WAIT).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        // The attempt the stop cut short does not count.
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.get("responsePayload").get("attempts").asInt()).isEqualTo(2);
    }
}
