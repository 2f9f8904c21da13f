package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.queue;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.reports;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Event source mappings on Kinesis streams, end to end: records put through the Kinesis API reach
 * a real Python function in Lambda's Kinesis event shape, shard by shard in order, which forwards
 * what it got to an SQS queue.
 */
@StratusTest
class KinesisEventSourceIT {

    /** Forwards each record; with MODE=report a record whose data starts with "bad" is reported as failed the first time it comes. */
    static final String WORKER = """
            import base64, boto3, json, os
            sqs = boto3.client('sqs')
            seen = set()
            def handler(event, context):
                mode = os.environ.get('MODE', 'ok')
                if mode == 'raise':
                    raise Exception('cannot handle this batch')
                for record in event['Records']:
                    k = record['kinesis']
                    data = base64.b64decode(k['data']).decode()
                    if data.startswith('bad') and mode == 'report' and data not in seen:
                        seen.add(data)
                        return {'batchItemFailures': [{'itemIdentifier': k['sequenceNumber']}]}
                    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps({
                        'data': data, 'partitionKey': k['partitionKey'], 'sequenceNumber': k['sequenceNumber'],
                        'arrival': k['approximateArrivalTimestamp'], 'schema': k['kinesisSchemaVersion'],
                        'eventSource': record['eventSource'], 'eventName': record['eventName'], 'eventID': record['eventID'],
                        'eventSourceARN': record['eventSourceARN'], 'awsRegion': record['awsRegion'],
                        'batch': len(event['Records'])}))
                return {'batchItemFailures': []}
            """;

    static void createWorker(LambdaClient lambda, String name, String out, String mode) {
        lambda.createFunction(request(name, Runtime.PYTHON3_12, "app.handler", Map.of("app.py", WORKER))
                .timeout(10).environment(e -> e.variables(Map.of("OUT", out, "MODE", mode))).build());
        FunctionStates.awaitUpdated(lambda, name);
    }

    private static String stream(KinesisClient kinesis, String name, int shards) {
        kinesis.createStream(r -> r.streamName(name).shardCount(shards));
        return kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary().streamARN();
    }

