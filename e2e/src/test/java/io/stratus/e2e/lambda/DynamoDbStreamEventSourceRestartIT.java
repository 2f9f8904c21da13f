package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.createWorker;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.put;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.queue;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.reports;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.streamedTable;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A stream mapping's checkpoint is durable: after a restart it goes on where it stopped, redelivering nothing it had processed. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DynamoDbStreamEventSourceRestartIT {

    @Test
    void aMappingResumesFromItsCheckpointAfterARestart(Stratus stratus, LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs)
            throws Exception {
        String stream = streamedTable(dynamo, "durable");
        String out = queue(sqs, "durable-seen");
        createWorker(lambda, "durable-worker", out, "ok");
        String uuid = lambda.createEventSourceMapping(r -> r.functionName("durable-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(2)).uuid();
        for (int i = 0; i < 3; i++) {
            put(dynamo, "durable", "before-" + i, "x");
        }
        assertThat(reports(sqs, out, 3)).extracting(r -> r.get("pk").asText()).containsExactly("before-0", "before-1", "before-2");
        // Past the worker's checkpoint write after its last invocation.
        Thread.sleep(500);

        stratus.restart();
        LambdaClient lambdaAfter = stratus.client(LambdaClient.class);
        DynamoDbClient dynamoAfter = stratus.client(DynamoDbClient.class);
        SqsClient sqsAfter = stratus.client(SqsClient.class);

        assertThat(lambdaAfter.getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Enabled");
        put(dynamoAfter, "durable", "after-0", "x");
        put(dynamoAfter, "durable", "after-1", "x");
        assertThat(reports(sqsAfter, out, 2)).extracting(r -> r.get("pk").asText()).containsExactly("after-0", "after-1");
        assertThat(reports(sqsAfter, out, 1, Duration.ofSeconds(2))).as("nothing processed before the restart came again").isEmpty();
    }
}
