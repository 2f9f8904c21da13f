package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Input the AWS SDK would not send, as raw awsJson1_0 requests: null list elements and values,
 * lone surrogates, foreign NextTokens. Each is a 4xx with AWS's code, never a 500.
 */
@StratusTest
class MalformedInputIT {

    private static final String LONE_SURROGATE = "\\ud800";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> json(Stratus stratus, String operation, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).containsPattern("\"__type\":\"([^\"#]*#)?" + type + "\"");
    }

    private static String token(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nullBatchEntryIsMissingParameter(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("null-entries")).queueUrl();

        for (String operation : new String[] {"SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"}) {
            assertError(json(stratus, operation, "{\"QueueUrl\":\"" + url + "\",\"Entries\":[null]}"), 400, "MissingRequiredParameterException");
        }
    }

    @Test
    void nullMessageAttributeValueFailsOnlyItsBatchEntry(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("null-attribute")).queueUrl();

        HttpResponse<String> response = json(stratus, "SendMessageBatch", "{\"QueueUrl\":\"" + url + "\",\"Entries\":["
                + "{\"Id\":\"bad\",\"MessageBody\":\"x\",\"MessageAttributes\":{\"a\":null}},"
                + "{\"Id\":\"good\",\"MessageBody\":\"y\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"Id\":\"bad\"").contains("\"Code\":\"InvalidParameterValue\"").contains("\"Id\":\"good\"");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).extracting(Message::body).containsExactly("y");
    }

    @Test
    void nullAttributeNameIsInvalidAttributeName(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("null-attribute-name")).queueUrl();

        assertError(json(stratus, "GetQueueAttributes", "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[null]}"), 400, "InvalidAttributeName");
    }

    @Test
    void nullTagKeyIsInvalidParameterValue(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("null-tag-key")).queueUrl();

        assertError(json(stratus, "UntagQueue", "{\"QueueUrl\":\"" + url + "\",\"TagKeys\":[null]}"), 400, "InvalidParameterValueException");
    }

    @Test
    void nullMessageAttributeNameFailsTheReceiveBeforeItTakesAnything(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("null-receive-name")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("still here"));

        for (String parameter : new String[] {"MessageAttributeNames", "AttributeNames", "MessageSystemAttributeNames"}) {
            assertError(json(stratus, "ReceiveMessage", "{\"QueueUrl\":\"" + url + "\",\"" + parameter + "\":[null]}"), 400,
                    "InvalidParameterValueException");
        }

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).extracting(Message::body).containsExactly("still here");
    }

    @Test
    void loneSurrogatesInQueueNamesAndOwnersNameNoQueue(Stratus stratus) throws Exception {
        assertError(json(stratus, "GetQueueUrl", "{\"QueueName\":\"a" + LONE_SURROGATE + "\"}"), 400, "QueueDoesNotExist");
        assertError(json(stratus, "GetQueueUrl", "{\"QueueName\":\"a\",\"QueueOwnerAWSAccountId\":\"" + LONE_SURROGATE + "\"}"), 400,
                "QueueDoesNotExist");
        assertError(json(stratus, "SendMessage", "{\"QueueUrl\":\"http://localhost/000000000000/q" + LONE_SURROGATE + "\",\"MessageBody\":\"x\"}"),
                400, "QueueDoesNotExist");
        assertError(json(stratus, "CreateQueue", "{\"QueueName\":\"q" + LONE_SURROGATE + "\"}"), 400, "InvalidParameterValueException");

        HttpResponse<String> listed = json(stratus, "ListQueues", "{\"QueueNamePrefix\":\"" + LONE_SURROGATE + "\"}");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain("http://");
    }

    @Test
    void listQueuesKeepsToThePrefixWhateverTheNextToken(Stratus stratus, SqsClient sqs) throws Exception {
        String a = sqs.createQueue(r -> r.queueName("lq-a1")).queueUrl();
        String b = sqs.createQueue(r -> r.queueName("lq-b1")).queueUrl();
        sqs.createQueue(r -> r.queueName("lq-c1"));

        HttpResponse<String> before = json(stratus, "ListQueues",
                "{\"QueueNamePrefix\":\"lq-b\",\"MaxResults\":10,\"NextToken\":\"" + token("lq-0") + "\"}");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(before.body()).contains(b).doesNotContain(a).doesNotContain("lq-c1");

        HttpResponse<String> after = json(stratus, "ListQueues",
                "{\"QueueNamePrefix\":\"lq-b\",\"MaxResults\":10,\"NextToken\":\"" + token("lq-z") + "\"}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(after.body()).doesNotContain("http://");
    }
}
