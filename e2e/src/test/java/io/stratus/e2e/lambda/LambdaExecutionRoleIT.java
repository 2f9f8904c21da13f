package io.stratus.e2e.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A function's own AWS calls act as a session of its execution role, as on AWS; with
 * {@code --auth sigv4}, so the session's secret and token must verify.
 */
@StratusTest(auth = StratusConfig.Auth.SIGV4)
class LambdaExecutionRoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String WHO_AM_I = """
            import boto3, os
            def handler(event, context):
                identity = boto3.client('sts').get_caller_identity()
                return {
                    'arn': identity['Arn'],
                    'account': identity['Account'],
                    'key': os.environ['AWS_ACCESS_KEY_ID'],
                    'queues': boto3.client('sqs').list_queues().get('QueueUrls', []),
                }
            """;

    @Test
    void theFunctionActsAsItsRolesSession(LambdaClient lambda, SqsClient sqs) throws Exception {
        String queue = sqs.createQueue(r -> r.queueName("role-visible")).queueUrl();
        FunctionZips.create(lambda, "whoami", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", WHO_AM_I));
        FunctionStates.awaitActive(lambda, "whoami");

        JsonNode answer = JSON.readTree(lambda.invoke(r -> r.functionName("whoami").payload(SdkBytes.fromUtf8String("{}"))).payload().asByteArray());
        assertThat(answer.get("arn").asText()).isEqualTo("arn:aws:sts::000000000000:assumed-role/lambda-role/whoami");
        assertThat(answer.get("account").asText()).isEqualTo("000000000000");
        assertThat(answer.get("key").asText()).startsWith("ASIA");
        assertThat(answer.get("queues")).extracting(JsonNode::asText).contains(queue);

        // A second environment shares the session; a warm one keeps it.
        JsonNode again = JSON.readTree(lambda.invoke(r -> r.functionName("whoami").payload(SdkBytes.fromUtf8String("{}"))).payload().asByteArray());
        assertThat(again.get("key").asText()).isEqualTo(answer.get("key").asText());
    }
}
