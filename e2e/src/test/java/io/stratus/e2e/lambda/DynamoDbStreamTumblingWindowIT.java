package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.put;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.queue;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.reports;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.streamedTable;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Tumbling windows on a DynamoDB stream mapping, end to end: a real Python function counts the
 * records of each window in its state, one record per invocation, and sends the final state of
 * each window to an SQS queue.
 */
@StratusTest
class DynamoDbStreamTumblingWindowIT {

    private static final int WINDOW_SECONDS = 5;

    /** Counts records into the state; the final invocation of a window reports the whole event to OUT. */
    private static final String COUNTER = """
            import boto3, json, os
            sqs = boto3.client('sqs')
            def handler(event, context):
                if event['isFinalInvokeForWindow']:
                    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps(event))
                    return {}
                state = event['state']
                state['count'] = state.get('count', 0) + len(event['Records'])
                state['keys'] = state.get('keys', []) + [r['dynamodb']['Keys']['pk']['S'] for r in event['Records']]
                return {'state': state, 'batchItemFailures': []}
            """;

    @Test
    void eachWindowsRecordsAreCountedInItsStateAndItsFinalInvocationGetsTheTotal(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs)
            throws Exception {
        String stream = streamedTable(dynamo, "readings");
        String out = queue(sqs, "windows-closed");
        lambda.createFunction(request("window-counter", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", COUNTER))
                .timeout(10).environment(e -> e.variables(Map.of("OUT", out))).build());
        FunctionStates.awaitUpdated(lambda, "window-counter");
        var mapping = lambda.createEventSourceMapping(r -> r.functionName("window-counter").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1).tumblingWindowInSeconds(WINDOW_SECONDS));
        assertThat(mapping.tumblingWindowInSeconds()).isEqualTo(WINDOW_SECONDS);

        // Three writes just after a window opens, so they share it.
        long length = WINDOW_SECONDS * 1000L;
        Thread.sleep(length - Math.floorMod(System.currentTimeMillis(), length) + 100);
        put(dynamo, "readings", "r-1", "reading");
        put(dynamo, "readings", "r-2", "reading");
        put(dynamo, "readings", "r-3", "reading");

        List<JsonNode> finals = reports(sqs, out, 1, Duration.ofSeconds(30));
        assertThat(finals).hasSize(1);
        JsonNode last = finals.getFirst();
        assertThat(last.get("isFinalInvokeForWindow").asBoolean()).isTrue();
        assertThat(last.get("isWindowTerminatedEarly").asBoolean()).isFalse();
        assertThat(last.get("Records")).isEmpty();
        assertThat(last.at("/state/count").asInt()).isEqualTo(3);
        assertThat(last.at("/state/keys").toString()).isEqualTo("[\"r-1\",\"r-2\",\"r-3\"]");
        assertThat(last.get("eventSourceARN").asText()).isEqualTo(stream);
        assertThat(last.get("shardId").asText()).startsWith("shardId-");
        Instant start = Instant.parse(last.at("/window/start").asText());
        Instant end = Instant.parse(last.at("/window/end").asText());
        assertThat(Duration.between(start, end)).isEqualTo(Duration.ofSeconds(WINDOW_SECONDS));
        assertThat(start.toEpochMilli() % (WINDOW_SECONDS * 1000L)).isZero();
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(mapping.uuid())).lastProcessingResult()).isEqualTo("OK");
    }
}