    private static void put(KinesisClient kinesis, String stream, String partitionKey, String data) {
        kinesis.putRecord(r -> r.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromUtf8String(data)));
    }

    @Test
    void recordsReachTheFunctionInLambdasKinesisShapeShardByShardInOrder(LambdaClient lambda, KinesisClient kinesis, SqsClient sqs)
            throws Exception {
        String arn = stream(kinesis, "clicks", 2);
        String out = queue(sqs, "clicks-seen");
        createWorker(lambda, "clicks-worker", out, "ok");
        for (int i = 0; i < 6; i++) {
            put(kinesis, "clicks", "user-" + (i % 3), "click-" + i);
        }

        var created = lambda.createEventSourceMapping(r -> r.functionName("clicks-worker").eventSourceArn(arn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(10));
        assertThat(created.eventSourceArn()).isEqualTo(arn);
        assertThat(created.startingPosition()).isEqualTo(EventSourcePosition.TRIM_HORIZON);

        List<JsonNode> reports = reports(sqs, out, 6);
        assertThat(reports).extracting(r -> r.get("data").asText())
                .containsExactlyInAnyOrder("click-0", "click-1", "click-2", "click-3", "click-4", "click-5");
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.get("eventSource").asText()).isEqualTo("aws:kinesis");
            assertThat(r.get("eventName").asText()).isEqualTo("aws:kinesis:record");
            assertThat(r.get("eventSourceARN").asText()).isEqualTo(arn);
            assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(r.get("schema").asText()).isEqualTo("1.0");
            assertThat(r.get("eventID").asText()).matches("shardId-00000000000[01]:" + r.get("sequenceNumber").asText());
            assertThat(r.get("arrival").asDouble()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(120.0));
        });
        // Each partition key's records come in the order they were put.
        for (int user = 0; user < 3; user++) {
            String key = "user-" + user;
            List<String> own = reports.stream().filter(r -> r.get("partitionKey").asText().equals(key))
                    .map(r -> r.get("data").asText()).toList();
            assertThat(own).containsExactly("click-" + user, "click-" + (user + 3));
        }
    }

    @Test
    void atTimestampStartsWithTheRecordsPutSince(LambdaClient lambda, KinesisClient kinesis, SqsClient sqs) throws Exception {
        String arn = stream(kinesis, "timed", 1);
        String out = queue(sqs, "timed-seen");
        createWorker(lambda, "timed-worker", out, "ok");
        put(kinesis, "timed", "k", "before");
        Thread.sleep(50);
        Instant since = Instant.now();
        Thread.sleep(50);
        put(kinesis, "timed", "k", "after");

        var created = lambda.createEventSourceMapping(r -> r.functionName("timed-worker").eventSourceArn(arn)
                .startingPosition(EventSourcePosition.AT_TIMESTAMP).startingPositionTimestamp(since));
        assertThat(created.startingPosition()).isEqualTo(EventSourcePosition.AT_TIMESTAMP);
        assertThat(created.startingPositionTimestamp()).isCloseTo(since, org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("data").asText()).containsExactly("after");
        assertThat(reports(sqs, out, 1, Duration.ofSeconds(2))).as("nothing from before the timestamp").isEmpty();
    }

    @Test
    void failedRecordsAreRetriedAndGivenUpOnToTheOnFailureDestination(LambdaClient lambda, KinesisClient kinesis, SqsClient sqs) throws Exception {
        String arn = stream(kinesis, "retried", 1);
        String out = queue(sqs, "retried-seen");
        createWorker(lambda, "retried-worker", out, "report");
        put(kinesis, "retried", "k", "good-1");
        put(kinesis, "retried", "k", "bad-1");
        put(kinesis, "retried", "k", "good-2");
        lambda.createEventSourceMapping(r -> r.functionName("retried-worker").eventSourceArn(arn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
        assertThat(reports(sqs, out, 3)).extracting(r -> r.get("data").asText()).containsExactly("good-1", "bad-1", "good-2");

        String failing = stream(kinesis, "failing", 1);
        String failures = queue(sqs, "failing-failures");
        String failuresArn = "arn:aws:sqs:us-east-1:000000000000:failing-failures";
        createWorker(lambda, "failing-worker", queue(sqs, "failing-seen"), "raise");
        put(kinesis, "failing", "k", "doomed");
        lambda.createEventSourceMapping(r -> r.functionName("failing-worker").eventSourceArn(failing)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(failuresArn))));
        JsonNode failure = reports(sqs, failures, 1).getFirst();
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/KinesisBatchInfo/streamArn").asText()).isEqualTo(failing);
        assertThat(failure.at("/KinesisBatchInfo/shardId").asText()).isEqualTo("shardId-000000000000");
        assertThat(failure.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(1);
    }

    @Test
    void badMappingsAreRefused(LambdaClient lambda, KinesisClient kinesis, SqsClient sqs) {
        String arn = stream(kinesis, "refusing", 1);
        createWorker(lambda, "refusing-worker", queue(sqs, "refusing-seen"), "ok");
        assertError(() -> lambda.createEventSourceMapping(r -> r.functionName("refusing-worker").eventSourceArn(arn)
                .startingPosition(EventSourcePosition.AT_TIMESTAMP)), "InvalidParameterValueException", 400);
        assertError(() -> lambda.createEventSourceMapping(r -> r.functionName("refusing-worker").eventSourceArn(arn)
                .startingPosition(EventSourcePosition.LATEST).startingPositionTimestamp(Instant.now())), "InvalidParameterValueException", 400);
        assertError(() -> lambda.createEventSourceMapping(r -> r.functionName("refusing-worker")
                .eventSourceArn("arn:aws:kinesis:us-east-1:000000000000:stream/missing")
                .startingPosition(EventSourcePosition.LATEST)), "InvalidParameterValueException", 400);
        assertThat(lambda.listEventSourceMappings(r -> r.functionName("refusing-worker")).eventSourceMappings()).isEmpty();
    }
}
