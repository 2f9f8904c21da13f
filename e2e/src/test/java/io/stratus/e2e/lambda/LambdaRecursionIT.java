package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.RecursiveLoop;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Recursive loop detection: a Python function fed by a queue that sends each message back to that
 * queue (through boto3, whose calls carry the invocation's trace header) is stopped after 16 rounds,
 * the looping message going to the queue's dead-letter queue; {@code Allow} lets the loop run.
 */
@StratusTest
class LambdaRecursionIT {

    private static final String ARN = "arn:aws:sqs:us-east-1:000000000000:";

    /** Sends each record back to LOOP with its number one higher, and reports the number to SEEN, until LIMIT. */
    private static final String LOOPER = """
            import boto3, os
            sqs = boto3.client('sqs')
            def handler(event, context):
                for record in event['Records']:
                    n = int(record['body'])
                    sqs.send_message(QueueUrl=os.environ['SEEN'], MessageBody=str(n))
                    if n < int(os.environ['LIMIT']):
                        sqs.send_message(QueueUrl=os.environ['LOOP'], MessageBody=str(n + 1))
            """;

    @Test
    void theConfigurationIsTerminateUntilAllowed(LambdaClient lambda) {
        lambda.createFunction(request("recursion-config", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", LOOPER)).build());

        assertThat(lambda.getFunctionRecursionConfig(r -> r.functionName("recursion-config")).recursiveLoop()).isEqualTo(RecursiveLoop.TERMINATE);
        assertThat(lambda.putFunctionRecursionConfig(r -> r.functionName("recursion-config").recursiveLoop(RecursiveLoop.ALLOW)).recursiveLoop())
                .isEqualTo(RecursiveLoop.ALLOW);
        assertThat(lambda.getFunctionRecursionConfig(r -> r.functionName("arn:aws:lambda:us-east-1:000000000000:function:recursion-config"))
                .recursiveLoop()).isEqualTo(RecursiveLoop.ALLOW);
        lambda.putFunctionRecursionConfig(r -> r.functionName("recursion-config").recursiveLoop(RecursiveLoop.TERMINATE));
        assertThat(lambda.getFunctionRecursionConfig(r -> r.functionName("recursion-config")).recursiveLoop()).isEqualTo(RecursiveLoop.TERMINATE);

        assertThatThrownBy(() -> lambda.putFunctionRecursionConfig(r -> r.functionName("recursion-config").recursiveLoop("Sometimes")))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                });
        assertThatThrownBy(() -> lambda.putFunctionRecursionConfig(r -> r.functionName("recursion-config")))
                .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> lambda.getFunctionRecursionConfig(r -> r.functionName("no-such-function")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.getFunctionRecursionConfig(r -> r.functionName("recursion-config:1")))
                .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException"));
    }

    @Test
    void aQueueLoopStopsAfterSixteenRoundsAndItsMessageGoesToTheDeadLetterQueue(LambdaClient lambda, SqsClient sqs) throws Exception {
        String dlq = sqs.createQueue(r -> r.queueName("loop-dlq")).queueUrl();
        String loop = sqs.createQueue(r -> r.queueName("loop").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + ARN + "loop-dlq\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
        String seen = sqs.createQueue(r -> r.queueName("loop-seen")).queueUrl();
        // The queue's visibility timeout (short, so the stopped message reaches the dead-letter queue soon) must cover the function's.
        lambda.createFunction(request("looper", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", LOOPER)).timeout(1)
                .environment(e -> e.variables(Map.of("LOOP", loop, "SEEN", seen, "LIMIT", "1000"))).build());
        FunctionStates.awaitUpdated(lambda, "looper");
        lambda.createEventSourceMapping(r -> r.functionName("looper").eventSourceArn(ARN + "loop").batchSize(1));

        sqs.sendMessage(r -> r.queueUrl(loop).messageBody("1"));

        List<Message> stopped = receive(sqs, dlq, 1, Duration.ofSeconds(60));
        assertThat(stopped).extracting(Message::body).containsExactly("17");
        List<String> rounds = receive(sqs, seen, 16, Duration.ofSeconds(5)).stream().map(Message::body).toList();
        assertThat(rounds).hasSize(16).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 16).mapToObj(Integer::toString).toList());
        assertThat(receive(sqs, seen, 1, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void aFunctionThatAllowsLoopsRunsOn(LambdaClient lambda, SqsClient sqs) throws Exception {
        String loop = sqs.createQueue(r -> r.queueName("allowed-loop")).queueUrl();
        String seen = sqs.createQueue(r -> r.queueName("allowed-seen")).queueUrl();
        lambda.createFunction(request("allowed-looper", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", LOOPER))
                .environment(e -> e.variables(Map.of("LOOP", loop, "SEEN", seen, "LIMIT", "20"))).build());
        FunctionStates.awaitUpdated(lambda, "allowed-looper");
        lambda.putFunctionRecursionConfig(r -> r.functionName("allowed-looper").recursiveLoop(RecursiveLoop.ALLOW));
        lambda.createEventSourceMapping(r -> r.functionName("allowed-looper").eventSourceArn(ARN + "allowed-loop").batchSize(1));

        sqs.sendMessage(r -> r.queueUrl(loop).messageBody("1"));

        assertThat(receive(sqs, seen, 20, Duration.ofSeconds(60))).hasSize(20);
    }

    /** Answers the trace header its invocation got, as its SDK would send it on. */
    private static final String TRACER = """
            import os
            def handler(event, context):
                return os.environ['_X_AMZN_TRACE_ID']
            """;

    @Test
    void invocationsCarryingTheChainAreStoppedToo(LambdaClient lambda, SqsClient sqs) throws Exception {
        String dlq = sqs.createQueue(r -> r.queueName("tracer-dlq")).queueUrl();
        lambda.createFunction(request("tracer", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", TRACER))
                .deadLetterConfig(d -> d.targetArn(ARN + "tracer-dlq")).build());
        FunctionStates.awaitUpdated(lambda, "tracer");

        // A function that calls itself through Invoke, its SDK passing its trace header on each time.
        String header = null;
        for (int i = 1; i <= 16; i++) {
            String sent = header;
            var invoked = lambda.invoke(r -> r.functionName("tracer").overrideConfiguration(o -> {
                if (sent != null) {
                    o.putHeader("X-Amzn-Trace-Id", sent);
                }
            }));
            header = new com.fasterxml.jackson.databind.ObjectMapper().readTree(invoked.payload().asUtf8String()).asText();
            assertThat(header).startsWith("Root=1-").contains(";Parent=").contains(";Lineage=");
            if (sent != null) {
                assertThat(header).startsWith(sent.substring(0, sent.indexOf(';')));
            }
        }
        String looping = header;
        assertThatThrownBy(() -> lambda.invoke(r -> r.functionName("tracer").overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", looping))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RecursiveInvocationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Lambda has detected your function being invoked in a recursive loop "
                            + "with other AWS resources and stopped your function's invocation.");
                });

        // An Event invocation is accepted, then stopped without retries: its event goes to the dead-letter queue.
        var accepted = lambda.invoke(r -> r.functionName("tracer").invocationType("Event")
                .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"round\":17}"))
                .overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", looping)));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(receive(sqs, dlq, 1, Duration.ofSeconds(30))).extracting(Message::body).containsExactly("{\"round\":17}");
    }

    /** Reports each round's number to SEEN and publishes the next to TOPIC, until LIMIT. */
    private static final String TOPIC_LOOPER = """
            import boto3, json, os
            sns = boto3.client('sns')
            sqs = boto3.client('sqs')
            def handler(event, context):
                n = int(event['Records'][0]['Sns']['Message'])
                sqs.send_message(QueueUrl=os.environ['SEEN'], MessageBody=str(n))
                sns.publish(TopicArn=os.environ['TOPIC'], Message=str(n + 1))
            """;

    @Test
    void aLoopThroughATopicStopsAndItsEventGoesToTheDeadLetterQueue(LambdaClient lambda, SqsClient sqs, SnsClient sns) throws Exception {
        String dlq = sqs.createQueue(r -> r.queueName("topic-loop-dlq")).queueUrl();
        String seen = sqs.createQueue(r -> r.queueName("topic-loop-seen")).queueUrl();
        String topic = sns.createTopic(r -> r.name("topic-loop")).topicArn();
        String function = lambda.createFunction(request("topic-looper", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", TOPIC_LOOPER))
                .deadLetterConfig(d -> d.targetArn(ARN + "topic-loop-dlq"))
                .environment(e -> e.variables(Map.of("TOPIC", topic, "SEEN", seen))).build()).functionArn();
        FunctionStates.awaitUpdated(lambda, "topic-looper");
        lambda.addPermission(r -> r.functionName("topic-looper").statementId("sns").action("lambda:InvokeFunction")
                .principal("sns.amazonaws.com").sourceArn(topic));
        sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint(function));

        sns.publish(r -> r.topicArn(topic).message("1"));

        List<Message> stopped = receive(sqs, dlq, 1, Duration.ofSeconds(60));
        assertThat(stopped).hasSize(1);
        assertThat(stopped.getFirst().body()).contains("\"Message\":\"17\"");
        assertThat(receive(sqs, seen, 17, Duration.ofSeconds(5))).hasSize(16);
    }

    /** Reports each round's number to SEEN and writes the next as a new object into the bucket it was told of, until LIMIT. */
    private static final String BUCKET_LOOPER = """
            import boto3, os
            from botocore.config import Config
            s3 = boto3.client('s3', config=Config(s3={'addressing_style': 'path'}))
            sqs = boto3.client('sqs')
            def handler(event, context):
                record = event['Records'][0]['s3']
                n = int(record['object']['key'])
                sqs.send_message(QueueUrl=os.environ['SEEN'], MessageBody=str(n))
                s3.put_object(Bucket=record['bucket']['name'], Key=str(n + 1), Body=b'next')
            """;

    @Test
    void aLoopThroughABucketStops(LambdaClient lambda, SqsClient sqs, S3Client s3) throws Exception {
        String dlq = sqs.createQueue(r -> r.queueName("bucket-loop-dlq")).queueUrl();
        String seen = sqs.createQueue(r -> r.queueName("bucket-loop-seen")).queueUrl();
        s3.createBucket(r -> r.bucket("bucket-loop"));
        String function = lambda.createFunction(request("bucket-looper", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", BUCKET_LOOPER))
                .deadLetterConfig(d -> d.targetArn(ARN + "bucket-loop-dlq"))
                .environment(e -> e.variables(Map.of("SEEN", seen))).build()).functionArn();
        FunctionStates.awaitUpdated(lambda, "bucket-looper");
        lambda.addPermission(r -> r.functionName("bucket-looper").statementId("s3").action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::bucket-loop").sourceAccount("000000000000"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("bucket-loop").notificationConfiguration(c -> c.lambdaFunctionConfigurations(
                f -> f.lambdaFunctionArn(function).events(Event.S3_OBJECT_CREATED))));

        s3.putObject(r -> r.bucket("bucket-loop").key("1"), RequestBody.fromString("first"));

        List<Message> stopped = receive(sqs, dlq, 1, Duration.ofSeconds(60));
        assertThat(stopped).hasSize(1);
        assertThat(stopped.getFirst().body()).contains("\"key\":\"17\"");
        assertThat(receive(sqs, seen, 17, Duration.ofSeconds(5))).hasSize(16);
        assertThat(s3.listObjectsV2(r -> r.bucket("bucket-loop")).keyCount()).isEqualTo(17);
    }

    /** Receives (and deletes) up to {@code count} messages, waiting at most {@code wait}. */
    private static List<Message> receive(SqsClient sqs, String url, int count, Duration wait) {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                received.add(message);
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return received;
    }
}
