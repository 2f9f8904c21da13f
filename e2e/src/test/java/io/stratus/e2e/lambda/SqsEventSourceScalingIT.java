package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * An SQS event source mapping's pollers scale as AWS's do: a backlog is worked on by more and more
 * batches at once (five at first, then more while batches come full), at most
 * {@code MaximumConcurrency} of them. How many invocations ran at once shows in how many execution
 * environments the function needed: each has a log stream of its own.
 */
@StratusTest
class SqsEventSourceScalingIT {

    private static final String ARN = "arn:aws:sqs:us-east-1:000000000000:";
    private static final String SLOW = """
            import time
            def handler(event, context):
                time.sleep(0.8)
            """;

    private static String backlog(SqsClient sqs, String name, int messages) {
        String url = sqs.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
        for (int sent = 0; sent < messages; sent += 10) {
            int first = sent;
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(java.util.stream.IntStream.range(first, Math.min(first + 10, messages))
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("job-" + i).build()).toList()));
        }
        return url;
    }

    private static void slowFunction(LambdaClient lambda, String name) {
        lambda.createFunction(request(name, Runtime.PYTHON3_12, "app.handler", Map.of("app.py", SLOW)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, name);
    }

    private static void awaitDrained(SqsClient sqs, String url, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && left(sqs, url) > 0) {
            Thread.sleep(100);
        }
        assertThat(left(sqs, url)).as("messages left in the queue").isZero();
    }

    private static long left(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The function's execution environments: one log stream each. */
    private static int environments(CloudWatchLogsClient logs, String function) {
        try {
            return logs.describeLogStreams(r -> r.logGroupName("/aws/lambda/" + function)).logStreams().size();
        } catch (ResourceNotFoundException e) {
            return 0;
        }
    }

    @Test
    void aBacklogIsWorkedOnByMoreBatchesAtOnceThanAQuietQueueIsPolledBy(LambdaClient lambda, SqsClient sqs, CloudWatchLogsClient logs)
            throws Exception {
        slowFunction(lambda, "backlog-worker");
        String url = backlog(sqs, "backlog", 40);

        lambda.createEventSourceMapping(r -> r.functionName("backlog-worker").eventSourceArn(ARN + "backlog").batchSize(1));

        // 40 invocations of 0.8 s each: 16 s two at a time, a few seconds once the pollers scale.
        awaitDrained(sqs, url, Duration.ofSeconds(14));
        assertThat(environments(logs, "backlog-worker")).as("invocations at once").isGreaterThan(5);
    }

    @Test
    void maximumConcurrencyCapsTheBatchesAtOnce(LambdaClient lambda, SqsClient sqs, CloudWatchLogsClient logs) throws Exception {
        slowFunction(lambda, "capped-worker");
        String url = backlog(sqs, "capped", 12);

        lambda.createEventSourceMapping(r -> r.functionName("capped-worker").eventSourceArn(ARN + "capped").batchSize(1)
                .scalingConfig(s -> s.maximumConcurrency(3)));

        awaitDrained(sqs, url, Duration.ofSeconds(20));
        assertThat(environments(logs, "capped-worker")).as("invocations at once").isBetween(1, 3);
    }
}
