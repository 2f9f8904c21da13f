package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** AddPermission and RemovePermission write the queue's Policy attribute as AWS generates it. */
@StratusTest
class PermissionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode policy(SqsClient sqs, String url) throws Exception {
        String text = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributesAsStrings().get("Policy");
        return text == null ? null : JSON.readTree(text);
    }

    @Test
    void addPermissionWritesAStatementPerLabelAndRemovePermissionTakesItOut(SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("shared")).queueUrl();

        sqs.addPermission(r -> r.queueUrl(url).label("AliceSend").awsAccountIds("111122223333").actions("SendMessage"));
        sqs.addPermission(r -> r.queueUrl(url).label("BobWork").awsAccountIds("444455556666", "777788889999")
                .actions("ReceiveMessage", "DeleteMessage"));

        JsonNode policy = policy(sqs, url);
        assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
        assertThat(policy.get("Id").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:shared/SQSDefaultPolicy");
        JsonNode alice = policy.get("Statement").get(0);
        assertThat(alice.get("Sid").asText()).isEqualTo("AliceSend");
        assertThat(alice.get("Effect").asText()).isEqualTo("Allow");
        assertThat(alice.get("Principal").get("AWS").asText()).isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(alice.get("Action").asText()).isEqualTo("SQS:SendMessage");
        assertThat(alice.get("Resource").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:shared");
        JsonNode bob = policy.get("Statement").get(1);
        assertThat(bob.get("Principal").get("AWS")).hasSize(2);
        assertThat(bob.get("Action").toString()).isEqualTo("[\"SQS:ReceiveMessage\",\"SQS:DeleteMessage\"]");

        sqs.removePermission(r -> r.queueUrl(url).label("AliceSend"));
        assertThat(policy(sqs, url).get("Statement")).singleElement().satisfies(s -> assertThat(s.get("Sid").asText()).isEqualTo("BobWork"));
        sqs.removePermission(r -> r.queueUrl(url).label("BobWork"));
        assertThat(policy(sqs, url)).isNull();
    }

    @Test
    void badPermissionsAreRefusedAsAwsDoes(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("guarded")).queueUrl();
        sqs.addPermission(r -> r.queueUrl(url).label("once").awsAccountIds("111122223333").actions("*"));

        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("once").awsAccountIds("111122223333").actions("SendMessage")),
                400, "InvalidParameterValue", "Reason: Already exists.");
        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("bad label!").awsAccountIds("111122223333").actions("SendMessage")),
                400, "InvalidParameterValue", "parameter Label is invalid");
        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("owner").awsAccountIds("111122223333").actions("CreateQueue")),
                400, "InvalidParameterValue", "Only the queue owner is allowed to invoke this action.");
        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("who").awsAccountIds("alice").actions("SendMessage")),
                400, "InvalidParameterValue", "parameter PrincipalId is invalid");
        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("many").awsAccountIds("111122223333")
                        .actions("SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes",
                                "GetQueueUrl", "PurgeQueue", "ListQueueTags")),
                403, "OverLimit", "maximum allowed is 7");
        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("nobody").actions("SendMessage")),
                400, "MissingParameter", "AWSAccountIds");
        assertRefused(() -> sqs.removePermission(r -> r.queueUrl(url).label("never")),
                400, "InvalidParameterValue", "can't find label on existing policy");
        assertRefused(() -> sqs.removePermission(r -> r.queueUrl(url.replace("guarded", "missing")).label("once")),
                400, "AWS.SimpleQueueService.NonExistentQueue", "does not exist");
    }

    @Test
    void aPolicyHoldsAtMostTwentyStatements(SqsClient sqs) {
        String url = sqs.createQueue(r -> r.queueName("crowded")).queueUrl();
        for (int i = 0; i < 20; i++) {
            int n = i;
            sqs.addPermission(r -> r.queueUrl(url).label("grant" + n).awsAccountIds("111122223333").actions("SendMessage"));
        }

        assertRefused(() -> sqs.addPermission(r -> r.queueUrl(url).label("grant20").awsAccountIds("111122223333").actions("SendMessage")),
                403, "OverLimit", "maximum allowed is 20");
    }

    private static void assertRefused(Runnable call, int status, String queryCode, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-query-error")).hasValueSatisfying(
                    header -> assertThat(header).startsWith(queryCode + ";"));
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }
}
