package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS event source mappings with a real Python function that reports what it got to an output
 * queue through boto3 (its calls land back in Stratus): batches, partial batch failures and their
 * redrive, filters, and the control plane's answers.
 */
@StratusTest
class SqsEventSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:sqs:us-east-1:000000000000:";

    /** Forwards each record to the OUT queue; bodies starting with "fail" are reported as failures. */
    private static final String WORKER = """
            import boto3, json, os
            sqs = boto3.client('sqs')
            def handler(event, context):
                failures = []
                for record in event['Records']:
                    if record['body'].startswith('fail'):
                        failures.append({'itemIdentifier': record['messageId']})
                        continue
                    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps({
                        'body': record['body'],
                        'eventSource': record['eventSource'],
                        'eventSourceARN': record['eventSourceARN'],
                        'awsRegion': record['awsRegion'],
                        'receiveCount': record['attributes']['ApproximateReceiveCount'],
                        'kind': record['messageAttributes'].get('kind', {}).get('stringValue'),
                        'batch': len(event['Records']),
                        'version': context.function_version}))
                return {'batchItemFailures': failures}
            """;

    private static void createWorker(LambdaClient lambda, String name, String outUrl, int timeoutSeconds) {
        lambda.createFunction(request(name, Runtime.PYTHON3_12, "app.handler", Map.of("app.py", WORKER))
                .timeout(timeoutSeconds).environment(e -> e.variables(Map.of("OUT", outUrl))).build());
        FunctionStates.awaitUpdated(lambda, name);
    }

    private static String queue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    /** Reads the output queue until {@code count} reports arrived or 30 s passed. */
    private static List<JsonNode> reports(SqsClient sqs, String outUrl, int count) throws Exception {
        return reports(sqs, outUrl, count, Duration.ofSeconds(30));
    }

    private static List<JsonNode> reports(SqsClient sqs, String outUrl, int count, Duration wait) throws Exception {
        List<JsonNode> reports = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (reports.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(outUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                reports.add(JSON.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(outUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return reports;
    }

    private static long count(SqsClient sqs, String url, QueueAttributeName attribute) {
        return Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(attribute)).attributes().get(attribute));
    }

    @Test
    void messagesReachTheFunctionAsSqsEventsAndAreDeletedAfter(LambdaClient lambda, SqsClient sqs) throws Exception {
        String in = queue(sqs, "orders-in", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        String out = queue(sqs, "orders-out", Map.of());
        createWorker(lambda, "order-worker", out, 10);

        var created = lambda.createEventSourceMapping(r -> r.functionName("order-worker")
                .eventSourceArn(ARN + "orders-in").batchSize(5));
        assertThat(created.uuid()).isNotBlank();
        assertThat(created.state()).isEqualTo("Creating");
        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:order-worker");
        assertThat(created.batchSize()).isEqualTo(5);

        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(in).messageBody("order-" + n)
                    .messageAttributes(Map.of("kind", software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                            .dataType("String").stringValue("order").build())));
        }

        List<JsonNode> reports = reports(sqs, out, 3);
        assertThat(reports).extracting(r -> r.get("body").asText()).containsExactlyInAnyOrder("order-0", "order-1", "order-2");
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.get("eventSource").asText()).isEqualTo("aws:sqs");
            assertThat(r.get("eventSourceARN").asText()).isEqualTo(ARN + "orders-in");
            assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(r.get("receiveCount").asText()).isEqualTo("1");
            assertThat(r.get("kind").asText()).isEqualTo("order");
        });
        awaitEmpty(sqs, in);
        var got = lambda.getEventSourceMapping(r -> r.uuid(created.uuid()));
        assertThat(got.state()).isEqualTo("Enabled");
        assertThat(got.lastProcessingResult()).isEqualTo("OK");
    }

    @Test
    void reportedFailuresStayAndAreRedrivenAfterTheVisibilityTimeout(LambdaClient lambda, SqsClient sqs) throws Exception {
        queue(sqs, "jobs-dlq", Map.of());
        String in = queue(sqs, "jobs-in", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "3", QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + ARN + "jobs-dlq\",\"maxReceiveCount\":1}"));
        String out = queue(sqs, "jobs-out", Map.of());
        createWorker(lambda, "job-worker", out, 3);
        sqs.sendMessage(r -> r.queueUrl(in).messageBody("fail-me"));
        sqs.sendMessage(r -> r.queueUrl(in).messageBody("fine"));

        lambda.createEventSourceMapping(r -> r.functionName("job-worker").eventSourceArn(ARN + "jobs-in")
                .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));

        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("body").asText()).containsExactly("fine");
        // The failed message stays in flight until its visibility timeout, then its next receive moves it.
        String dlq = in.replace("jobs-in", "jobs-dlq");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(sqs, dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(sqs.receiveMessage(r -> r.queueUrl(dlq)).messages()).singleElement()
                .satisfies(m -> assertThat(m.body()).isEqualTo("fail-me"));
    }

    @Test
    void filtersConsumeWhatTheyDoNotMatch(LambdaClient lambda, SqsClient sqs) throws Exception {
        String in = queue(sqs, "events-in", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        String out = queue(sqs, "events-out", Map.of());
        createWorker(lambda, "event-worker", out, 10);
        lambda.createEventSourceMapping(r -> r.functionName("event-worker").eventSourceArn(ARN + "events-in")
                .filterCriteria(f -> f.filters(p -> p.pattern("{\"body\":{\"type\":[\"order\"]}}"))));

        sqs.sendMessage(r -> r.queueUrl(in).messageBody("{\"type\":\"other\"}"));
        sqs.sendMessage(r -> r.queueUrl(in).messageBody("{\"type\":\"order\"}"));

        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("body").asText()).containsExactly("{\"type\":\"order\"}");
        awaitEmpty(sqs, in);
        assertThat(reports(sqs, out, 1, Duration.ofSeconds(2))).as("the other one was consumed without an invocation").isEmpty();
    }

    @Test
    void aMappingOnAnAliasInvokesTheVersionTheAliasPointsTo(LambdaClient lambda, SqsClient sqs) throws Exception {
        String in = queue(sqs, "alias-in", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        String out = queue(sqs, "alias-out", Map.of());
        createWorker(lambda, "alias-worker", out, 10);
        lambda.publishVersion(r -> r.functionName("alias-worker"));
        lambda.createAlias(r -> r.functionName("alias-worker").name("live").functionVersion("1"));

        var created = lambda.createEventSourceMapping(r -> r.functionName("alias-worker:live").eventSourceArn(ARN + "alias-in"));

        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:alias-worker:live");
        // Listed for exactly that alias.
        assertThat(lambda.listEventSourceMappings(r -> r.functionName("alias-worker:live")).eventSourceMappings())
                .extracting(EventSourceMappingConfiguration::uuid).containsExactly(created.uuid());
        assertThat(lambda.listEventSourceMappings(r -> r.functionName("alias-worker")).eventSourceMappings()).isEmpty();
        sqs.sendMessage(r -> r.queueUrl(in).messageBody("through-the-alias"));
        List<JsonNode> reports = reports(sqs, out, 1);
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.get("body").asText()).isEqualTo("through-the-alias");
            assertThat(report.get("version").asText()).isEqualTo("1");
        });
        awaitEmpty(sqs, in);
    }

    @Test
    void theControlPlaneAnswersAsAwsDoes(LambdaClient lambda, SqsClient sqs) {
        queue(sqs, "cp-in", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        queue(sqs, "cp-short", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"));
        createWorker(lambda, "cp-worker", "unused", 10);

        var mapping = lambda.createEventSourceMapping(r -> r.functionName("cp-worker")
                .eventSourceArn(ARN + "cp-in").enabled(false).batchSize(100).maximumBatchingWindowInSeconds(2)
                .scalingConfig(s -> s.maximumConcurrency(3)));
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(mapping.uuid())).state()).isEqualTo("Disabled");
        assertThat(lambda.listEventSourceMappings(r -> r.functionName("cp-worker")).eventSourceMappings())
                .extracting(EventSourceMappingConfiguration::uuid).containsExactly(mapping.uuid());
        assertThat(lambda.listEventSourceMappings(r -> r.eventSourceArn(ARN + "elsewhere")).eventSourceMappings()).isEmpty();

        var updated = lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).enabled(true).batchSize(20));
        assertThat(updated.batchSize()).isEqualTo(20);
        assertThat(updated.scalingConfig().maximumConcurrency()).isEqualTo(3);
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(mapping.uuid())).state()).isEqualTo("Enabled");

        assertRefused(() -> lambda.createEventSourceMapping(r -> r.functionName("cp-worker").eventSourceArn(ARN + "cp-in")),
                409, "already exists");
        assertRefused(() -> lambda.createEventSourceMapping(r -> r.functionName("cp-worker").eventSourceArn(ARN + "cp-short")),
                400, "Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds");
        assertRefused(() -> lambda.createEventSourceMapping(r -> r.functionName("cp-worker").eventSourceArn(ARN + "missing")),
                400, "AWS.SimpleQueueService.NonExistentQueue");
        assertRefused(() -> lambda.createEventSourceMapping(r -> r.functionName("nobody").eventSourceArn(ARN + "cp-in")),
                404, "Function not found");
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).batchSize(50).maximumBatchingWindowInSeconds(0)),
                400, "Maximum batch window in seconds must be greater than 0");
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).maximumRetryAttempts(3)),
                400, "Unsupported MaximumRetryAttempts parameter");
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid())
                        .filterCriteria(f -> f.filters(p -> p.pattern("not a pattern")))), 400, "Invalid filter pattern definition.");
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).scalingConfig(c -> c.maximumConcurrency(1))),
                400, "ValidationException", "Member must have value greater than or equal to 2");
        // The API model's bounds are ValidationException; SQS's own rules InvalidParameterValueException.
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).functionResponseTypesWithStrings("Everything")),
                400, "ValidationException", "Member must satisfy enum value set: [ReportBatchItemFailures]");
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).batchSize(10_001)), 400, "ValidationException",
                "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000");
        assertRefused(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).maximumBatchingWindowInSeconds(301)), 400,
                "ValidationException", "Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint");
        assertRefused(() -> lambda.listEventSourceMappings(r -> r.maxItems(0)), 400, "ValidationException", "failed to satisfy constraint");
        assertRefused(() -> lambda.createEventSourceMapping(r -> r.functionName("cp-worker")
                .eventSourceArn("arn:aws:mq:us-east-1:000000000000:broker:b:b-1234")), 400, "not supported by Stratus yet");

        assertThat(lambda.deleteEventSourceMapping(r -> r.uuid(mapping.uuid())).state()).isEqualTo("Deleting");
        assertRefused(() -> lambda.getEventSourceMapping(r -> r.uuid(mapping.uuid())), 404, "The resource you requested does not exist.");
    }

    private static void awaitEmpty(SqsClient sqs, String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) > 0) {
            Thread.sleep(100);
        }
        assertThat(count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
    }

    private static void assertRefused(Runnable call, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    private static void assertRefused(Runnable call, int status, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }
}
