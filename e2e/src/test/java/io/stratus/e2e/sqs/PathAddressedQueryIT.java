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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Query requests sent to a queue's URL address that queue, without a QueueUrl parameter. */
@StratusTest
class PathAddressedQueryIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String url, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Version=2012-11-05&" + form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theQueueUrlIsTheAddress(Stratus stratus, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("addressed")).queueUrl();

        HttpResponse<String> sent = post(url, "Action=SendMessage&MessageBody=" + URLEncoder.encode("by path", StandardCharsets.UTF_8));
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body()).contains("<SendMessageResult>");

        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).singleElement()
                .satisfies(m -> assertThat(m.body()).isEqualTo("by path"));

        HttpResponse<String> missing = post(stratus.endpoint() + "/000000000000/nowhere", "Action=GetQueueAttributes&AttributeName.1=All");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
    }
}
