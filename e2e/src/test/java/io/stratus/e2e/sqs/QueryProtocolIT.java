package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SQS over awsQuery, as older SDKs and the CLI v1 speak it: form posts in, XML out, and the Query
 * error codes ({@code AWS.SimpleQueueService.NonExistentQueue}), from the same operations the JSON
 * tests drive.
 */
@StratusTest
class QueryProtocolIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> query(Stratus stratus, String... params) throws Exception {
        StringBuilder body = new StringBuilder("Version=2012-11-05");
        for (int i = 0; i < params.length; i += 2) {
            body.append('&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String element(String xml, String name) {
        Matcher matcher = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        assertThat(matcher.find()).as("<%s> in %s", name, xml).isTrue();
        return matcher.group(1);
    }

    @Test
    void createSendReceiveDeleteOverQuery(Stratus stratus) throws Exception {
        HttpResponse<String> created = query(stratus, "Action", "CreateQueue", "QueueName", "legacy",
                "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "45", "Tag.1.Key", "team", "Tag.1.Value", "ops");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("content-type")).hasValue("text/xml");
        assertThat(created.body()).contains("<CreateQueueResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><CreateQueueResult><QueueUrl>");
        String url = element(created.body(), "QueueUrl");
        assertThat(url).isEqualTo("http://localhost:" + stratus.port() + "/000000000000/legacy");

        HttpResponse<String> sent = query(stratus, "Action", "SendMessage", "QueueUrl", url, "MessageBody", "hello world",
                "MessageAttribute.1.Name", "attribName1", "MessageAttribute.1.Value.DataType", "String",
                "MessageAttribute.1.Value.StringValue", "attribValue 1");
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(element(sent.body(), "MD5OfMessageBody")).isEqualTo("5eb63bbbe01eeed093cb22bb8f5acdc3");
        assertThat(element(sent.body(), "MD5OfMessageAttributes")).isEqualTo("19e27d4e946b072f3f58da80d94fd778");

        HttpResponse<String> received = query(stratus, "Action", "ReceiveMessage", "QueueUrl", url, "AttributeName.1", "All",
                "MessageAttributeName.1", "All");
        assertThat(received.body())
                .contains("<ReceiveMessageResult><Message><MessageId>")
                .contains("<Body>hello world</Body>")
                .contains("<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>")
                .contains("<MessageAttribute><Name>attribName1</Name><Value><StringValue>attribValue 1</StringValue><DataType>String</DataType></Value></MessageAttribute>");
        String handle = element(received.body(), "ReceiptHandle");

        assertThat(query(stratus, "Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", handle).body())
                .contains("<DeleteMessageResponse").contains("<RequestId>").doesNotContain("DeleteMessageResult");

        HttpResponse<String> attributes = query(stratus, "Action", "GetQueueAttributes", "QueueUrl", url,
                "AttributeName.1", "VisibilityTimeout", "AttributeName.2", "ApproximateNumberOfMessages");
        assertThat(attributes.body())
                .contains("<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute>")
                .contains("<Attribute><Name>ApproximateNumberOfMessages</Name><Value>0</Value></Attribute>");
        assertThat(query(stratus, "Action", "ListQueueTags", "QueueUrl", url).body())
                .contains("<Tag><Key>team</Key><Value>ops</Value></Tag>");
        assertThat(query(stratus, "Action", "ListQueues", "QueueNamePrefix", "legacy", "MaxResults", "1").body())
                .contains("<ListQueuesResult><QueueUrl>" + url + "</QueueUrl><NextToken>");
    }

    @Test
    void batchesUseFlattenedEntriesOverQuery(Stratus stratus) throws Exception {
        String url = element(query(stratus, "Action", "CreateQueue", "QueueName", "legacy-batch").body(), "QueueUrl");

        HttpResponse<String> response = query(stratus, "Action", "SendMessageBatch", "QueueUrl", url,
                "SendMessageBatchRequestEntry.1.Id", "ok", "SendMessageBatchRequestEntry.1.MessageBody", "first",
                "SendMessageBatchRequestEntry.2.Id", "late", "SendMessageBatchRequestEntry.2.MessageBody", "second",
                "SendMessageBatchRequestEntry.2.DelaySeconds", "901");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("<SendMessageBatchResultEntry><Id>ok</Id><MessageId>")
                .contains("<BatchResultErrorEntry><Id>late</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>");
    }

    @Test
    void errorsCarryTheQueryCodes(Stratus stratus) throws Exception {
        HttpResponse<String> missing = query(stratus, "Action", "GetQueueUrl", "QueueName", "nowhere");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body())
                .contains("<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">")
                .contains("<Type>Sender</Type>")
                .contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>")
                .contains("<Message>The specified queue does not exist.</Message>");

        query(stratus, "Action", "CreateQueue", "QueueName", "legacy-exists");
        HttpResponse<String> exists = query(stratus, "Action", "CreateQueue", "QueueName", "legacy-exists",
                "Attribute.1.Name", "DelaySeconds", "Attribute.1.Value", "5");
        assertThat(exists.statusCode()).isEqualTo(400);
        assertThat(exists.body()).contains("<Code>QueueAlreadyExists</Code>");

        String url = element(query(stratus, "Action", "GetQueueUrl", "QueueName", "legacy-exists").body(), "QueueUrl");
        HttpResponse<String> empty = query(stratus, "Action", "DeleteMessageBatch", "QueueUrl", url);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("<Code>AWS.SimpleQueueService.EmptyBatchRequest</Code>");

        HttpResponse<String> badHandle = query(stratus, "Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", "nope");
        assertThat(badHandle.statusCode()).isEqualTo(404);
        assertThat(badHandle.body()).contains("<Code>ReceiptHandleIsInvalid</Code>");

        HttpResponse<String> badValue = query(stratus, "Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", "11");
        assertThat(badValue.statusCode()).isEqualTo(400);
        assertThat(badValue.body()).contains("<Code>InvalidParameterValue</Code>");

        HttpResponse<String> unknownAttribute = query(stratus, "Action", "SetQueueAttributes", "QueueUrl", url,
                "Attribute.1.Name", "Colour", "Attribute.1.Value", "blue");
        assertThat(unknownAttribute.body()).contains("<Code>InvalidAttributeName</Code>");

        HttpResponse<String> missingLabel = query(stratus, "Action", "AddPermission", "QueueUrl", url);
        assertThat(missingLabel.statusCode()).isEqualTo(400);
        assertThat(missingLabel.body()).contains("<Code>MissingParameter</Code>");

        HttpResponse<String> unsupported = query(stratus, "Action", "DeleteTopic", "QueueUrl", url);
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(unsupported.body()).contains("<Code>InvalidAction</Code>");
    }

    @Test
    void permissionsOverQueryUseTheFlattenedNames(Stratus stratus) throws Exception {
        String url = element(query(stratus, "Action", "CreateQueue", "QueueName", "shared-legacy").body(), "QueueUrl");

        HttpResponse<String> added = query(stratus, "Action", "AddPermission", "QueueUrl", url, "Label", "partners",
                "AWSAccountId.1", "111122223333", "AWSAccountId.2", "444455556666", "ActionName.1", "SendMessage");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).contains("<AddPermissionResponse");

        assertThat(query(stratus, "Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "Policy").body())
                .contains("arn:aws:iam::111122223333:root").contains("arn:aws:iam::444455556666:root").contains("SQS:SendMessage");
        assertThat(query(stratus, "Action", "RemovePermission", "QueueUrl", url, "Label", "partners").statusCode()).isEqualTo(200);
    }

    @Test
    void jsonErrorsNameTheQueryCodeInTheirHeader(Stratus stratus) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS.GetQueueUrl")
                .POST(HttpRequest.BodyPublishers.ofString("{\"QueueName\":\"nowhere\"}"))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"QueueDoesNotExist\"");
        assertThat(response.headers().firstValue("x-amzn-query-error")).hasValue("AWS.SimpleQueueService.NonExistentQueue;Sender");
    }
}
