package io.stratus.e2e.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Functions and waits the asynchronous invocation tests share. */
final class AsyncFunctions {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Appends the request id of each attempt to the file {@code event.path}, and fails while that
     * file has no more than {@code event.failures} lines.
     */
    static final String NODE_FLAKY = """
            const fs = require('fs');
            exports.handler = async (event, context) => {
              fs.appendFileSync(event.path, context.awsRequestId + '\\n');
              const attempts = fs.readFileSync(event.path, 'utf8').trim().split('\\n').length;
              if (event.sleepMs) {
                await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
              }
              if (attempts <= event.failures) {
                throw new Error('attempt ' + attempts + ' fails');
              }
              return { attempts, requestId: context.awsRequestId };
            };
            """;

    /** The same in Python, always failing. */
    static final String PYTHON_FAILING = """
            def handler(event, context):
                with open(event["path"], "a") as f:
                    f.write(context.aws_request_id + "\\n")
                raise ValueError("no good: " + event["name"])
            """;

    private AsyncFunctions() {}

    /** The lines of {@code file} (none when it does not exist yet). */
    static List<String> lines(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file);
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code file} has {@code count} lines, and returns them. */
    static List<String> awaitLines(Path file, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines(file).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<String> lines = lines(file);
        assertThat(lines).as("attempts recorded in %s", file).hasSizeGreaterThanOrEqualTo(count);
        return lines;
    }

    /**
     * Waits until {@code file} has {@code count} lines, then a little longer: the function writes
     * its line before it fails, and Stratus records the failure (and the retry's time, from the
     * clock the test is about to move) just after.
     */
    static List<String> awaitFailedAttempt(Path file, int count, Duration timeout) throws InterruptedException {
        List<String> lines = awaitLines(file, count, timeout);
        Thread.sleep(1500);
        return lines;
    }

    static String queueArn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    /** Receives one message from the queue, waiting up to {@code timeout}; fails when none comes. */
    static Message receiveOne(SqsClient sqs, String queueUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(messages.getFirst().receiptHandle()));
                return messages.getFirst();
            }
        }
        throw new AssertionError("No message in " + queueUrl + " within " + timeout);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
