package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An event source mapping is durable: after a restart it is there and polls again. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class SqsEventSourceRestartIT {

    private static final String FORWARDER = """
            import boto3, os
            sqs = boto3.client('sqs')
            def handler(event, context):
                for record in event['Records']:
                    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody='seen ' + record['body'])
            """;

    @Test
    void aMappingPollsAgainAfterARestart(Stratus stratus, LambdaClient lambda, SqsClient sqs) {
        String in = sqs.createQueue(r -> r.queueName("durable-in").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
        String out = sqs.createQueue(r -> r.queueName("durable-out")).queueUrl();
        lambda.createFunction(request("forwarder", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", FORWARDER))
                .environment(e -> e.variables(Map.of("OUT", out))).build());
        FunctionStates.awaitUpdated(lambda, "forwarder");
        String uuid = lambda.createEventSourceMapping(r -> r.functionName("forwarder")
                .eventSourceArn("arn:aws:sqs:us-east-1:000000000000:durable-in")).uuid();

        stratus.restart();
        LambdaClient lambdaAfter = stratus.client(LambdaClient.class);
        SqsClient sqsAfter = stratus.client(SqsClient.class);

        assertThat(lambdaAfter.getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Enabled");
        sqsAfter.sendMessage(r -> r.queueUrl(in).messageBody("after the restart"));
        Message seen = null;
        for (int i = 0; i < 30 && seen == null; i++) {
            seen = sqsAfter.receiveMessage(r -> r.queueUrl(out).waitTimeSeconds(1)).messages().stream().findFirst().orElse(null);
        }
        assertThat(seen).isNotNull();
        assertThat(seen.body()).isEqualTo("seen after the restart");
    }
}
