package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * HTTPS on the edge's port, and {@code aws:SecureTransport}: what CDK's {@code enforceSSL: true}
 * writes into a bucket's or queue's policy (deny everything not sent over TLS) refuses plain HTTP,
 * the owner's requests too, lets HTTPS through, and never stops AWS's own deliveries, which go
 * over TLS on AWS.
 */
@StratusTest
class SecureTransportIT {

    /** The statement CDK adds for {@code enforceSSL: true}. */
    private static String denyInsecure(String action, String resource) {
        return "{\"Sid\":\"enforce-ssl\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"" + action + "\","
                + "\"Resource\":" + resource + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
    }

    @Test
    void aBucketThatEnforcesTlsRefusesPlainHttpAndServesHttps(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("tls-only"));
        s3.putBucketPolicy(b -> b.bucket("tls-only").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + denyInsecure("s3:*", "[\"arn:aws:s3:::tls-only\",\"arn:aws:s3:::tls-only/*\"]") + "]}"));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("tls-only").key("plain"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });

        S3Client https = stratus.httpsClient(S3Client.builder());
        https.putObject(b -> b.bucket("tls-only").key("secure"), RequestBody.fromString("over TLS"));
        assertThat(https.getObjectAsBytes(b -> b.bucket("tls-only").key("secure")).asUtf8String()).isEqualTo("over TLS");
        assertThat(https.listObjectsV2(b -> b.bucket("tls-only")).contents()).hasSize(1);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("tls-only").key("secure"))).isInstanceOf(S3Exception.class);
    }

    @Test
    void aMinimumTlsVersionIsTheTlsVersionKey(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("tls-13"));
        s3.putObject(b -> b.bucket("tls-13").key("doc"), RequestBody.fromString("d"));
        // The statement CDK adds for minimumTLSVersion: 1.3.
        s3.putBucketPolicy(b -> b.bucket("tls-13").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::tls-13\",\"arn:aws:s3:::tls-13/*\"],"
                + "\"Condition\":{\"NumericLessThan\":{\"s3:TlsVersion\":\"1.3\"}}}]}"));
        URI object = URI.create("https://localhost:" + stratus.port() + "/tls-13/doc");

        assertThat(getOver(stratus, "TLSv1.3", object).statusCode()).isEqualTo(200);
        HttpResponse<String> old = getOver(stratus, "TLSv1.2", object);
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(old.body()).contains("<Code>AccessDenied</Code>");
        // Plain HTTP has no TLS version, which a NumericLessThan does not match (hence CDK's enforceSSL beside it).
        assertThat(s3.getObjectAsBytes(b -> b.bucket("tls-13").key("doc")).asUtf8String()).isEqualTo("d");
    }

    /** An unsigned GET (as the bucket's own account, 000000000000, with --auth none) over the given TLS protocol alone. */
    private static HttpResponse<String> getOver(Stratus stratus, String protocol, URI uri) throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        try (HttpClient client = HttpClient.newBuilder().sslContext(stratus.sslContext()).sslParameters(parameters).build()) {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aQueueThatEnforcesTlsStillGetsTheBucketsEvents(S3Client s3, SqsClient sqs, Stratus stratus) {
        String url = sqs.createQueue(b -> b.queueName("tls-events")).queueUrl();
        String queueArn = "arn:aws:sqs:us-east-1:000000000000:tls-events";
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sqs:SendMessage\","
                + "\"Resource\":\"" + queueArn + "\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::tls-uploads\"}}},"
                + denyInsecure("sqs:*", "\"" + queueArn + "\"") + "]}")));
        s3.createBucket(b -> b.bucket("tls-uploads"));
        // S3 checks that it may deliver to the queue: as a service, over TLS, which the deny does not touch.
        s3.putBucketNotificationConfiguration(b -> b.bucket("tls-uploads").notificationConfiguration(n -> n.queueConfigurations(q -> q
                .queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));

        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("plain"))).isInstanceOfSatisfying(SqsException.class,
                e -> assertThat(e.statusCode()).isEqualTo(403));

        s3.putObject(b -> b.bucket("tls-uploads").key("report.csv"), RequestBody.fromString("a,b"));
        SqsClient https = stratus.httpsClient(SqsClient.builder());
        List<String> bodies = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bodies.stream().noneMatch(body -> body.contains("report.csv")) && System.nanoTime() < deadline) {
            https.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().stream().map(Message::body)
                    .forEach(bodies::add);
        }
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("ObjectCreated:Put").contains("report.csv"));
    }

    @Test
    void aBrokenHandshakeClosesOnlyItsOwnConnection(Stratus stratus) throws Exception {
        stratus.server().tls();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", stratus.port())) {
            socket.setSoTimeout(10_000);
            // A TLS record header (handshake, TLS 1.0) followed by what no handshake is.
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x08, 'n', 'o', 't', ' ', 't', 'l', 's', '!'});
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            // The server answers with a TLS alert at most, then closes.
            while (in.read() >= 0) {
                // drain
            }
        }
        try (RawHttp http = new RawHttp(stratus.port())) {
            assertThat(http.send("GET /_stratus/health HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theAuthorityClientsTrustIsKeptInTheDataDirectory(Stratus stratus) throws Exception {
        Path caFile = stratus.server().config().dataDir().resolve("tls").resolve("ca.pem");
        assertThat(Files.readString(caFile)).startsWith("-----BEGIN CERTIFICATE-----");
        java.security.cert.X509Certificate authority = stratus.server().tls().authority();
        // Made once: the same authority after a restart, so what clients were told to trust stays trusted.
        stratus.restart();
        assertThat(stratus.server().tls().authority()).isEqualTo(authority);
        stratus.server().tls().server().verify(authority.getPublicKey());
        assertThat(stratus.httpsClient(SqsClient.builder()).listQueues().queueUrls()).isNotNull();
    }
}
