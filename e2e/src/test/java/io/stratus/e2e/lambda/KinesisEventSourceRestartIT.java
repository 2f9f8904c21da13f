package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.queue;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.reports;
import static io.stratus.e2e.lambda.KinesisEventSourceIT.createWorker;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A Kinesis mapping's checkpoints are durable: after a restart it goes on where it stopped in each shard, redelivering nothing. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class KinesisEventSourceRestartIT {

    @Test
    void aMappingResumesFromItsCheckpointsAfterARestart(Stratus stratus, LambdaClient lambda, KinesisClient kinesis, SqsClient sqs)
            throws Exception {
        kinesis.createStream(r -> r.streamName("durable").shardCount(2));
        String arn = kinesis.describeStreamSummary(r -> r.streamName("durable")).streamDescriptionSummary().streamARN();
        String out = queue(sqs, "durable-seen");
        createWorker(lambda, "durable-worker", out, "ok");
        String uuid = lambda.createEventSourceMapping(r -> r.functionName("durable-worker").eventSourceArn(arn)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(2)).uuid();
        for (int i = 0; i < 4; i++) {
            int n = i;
            kinesis.putRecord(r -> r.streamName("durable").partitionKey("k" + n).data(SdkBytes.fromUtf8String("before-" + n)));
        }
        assertThat(reports(sqs, out, 4)).extracting(r -> r.get("data").asText())
                .containsExactlyInAnyOrder("before-0", "before-1", "before-2", "before-3");
        // Past the worker's checkpoint write after its last invocation.
        Thread.sleep(500);

        stratus.restart();
        LambdaClient lambdaAfter = stratus.client(LambdaClient.class);
        KinesisClient kinesisAfter = stratus.client(KinesisClient.class);
        SqsClient sqsAfter = stratus.client(SqsClient.class);

        assertThat(lambdaAfter.getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Enabled");
        kinesisAfter.putRecord(r -> r.streamName("durable").partitionKey("k0").data(SdkBytes.fromUtf8String("after-0")));
        kinesisAfter.putRecord(r -> r.streamName("durable").partitionKey("k1").data(SdkBytes.fromUtf8String("after-1")));
        assertThat(reports(sqsAfter, out, 2)).extracting(r -> r.get("data").asText()).containsExactlyInAnyOrder("after-0", "after-1");
        assertThat(reports(sqsAfter, out, 1, Duration.ofSeconds(2))).as("nothing processed before the restart came again").isEmpty();
    }
}
