package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.InvalidObjectStateException;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Objects in an archive storage class ({@code GLACIER}, {@code DEEP_ARCHIVE}): HeadObject works,
 * GetObject and copies from them are {@code InvalidObjectState} until RestoreObject restores a
 * copy, which is readable until its expiry ({@code x-amz-restore}). Stratus restores at once.
 */
@StratusTest
class ArchivedObjectIT {

    private static final String BUCKET = "archives";

    private static void archive(S3Client s3, String key, StorageClass storageClass) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key(key).storageClass(storageClass), RequestBody.fromString("cold bytes"));
    }

    private static RestoreObjectResponse restore(S3Client s3, String key, int days) {
        return s3.restoreObject(b -> b.bucket(BUCKET).key(key).restoreRequest(r -> r.days(days).glacierJobParameters(g -> g.tier(Tier.STANDARD))));
    }

    @Test
    void anArchivedObjectCannotBeReadOrCopiedUntilRestored(S3Client s3) {
        archive(s3, "frozen", StorageClass.GLACIER);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("frozen")).storageClass()).isEqualTo(StorageClass.GLACIER);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("frozen")).restore()).isNull();
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("frozen")))
                .isInstanceOfSatisfying(InvalidObjectStateException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.storageClass()).isEqualTo(StorageClass.GLACIER);
                });
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("frozen").destinationBucket(BUCKET).destinationKey("thawed")),
                403, "InvalidObjectState");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("parts")).uploadId();
        assertS3Error(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("frozen").destinationBucket(BUCKET).destinationKey("parts")
                .uploadId(uploadId).partNumber(1)), 403, "InvalidObjectState");

        archive(s3, "deep", StorageClass.DEEP_ARCHIVE);
        assertS3Error(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("deep")), 403, "InvalidObjectState");
        // Glacier Instant Retrieval is read like any other class.
        archive(s3, "instant", StorageClass.GLACIER_IR);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("instant")).asUtf8String()).isEqualTo("cold bytes");
    }

    @Test
    void aRestoredCopyIsReadableUntilItExpires(Stratus stratus, S3Client s3) {
        archive(s3, "restored", StorageClass.DEEP_ARCHIVE);
        Instant before = Instant.now();
        assertThat(restore(s3, "restored", 2).sdkHttpResponse().statusCode()).isEqualTo(202);

        // Two days from now, rounded up to midnight UTC.
        Instant expiry = before.plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        String expected = "ongoing-request=\"false\", expiry-date=\""
                + DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).format(ZonedDateTime.ofInstant(expiry, ZoneOffset.UTC))
                + "\"";
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("restored")).restore()).isEqualTo(expected);
        var read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("restored"));
        assertThat(read.asUtf8String()).isEqualTo("cold bytes");
        assertThat(read.response().restore()).isEqualTo(expected);
        assertThat(read.response().storageClass()).isEqualTo(StorageClass.DEEP_ARCHIVE);
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("restored").destinationBucket(BUCKET).destinationKey("warm"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("warm")).asUtf8String()).isEqualTo("cold bytes");

        // Restoring a restored object again moves its expiry, and answers 200.
        assertThat(restore(s3, "restored", 1).sdkHttpResponse().statusCode()).isEqualTo(200);
        try {
            stratus.clock().advance(Duration.ofDays(3));
            assertThat(s3.headObject(b -> b.bucket(BUCKET).key("restored")).restore()).isNull();
            assertS3Error(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("restored")), 403, "InvalidObjectState");
            assertThat(restore(s3, "restored", 1).sdkHttpResponse().statusCode()).isEqualTo(202);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("restored")).asUtf8String()).isEqualTo("cold bytes");
        } finally {
            stratus.clock().reset();
        }
    }

    @Test
    void onlyArchivedObjectsAreRestored(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("standard"), RequestBody.fromString("warm"));
        assertThatThrownBy(() -> restore(s3, "standard", 1)).isInstanceOfSatisfying(InvalidObjectStateException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Restore is not allowed for the object's current storage class");
        });
        assertS3Error(() -> restore(s3, "missing", 1), 404, "NoSuchKey");

        archive(s3, "selected", StorageClass.GLACIER);
        HttpResponse<String> select = S3Assertions.send(stratus, "POST", "/" + BUCKET + "/selected?restore");
        assertThat(select.statusCode()).isEqualTo(400);
        assertThat(select.body()).contains("<Code>MalformedXML</Code>");
        assertS3Error(() -> s3.restoreObject(b -> b.bucket(BUCKET).key("selected").restoreRequest(r -> r.type("SELECT")
                .selectParameters(p -> p.expression("select * from s3object").expressionType("SQL")
                        .inputSerialization(i -> i.csv(c -> c.fileHeaderInfo("USE"))).outputSerialization(o -> o.csv(c -> c.fieldDelimiter(",")))))),
                501, "NotImplemented");
    }
}
