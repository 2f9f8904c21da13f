package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Message move tasks: a dead-letter queue redriven back to its sources or to a queue named, durably. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class MessageMoveTaskIT {

    private static final String ARN = "arn:aws:sqs:us-east-1:000000000000:";

    /** Creates {@code name} with dead-letter queue {@code name-dlq} after one receive, and fills the DLQ with {@code count} messages. */
    private static String queueWithDeadLetters(SqsClient sqs, String name, int count) {
        sqs.createQueue(r -> r.queueName(name + "-dlq"));
        String url = sqs.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + ARN + name + "-dlq\",\"maxReceiveCount\":1}"))).queueUrl();
        for (int i = 0; i < count; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("m" + n));
        }
        while (approximateCount(sqs, url) > 0) {
            sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0));
        }
        assertThat(approximateCount(sqs, url.replace(name, name + "-dlq"))).isEqualTo(count);
        return url;
    }

    private static long approximateCount(SqsClient sqs, String url) {
        return Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributesAsStrings().get("ApproximateNumberOfMessages"));
    }

    private static ListMessageMoveTasksResultEntry awaitEnd(SqsClient sqs, String sourceArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ListMessageMoveTasksResultEntry latest = sqs.listMessageMoveTasks(r -> r.sourceArn(sourceArn)).results().getFirst();
            if (!latest.status().equals("RUNNING") && !latest.status().equals("CANCELLING")) {
                return latest;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the task did not end in 20 s");
    }

    private static Set<String> drain(SqsClient sqs, String url) {
        Set<String> bodies = new HashSet<>();
        List<Message> page;
        do {
            page = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
            page.forEach(m -> bodies.add(m.body()));
        } while (!page.isEmpty());
        return bodies;
    }

    @Test
    void redrivesADeadLetterQueueBackToItsSource(SqsClient sqs) throws Exception {
        String source = queueWithDeadLetters(sqs, "orders", 25);

        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "orders-dlq")).taskHandle();
        assertThat(handle).isNotBlank();

        ListMessageMoveTasksResultEntry done = awaitEnd(sqs, ARN + "orders-dlq");
        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(25);
        assertThat(done.approximateNumberOfMessagesToMove()).isEqualTo(25);
        assertThat(done.sourceArn()).isEqualTo(ARN + "orders-dlq");
        assertThat(done.taskHandle()).as("only running tasks show their handle").isNull();
        assertThat(drain(sqs, source)).hasSize(25).contains("m0", "m24");
        assertThat(approximateCount(sqs, source.replace("orders", "orders-dlq"))).isZero();
    }

    @Test
    void movesToANamedDestinationAtTheRateAsked(SqsClient sqs) throws Exception {
        queueWithDeadLetters(sqs, "jobs", 4);
        String elsewhere = sqs.createQueue(r -> r.queueName("jobs-replay")).queueUrl();

        long started = System.nanoTime();
        sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "jobs-dlq").destinationArn(ARN + "jobs-replay").maxNumberOfMessagesPerSecond(2));
        ListMessageMoveTasksResultEntry done = awaitEnd(sqs, ARN + "jobs-dlq");

        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(done.destinationArn()).isEqualTo(ARN + "jobs-replay");
        assertThat(done.maxNumberOfMessagesPerSecond()).isEqualTo(2);
        // Four messages at two a second: two at once, two a second later.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(drain(sqs, elsewhere)).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
    }

    @Test
    void aCancelledTaskStopsAndOnlyOneTaskRunsPerQueue(SqsClient sqs) throws Exception {
        queueWithDeadLetters(sqs, "slow", 20);

        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "slow-dlq").maxNumberOfMessagesPerSecond(2)).taskHandle();
        assertThatThrownBy(() -> sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "slow-dlq")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Only one active task is allowed");
                });
        ListMessageMoveTasksResultEntry running = sqs.listMessageMoveTasks(r -> r.sourceArn(ARN + "slow-dlq")).results().getFirst();
        assertThat(running.status()).isEqualTo("RUNNING");
        assertThat(running.taskHandle()).isEqualTo(handle);

        sqs.cancelMessageMoveTask(r -> r.taskHandle(handle));
        ListMessageMoveTasksResultEntry cancelled = awaitEnd(sqs, ARN + "slow-dlq");
        assertThat(cancelled.status()).isEqualTo("CANCELLED");
        assertThat(cancelled.approximateNumberOfMessagesMoved()).isLessThan(20);

        assertThatThrownBy(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle(handle)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        // A new task may start once the last one ended; the list shows the newest first.
        sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "slow-dlq"));
        assertThat(awaitEnd(sqs, ARN + "slow-dlq").status()).isEqualTo("COMPLETED");
        assertThat(sqs.listMessageMoveTasks(r -> r.sourceArn(ARN + "slow-dlq").maxResults(10)).results())
                .extracting(ListMessageMoveTasksResultEntry::status).containsExactly("COMPLETED", "CANCELLED");
    }

    @Test
    void aRunningTaskResumesAfterARestart(Stratus stratus, SqsClient sqs) throws Exception {
        String source = queueWithDeadLetters(sqs, "resumed", 6);
        sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "resumed-dlq").maxNumberOfMessagesPerSecond(4));

        stratus.restart();
        SqsClient after = stratus.client(SqsClient.class);

        assertThat(awaitEnd(after, ARN + "resumed-dlq").status()).isEqualTo("COMPLETED");
        assertThat(drain(after, source)).hasSize(6);
    }

    @Test
    void refusesWhatIsNotADeadLetterQueueAndBadArguments(SqsClient sqs) {
        sqs.createQueue(r -> r.queueName("plain"));

        assertRefused(() -> sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "plain")), 400, "Source queue must be configured as a Dead Letter Queue.");
        assertRefused(() -> sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "absent")), 404, "SourceArn parameter doesn't exist");
        assertRefused(() -> sqs.listMessageMoveTasks(r -> r.sourceArn(ARN + "absent")), 404, "SourceArn parameter doesn't exist");
        assertRefused(() -> sqs.startMessageMoveTask(r -> r.sourceArn("not an arn")), 400, "Invalid ARN");
        assertRefused(() -> sqs.listMessageMoveTasks(r -> r.sourceArn(ARN + "plain").maxResults(11)), 400, "parameter MaxResults is invalid");
        assertRefused(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle("bm9wZQ")), 404, "TaskHandle parameter doesn't exist");
        queueWithDeadLetters(sqs, "rated", 0);
        assertRefused(() -> sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "rated-dlq").maxNumberOfMessagesPerSecond(501)), 400,
                "parameter MaxNumberOfMessagesPerSecond is invalid");
        assertRefused(() -> sqs.startMessageMoveTask(r -> r.sourceArn(ARN + "rated-dlq").destinationArn(ARN + "gone")), 404,
                "DestinationArn parameter doesn't exist");
    }

    private static void assertRefused(Runnable call, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }
}
