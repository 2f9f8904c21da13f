package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import io.stratus.protocol.auth.SigV4Signer;
import io.stratus.protocol.auth.SignableRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/** With {@code --auth sigv4}, signatures are verified. */
@StratusTest(auth = StratusConfig.Auth.SIGV4)
class SigV4IT {

    @Test
    void correctlySignedRequestsPass(StsClient sts) {
        assertThat(sts.getCallerIdentity().account()).isEqualTo("000000000000");
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch(Stratus stratus) {
        try (StsClient sts = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "not-the-secret")))
                .build()) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            });
        }
    }

    @Test
    void issuedCredentialsVerifyAgainstTheirOwnSecret(Stratus stratus, StsClient sts) {
        Credentials credentials = sts.getSessionToken().credentials();
        try (StsClient session = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            assertThat(session.getCallerIdentity().account()).isEqualTo("000000000000");
        }
    }

    @Test
    void bodyThatDoesNotMatchItsSignedHashIsRefused(Stratus stratus) throws Exception {
        String signedBody = "Action=GetCallerIdentity&Version=2011-06-15";
        String sentBody = "Action=GetCallerIdentity&Version=2011-06-15&Extra=1";
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(signedBody.getBytes(StandardCharsets.UTF_8)));
        SignableRequest.Snapshot signed = new SigV4Signer("test", "test", Optional.empty()).sign(
                SignableRequest.Snapshot.of("POST", "/", "")
                        .withHeader("host", "127.0.0.1:" + stratus.port())
                        .withHeader("content-type", "application/x-www-form-urlencoded")
                        .withHeader("x-amz-content-sha256", bodyHash),
                "us-east-1", "sts", Instant.now(), bodyHash);

        try (RawHttp raw = new RawHttp(stratus.port())) {
            StringBuilder request = new StringBuilder("POST / HTTP/1.1\r\n");
            signed.headers().forEach((name, values) -> values.forEach(value -> request.append(name).append(": ").append(value).append("\r\n")));
            request.append("Content-Length: ").append(sentBody.length()).append("\r\n\r\n").append(sentBody);
            String response = raw.send(request.toString()).readResponse();

            assertThat(response).startsWith("HTTP/1.1 400").contains("<Code>XAmzContentSHA256Mismatch</Code>");
        }
    }

    @Test
    void presignedUrlWorksUntilItExpires(Stratus stratus) throws Exception {
        SignableRequest.Snapshot presigned = new SigV4Signer("test", "test", Optional.empty()).presign(
                SignableRequest.Snapshot.of("GET", "/", "Action=GetCallerIdentity&Version=2011-06-15")
                        .withHeader("host", "127.0.0.1:" + stratus.port()),
                "us-east-1", "sts", Instant.now(), Duration.ofSeconds(60),
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        URI url = URI.create(stratus.endpoint() + "/?" + presigned.rawQuery());

        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        stratus.clock().advance(Duration.ofMinutes(2));
        try {
            HttpResponse<String> expired = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(expired.statusCode()).isEqualTo(403);
            assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
        } finally {
            stratus.clock().reset();
        }
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken(Stratus stratus) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void s3TakesAnAnonymousRequestAndAnswersSignatureVersionTwoUnsupported(Stratus stratus) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // Anonymous, as on S3 (see AnonymousS3IT): here about a bucket that does not exist.
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/some-bucket/some-key")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(404);
        assertThat(anonymous.body()).contains("<Code>NoSuchBucket</Code>");

        // What boto3 presigns for a custom endpoint unless told to use s3v4.
        HttpResponse<String> sigV2 = http.send(HttpRequest.newBuilder(URI.create(stratus.endpoint()
                + "/some-bucket/some-key?AWSAccessKeyId=AKIDEXAMPLE&Signature=c2lnbmF0dXJl&Expires=4102444800")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sigV2.statusCode()).isEqualTo(400);
        assertThat(sigV2.body()).contains("<Code>InvalidRequest</Code>")
                .contains("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
    }

    @Test
    void s3RequiresAPayloadHashItKnows(Stratus stratus) throws Exception {
        String emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        SigV4Signer signer = new SigV4Signer("test", "test", Optional.empty());
        // The signer adds the header S3 needs: the request goes without it.
        SignableRequest.Snapshot withHeader = signer.sign(SignableRequest.Snapshot.of("GET", "/no-bucket-here/k", "")
                .withHeader("host", "127.0.0.1:" + stratus.port()), "us-east-1", "s3", Instant.now(), emptyHash);
        SignableRequest.Snapshot withGarbage = signer.sign(SignableRequest.Snapshot.of("GET", "/no-bucket-here/k", "")
                .withHeader("host", "127.0.0.1:" + stratus.port()).withHeader("x-amz-content-sha256", "garbage"),
                "us-east-1", "s3", Instant.now(), "garbage");

        try (RawHttp raw = new RawHttp(stratus.port())) {
            assertThat(raw.send(get("/no-bucket-here/k", withHeader).replaceAll("(?im)^x-amz-content-sha256: .*\r\n", "")).readResponse())
                    .startsWith("HTTP/1.1 400")
                    .contains("<Code>InvalidRequest</Code>").contains("Missing required header for this request: x-amz-content-sha256");
            assertThat(raw.send(get("/no-bucket-here/k", withGarbage)).readResponse()).startsWith("HTTP/1.1 400")
                    .contains("<Code>InvalidArgument</Code>")
                    .contains("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                            + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                            + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
                    .contains("<ArgumentName>x-amz-content-sha256</ArgumentName>").contains("<ArgumentValue>garbage</ArgumentValue>");
        }
    }

    /** A header-signed S3 request with an x-amz-* header outside its SignedHeaders is refused, naming the header. */
    @Test
    void s3RefusesHeadersTheSignatureDoesNotCover(Stratus stratus) throws Exception {
        String emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        SignableRequest.Snapshot signed = new SigV4Signer("test", "test", Optional.empty()).sign(SignableRequest.Snapshot.of("GET", "/no-bucket-here/k", "")
                .withHeader("host", "127.0.0.1:" + stratus.port()), "us-east-1", "s3", Instant.now(), emptyHash);

        String request = get("/no-bucket-here/k", signed);
        try (RawHttp raw = new RawHttp(stratus.port())) {
            assertThat(raw.send(request.substring(0, request.length() - 2) + "x-amz-request-payer: requester\r\n\r\n").readResponse())
                    .startsWith("HTTP/1.1 403")
                    .contains("<Code>AccessDenied</Code>").contains("There were headers present in the request which were not signed")
                    .contains("<HeadersNotSigned>x-amz-request-payer</HeadersNotSigned>");
        }
        // The same request as signed goes on (to the bucket it names, which is not there).
        try (RawHttp raw = new RawHttp(stratus.port())) {
            assertThat(raw.send(request).readResponse()).startsWith("HTTP/1.1 404");
        }
    }

    private static String get(String path, SignableRequest.Snapshot signed) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        signed.headers().forEach((name, values) -> values.forEach(value -> request.append(name).append(": ").append(value).append("\r\n")));
        return request.append("\r\n").toString();
    }
}
