package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * S3 Object Lock through the SDK: a bucket made with it (versioning on for good), retentions and
 * legal holds on versions, what they keep from being deleted and who may lift a GOVERNANCE one, a
 * bucket's default retention, the errors S3 answers, and all of it after a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class ObjectLockIT {

    private static final Instant TOMORROW = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

    private static String put(S3Client s3, String bucket, String key, ObjectLockMode mode, Instant until) {
        return s3.putObject(b -> b.bucket(bucket).key(key).objectLockMode(mode).objectLockRetainUntilDate(until), RequestBody.fromString(key))
                .versionId();
    }

    @Test
    void aBucketWithoutObjectLockRefusesLocks(S3Client s3) {
        s3.createBucket(b -> b.bucket("plain-bucket"));

        assertS3Error(() -> s3.getObjectLockConfiguration(b -> b.bucket("plain-bucket")), 404, "ObjectLockConfigurationNotFoundError");
        assertS3Error(() -> put(s3, "plain-bucket", "k", ObjectLockMode.GOVERNANCE, TOMORROW), 400, "InvalidRequest");
        s3.putObject(b -> b.bucket("plain-bucket").key("k"), RequestBody.fromString("x"));
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("plain-bucket").key("k")
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(TOMORROW))), 400, "InvalidRequest");
        // Object Lock needs versioning; once it is on, a configuration turns Object Lock on.
        assertS3Error(() -> s3.putObjectLockConfiguration(b -> b.bucket("plain-bucket")
                .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED))), 409, "InvalidBucketState");
        s3.putBucketVersioning(b -> b.bucket("plain-bucket").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putObjectLockConfiguration(b -> b.bucket("plain-bucket").objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).years(1)))));
        assertThat(s3.getObjectLockConfiguration(b -> b.bucket("plain-bucket")).objectLockConfiguration().objectLockEnabled())
                .isEqualTo(ObjectLockEnabled.ENABLED);
        // From then on the default applies to new versions; the older ones keep none.
        s3.putObject(b -> b.bucket("plain-bucket").key("k"), RequestBody.fromString("y"));
        assertThat(s3.headObject(b -> b.bucket("plain-bucket").key("k")).objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
        assertThat(s3.listObjectVersions(b -> b.bucket("plain-bucket")).versions()).hasSize(2);
        assertS3Error(() -> s3.putBucketVersioning(b -> b.bucket("plain-bucket")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED))), 409, "InvalidBucketState");
    }

    @Test
    void retentionsAndLegalHoldsKeepVersionsAndSurviveARestart(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("vault").objectLockEnabledForBucket(true));
        assertThat(s3.getBucketVersioning(b -> b.bucket("vault")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        String governed = put(s3, "vault", "governed", ObjectLockMode.GOVERNANCE, TOMORROW);
        String complied = put(s3, "vault", "complied", ObjectLockMode.COMPLIANCE, TOMORROW);
        String held = s3.putObject(b -> b.bucket("vault").key("held").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                RequestBody.fromString("h")).versionId();

        HeadObjectResponse head = s3.headObject(b -> b.bucket("vault").key("governed"));
        assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
        assertThat(head.objectLockRetainUntilDate()).isEqualTo(TOMORROW);
        assertThat(s3.getObjectRetention(b -> b.bucket("vault").key("complied")).retention().mode()).isEqualTo(ObjectLockRetentionMode.COMPLIANCE);
        assertThat(s3.getObjectLegalHold(b -> b.bucket("vault").key("held")).legalHold().status()).isEqualTo(ObjectLockLegalHoldStatus.ON);
        assertS3Error(() -> s3.getObjectLegalHold(b -> b.bucket("vault").key("governed")), 404, "NoSuchObjectLockConfiguration");
        assertS3Error(() -> s3.getObjectRetention(b -> b.bucket("vault").key("held")), 404, "NoSuchObjectLockConfiguration");

        stratus.restart();

        // A delete without a version adds a delete marker, as ever; the locked version itself stays.
        assertThat(s3.deleteObject(b -> b.bucket("vault").key("governed")).deleteMarker()).isTrue();
        assertS3Error(() -> s3.deleteObject(b -> b.bucket("vault").key("governed").versionId(governed)), 403, "AccessDenied");
        assertS3Error(() -> s3.deleteObject(b -> b.bucket("vault").key("complied").versionId(complied).bypassGovernanceRetention(true)),
                403, "AccessDenied");
        assertS3Error(() -> s3.deleteObject(b -> b.bucket("vault").key("held").versionId(held).bypassGovernanceRetention(true)),
                403, "AccessDenied");
        DeleteObjectsResponse batch = s3.deleteObjects(b -> b.bucket("vault").delete(d -> d.objects(o -> o.key("complied").versionId(complied))));
        assertThat(batch.errors()).extracting(S3Error::key, S3Error::code).containsExactly(tuple("complied", "AccessDenied"));

        // Retentions only grow, unless a GOVERNANCE one is bypassed; a COMPLIANCE one never shrinks or turns GOVERNANCE.
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("vault").key("complied").versionId(complied)
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(TOMORROW.minusSeconds(3600)))), 403, "AccessDenied");
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("vault").key("complied").versionId(complied).bypassGovernanceRetention(true)
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(TOMORROW))), 403, "AccessDenied");
        s3.putObjectRetention(b -> b.bucket("vault").key("complied").versionId(complied)
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(TOMORROW.plusSeconds(3600))));
        assertThat(s3.getObjectRetention(b -> b.bucket("vault").key("complied")).retention().retainUntilDate()).isEqualTo(TOMORROW.plusSeconds(3600));
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("vault").key("governed").versionId(governed)
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(TOMORROW.minusSeconds(3600)))), 403, "AccessDenied");

        // GOVERNANCE gives way to the bypass; a legal hold to nothing but being lifted.
        s3.deleteObject(b -> b.bucket("vault").key("governed").versionId(governed).bypassGovernanceRetention(true));
        s3.putObjectLegalHold(b -> b.bucket("vault").key("held").versionId(held).legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        assertThat(s3.getObjectLegalHold(b -> b.bucket("vault").key("held")).legalHold().status()).isEqualTo(ObjectLockLegalHoldStatus.OFF);
        s3.deleteObject(b -> b.bucket("vault").key("held").versionId(held));
        assertThat(s3.listObjectVersions(b -> b.bucket("vault")).versions()).extracting(v -> v.key()).containsExactly("complied");
    }

    @Test
    void aDefaultRetentionLocksEveryNewVersion(S3Client s3) {
        s3.createBucket(b -> b.bucket("defaulted").objectLockEnabledForBucket(true));
        s3.putObjectLockConfiguration(b -> b.bucket("defaulted").objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(2)))));
        assertThat(s3.getObjectLockConfiguration(b -> b.bucket("defaulted")).objectLockConfiguration().rule().defaultRetention().days())
                .isEqualTo(2);

        String plain = s3.putObject(b -> b.bucket("defaulted").key("plain"), RequestBody.fromString("p")).versionId();
        HeadObjectResponse head = s3.headObject(b -> b.bucket("defaulted").key("plain"));
        assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
        assertThat(head.objectLockRetainUntilDate()).isBetween(Instant.now().plus(Duration.ofDays(2)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(2)));
        assertS3Error(() -> s3.deleteObject(b -> b.bucket("defaulted").key("plain").versionId(plain)), 403, "AccessDenied");

        // A multipart upload's object gets the default when it is completed, or the lock its creation asked for.
        String upload = s3.createMultipartUpload(b -> b.bucket("defaulted").key("big").objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(TOMORROW)).uploadId();
        String etag = s3.uploadPart(b -> b.bucket("defaulted").key("big").uploadId(upload).partNumber(1), RequestBody.fromString("b")).eTag();
        s3.completeMultipartUpload(b -> b.bucket("defaulted").key("big").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertThat(s3.headObject(b -> b.bucket("defaulted").key("big")).objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
        // So does a copy.
        s3.copyObject(b -> b.sourceBucket("defaulted").sourceKey("plain").destinationBucket("defaulted").destinationKey("copy"));
        assertThat(s3.headObject(b -> b.bucket("defaulted").key("copy")).objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    }

    @Test
    void bypassingGovernanceIsAnActionOfItsOwn(S3Client s3) {
        s3.createBucket(b -> b.bucket("no-bypass").objectLockEnabledForBucket(true));
        String version = put(s3, "no-bypass", "k", ObjectLockMode.GOVERNANCE, TOMORROW);
        s3.putBucketPolicy(b -> b.bucket("no-bypass").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:BypassGovernanceRetention\",\"Resource\":\"arn:aws:s3:::no-bypass/*\"}]}"));

        assertS3Error(() -> s3.deleteObject(b -> b.bucket("no-bypass").key("k").versionId(version).bypassGovernanceRetention(true)),
                403, "AccessDenied");
        assertThat(s3.deleteObjects(b -> b.bucket("no-bypass").bypassGovernanceRetention(true)
                .delete(d -> d.objects(o -> o.key("k").versionId(version)))).errors()).extracting(S3Error::code).containsExactly("AccessDenied");
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("no-bypass").key("k").bypassGovernanceRetention(true)
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(TOMORROW.minusSeconds(60)))), 403, "AccessDenied");
        s3.deleteBucketPolicy(b -> b.bucket("no-bypass"));
        s3.deleteObject(b -> b.bucket("no-bypass").key("k").versionId(version).bypassGovernanceRetention(true));
    }

    @Test
    void theLockARequestAsksForIsAConditionKey(S3Client s3) {
        s3.createBucket(b -> b.bucket("capped-vault").objectLockEnabledForBucket(true));
        s3.putBucketPolicy(b -> b.bucket("capped-vault").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::capped-vault/*\","
                + "\"Condition\":{\"NumericGreaterThan\":{\"s3:object-lock-remaining-retention-days\":\"30\"}}},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObjectRetention\",\"Resource\":\"arn:aws:s3:::capped-vault/*\","
                + "\"Condition\":{\"StringEquals\":{\"s3:object-lock-mode\":\"COMPLIANCE\"}}}]}"));

        assertS3Error(() -> put(s3, "capped-vault", "long", ObjectLockMode.GOVERNANCE, Instant.now().plus(Duration.ofDays(60))), 403, "AccessDenied");
        put(s3, "capped-vault", "short", ObjectLockMode.GOVERNANCE, Instant.now().plus(Duration.ofDays(10)));
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("capped-vault").key("short")
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(TOMORROW.plus(Duration.ofDays(20))))), 403, "AccessDenied");
        s3.putObjectRetention(b -> b.bucket("capped-vault").key("short")
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(TOMORROW.plus(Duration.ofDays(20)))));
    }

    @Test
    void malformedLocksAreRefused(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("strict-vault").objectLockEnabledForBucket(true));
        assertS3Error(() -> s3.putObject(b -> b.bucket("strict-vault").key("mode").objectLockMode("FOREVER").objectLockRetainUntilDate(TOMORROW),
                RequestBody.fromString("x")), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObject(b -> b.bucket("strict-vault").key("hold").objectLockLegalHoldStatus("MAYBE"),
                RequestBody.fromString("x")), 400, "InvalidArgument");
        // Lock headers need a Content-MD5 or a checksum, which the SDKs send; a bare request has neither.
        try (io.stratus.e2e.RawHttp http = new io.stratus.e2e.RawHttp(stratus.port())) {
            String raw = http.send("PUT /strict-vault/bare HTTP/1.1\r\nHost: localhost\r\nx-amz-object-lock-legal-hold: ON\r\n"
                    + "Content-Length: 1\r\n\r\nx").readResponse();
            assertThat(raw).startsWith("HTTP/1.1 400").contains("<Code>InvalidRequest</Code>");
        }

        assertS3Error(() -> put(s3, "strict-vault", "past", ObjectLockMode.GOVERNANCE, Instant.now().minusSeconds(60)), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObject(b -> b.bucket("strict-vault").key("half").objectLockMode(ObjectLockMode.GOVERNANCE),
                RequestBody.fromString("x")), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObjectLockConfiguration(b -> b.bucket("strict-vault").objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED).rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .days(1).years(1))))), 400, "MalformedXML");
        assertS3Error(() -> s3.putObjectLockConfiguration(b -> b.bucket("strict-vault").objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED).rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .days(0))))), 400, "InvalidArgument");
        s3.putObject(b -> b.bucket("strict-vault").key("k"), RequestBody.fromString("x"));
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("strict-vault").key("k")
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(Instant.now().minusSeconds(60)))), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObjectLegalHold(b -> b.bucket("strict-vault").key("k").legalHold(h -> h.status("MAYBE"))), 400, "MalformedXML");
        assertS3Error(() -> s3.putObjectRetention(b -> b.bucket("strict-vault").key("missing")
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(TOMORROW))), 404, "NoSuchKey");
    }
}
