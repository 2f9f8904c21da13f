package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned GET and PUT URLs, with signatures verified, tampering refused and expiry enforced. */
@StratusTest(auth = io.stratus.core.StratusConfig.Auth.SIGV4)
class PresignedIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static S3Presigner presigner(Stratus stratus) {
        return S3Presigner.builder().endpointOverride(stratus.endpoint()).region(stratus.region()).credentialsProvider(stratus.credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    @Test
    void presignedPutThenGet(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("presigned"));
        try (S3Presigner presigner = presigner(stratus)) {
            URI put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("presigned").key("shared.txt"))).url().toURI();
            HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("via url")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).isEqualTo(200);

            URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket("presigned").key("shared.txt"))).url().toURI();
            HttpResponse<String> downloaded = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(downloaded.body()).isEqualTo("via url");

            URI tampered = URI.create(get.toString().replace("shared.txt", "other.txt"));
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        }
    }

    /** An x-amz-* header the URL's signature does not cover could have been added by anyone: S3 refuses it, naming it. */
    @Test
    void headersTheUrlDoesNotSignAreRefused(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("presigned-headers"));
        try (S3Presigner presigner = presigner(stratus)) {
            URI put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("presigned-headers").key("k"))).url().toURI();
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(put).header("x-amz-meta-owner", "mallory")
                    .header("X-Amz-Acl", "public-read").PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("<Code>AccessDenied</Code>")
                    .contains("<Message>There were headers present in the request which were not signed</Message>")
                    .contains("<HeadersNotSigned>x-amz-acl, x-amz-meta-owner</HeadersNotSigned>");
            assertThat(s3.listObjectsV2(b -> b.bucket("presigned-headers")).contents()).isEmpty();

            // Signed into the URL, the same header is taken; a payload hash the URL does not sign is too.
            URI signed = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("presigned-headers").key("k").metadata(java.util.Map.of("owner", "alice")))).url().toURI();
            HttpResponse<String> taken = HTTP.send(HttpRequest.newBuilder(signed).header("x-amz-meta-owner", "alice")
                    .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD").PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
            assertThat(s3.headObject(b -> b.bucket("presigned-headers").key("k")).metadata()).containsEntry("owner", "alice");
        }
    }

    @Test
    void expiredUrlsAreDenied(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("expiring"));
        try (S3Presigner presigner = presigner(stratus)) {
            URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(60))
                    .getObjectRequest(r -> r.bucket("expiring").key("k"))).url().toURI();
            stratus.clock().advance(Duration.ofMinutes(2));
            try {
                HttpResponse<String> expired = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(expired.statusCode()).isEqualTo(403);
                assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
            } finally {
                stratus.clock().reset();
            }
        }
    }
}
