package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads of a key whose current version is a delete marker, and of a marker by its version id,
 * answer with {@code x-amz-delete-marker: true} and the marker's {@code x-amz-version-id}, as S3
 * does (clients such as the SDK's {@code NoSuchKeyException} handlers and sync tools read them).
 */
@StratusTest
class DeleteMarkerHeadersIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String versionedKeyWithMarker(S3Client s3, String bucket) {
        s3.createBucket(r -> r.bucket(bucket));
        s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("v1"));
        return s3.deleteObject(r -> r.bucket(bucket).key("k")).versionId();
    }

    private static HttpResponse<String> send(Stratus stratus, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(stratus.endpoint().resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readsOfADeletedKeySayItIsADeleteMarker(Stratus stratus, S3Client s3) throws Exception {
        String marker = versionedKeyWithMarker(s3, "marker-headers");
        for (String method : new String[] {"GET", "HEAD"}) {
            HttpResponse<String> response = send(stratus, method, "/marker-headers/k");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("x-amz-delete-marker")).hasValue("true");
            assertThat(response.headers().firstValue("x-amz-version-id")).hasValue(marker);
        }
        assertThat(send(stratus, "GET", "/marker-headers/k").body()).contains("<Code>NoSuchKey</Code>");
        assertThatThrownBy(() -> s3.getObject(r -> r.bucket("marker-headers").key("k")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker")).hasValue("true");
                    assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-version-id")).hasValue(marker);
                });
    }

    @Test
    void readsOfAMarkerByVersionIdAreMethodNotAllowed(Stratus stratus, S3Client s3) throws Exception {
        String marker = versionedKeyWithMarker(s3, "marker-by-id");
        for (String method : new String[] {"GET", "HEAD"}) {
            HttpResponse<String> response = send(stratus, method, "/marker-by-id/k?versionId=" + marker);
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("x-amz-delete-marker")).hasValue("true");
            assertThat(response.headers().firstValue("x-amz-version-id")).hasValue(marker);
            assertThat(response.headers().firstValue("Last-Modified")).isPresent();
            assertThat(response.headers().firstValue("Allow")).hasValue("DELETE");
        }
        assertThat(send(stratus, "GET", "/marker-by-id/k?versionId=" + marker).body())
                .contains("<Code>MethodNotAllowed</Code>").contains("<Method>GET</Method><ResourceType>DeleteMarker</ResourceType>");
    }

    /** Tagging a delete marker by its version id, reading its tags included, is 405 as reading it is. */
    @Test
    void aMarkersTagsAreMethodNotAllowed(Stratus stratus, S3Client s3) throws Exception {
        String marker = versionedKeyWithMarker(s3, "marker-tags");
        assertS3Error(() -> s3.getObjectTagging(r -> r.bucket("marker-tags").key("k").versionId(marker)), 405, "MethodNotAllowed");
        assertS3Error(() -> s3.putObjectTagging(r -> r.bucket("marker-tags").key("k").versionId(marker)
                .tagging(t -> t.tagSet(tag -> tag.key("a").value("1")))), 405, "MethodNotAllowed");
        assertS3Error(() -> s3.deleteObjectTagging(r -> r.bucket("marker-tags").key("k").versionId(marker)), 405, "MethodNotAllowed");

        HttpResponse<String> get = send(stratus, "GET", "/marker-tags/k?tagging&versionId=" + marker);
        assertThat(get.body()).contains("<Method>GET</Method><ResourceType>DeleteMarker</ResourceType>");
        assertThat(get.headers().firstValue("Allow")).hasValue("DELETE");
        assertThat(send(stratus, "DELETE", "/marker-tags/k?tagging&versionId=" + marker).body()).contains("<Method>DELETE</Method>");
    }

    @Test
    void keysThatNeverExistedCarryNoMarkerHeaders(Stratus stratus, S3Client s3) throws Exception {
        versionedKeyWithMarker(s3, "marker-none");
        HttpResponse<String> response = send(stratus, "GET", "/marker-none/never");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amz-delete-marker")).isEmpty();
        // The object's older version is still readable by id.
        String old = s3.listObjectVersions(r -> r.bucket("marker-none")).versions().getFirst().versionId();
        assertThat(s3.getObjectAsBytes(r -> r.bucket("marker-none").key("k").versionId(old)).asUtf8String()).isEqualTo("v1");
    }

    /** A marker written on the 5th of a month: its 405's {@code Last-Modified} is an IMF-fixdate with a two-digit day, as every HTTP date. */
    @Test
    void aMarkersLastModifiedIsAPaddedHttpDate(Stratus stratus, S3Client s3) throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        stratus.clock().advance(Duration.between(now, now.withDayOfMonth(1).plusMonths(1).plusDays(4)));
        try {
            String marker = versionedKeyWithMarker(s3, "marker-date");
            Instant modified = s3.listObjectVersions(r -> r.bucket("marker-date")).deleteMarkers().getFirst().lastModified();

            HttpResponse<String> response = send(stratus, "GET", "/marker-date/k?versionId=" + marker);
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Last-Modified"))
                    .hasValue(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).format(modified.atZone(ZoneOffset.UTC)));
        } finally {
            stratus.clock().reset();
        }
    }
}
