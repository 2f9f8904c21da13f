package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * The few SQS calls the benchmark makes, as the AWS SDK for Java v2 puts them on the wire
 * (awsJson1_0: {@code X-Amz-Target}, a SigV4 header, a JSON body) but sent through the Apache
 * HttpClient the bare-HTTP baseline uses. So every server gets the same bytes from the same client,
 * and the client's own cost (no signing, no checksum checks) is the same small amount for all of them.
 * Thread-safe.
 */
final class SqsJsonClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ContentType AWS_JSON = ContentType.create("application/x-amz-json-1.0");
    // Neither ElasticMQ nor Stratus (without --auth sigv4) checks the signature; the header routes the call.
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64);

    /** A received message: what a consumer reads and what it deletes by. */
    record Received(String body, String receiptHandle) {}

    private final CloseableHttpClient http;
    private final URI endpoint;

    SqsJsonClient(CloseableHttpClient http, URI endpoint) {
        this.http = requireNonNull(http, "http is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
    }

    String createQueue(String name) throws IOException {
        return call("CreateQueue", Map.of("QueueName", name)).path("QueueUrl").asText();
    }

    void send(String queueUrl, String body) throws IOException {
        call("SendMessage", Map.of("QueueUrl", queueUrl, "MessageBody", body));
    }

    /** At most one message, waiting up to {@code waitSeconds} for one to arrive. */
    Optional<Received> receive(String queueUrl, int waitSeconds) throws IOException {
        JsonNode messages = call("ReceiveMessage", Map.of("QueueUrl", queueUrl, "MaxNumberOfMessages", 1, "WaitTimeSeconds", waitSeconds))
                .path("Messages");
        if (messages.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Received(messages.get(0).path("Body").asText(), messages.get(0).path("ReceiptHandle").asText()));
    }

    void delete(String queueUrl, String receiptHandle) throws IOException {
        call("DeleteMessage", Map.of("QueueUrl", queueUrl, "ReceiptHandle", receiptHandle));
    }

    private JsonNode call(String operation, Map<String, Object> input) throws IOException {
        HttpPost post = new HttpPost(endpoint);
        post.setHeader("X-Amz-Target", "AmazonSQS." + operation);
        post.setHeader("X-Amz-Date", "20250101T000000Z");
        post.setHeader("Authorization", AUTHORIZATION);
        post.setHeader("x-amzn-query-mode", "true");
        post.setEntity(new ByteArrayEntity(MAPPER.writeValueAsBytes(input), AWS_JSON));
        try (CloseableHttpResponse response = http.execute(post)) {
            byte[] body = EntityUtils.toByteArray(response.getEntity());
            if (response.getStatusLine().getStatusCode() != 200) {
                throw new IOException(operation + ": " + response.getStatusLine() + " " + new String(body, StandardCharsets.UTF_8));
            }
            return body.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        }
    }
}
