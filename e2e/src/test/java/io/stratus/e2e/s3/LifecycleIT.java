package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.TransitionDefaultMinimumObjectSize;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lifecycle rules applied by the sweeper, which runs when the service starts: the tests move the
 * clock, then restart the server (durable store) to sweep at once.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LifecycleIT {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);

    /** Retries {@code check} for up to 10 s: the sweep runs on its own thread as the service starts. */
    private static void eventually(Runnable check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static List<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void expiredObjectsAndStaleUploadsGo(S3Client s3, Stratus stratus) {
        s3.createBucket(r -> r.bucket("expiring"));
        s3.putObject(r -> r.bucket("expiring").key("tmp/old.txt"), RequestBody.fromString("old"));
        s3.putObject(r -> r.bucket("expiring").key("keep/old.txt"), RequestBody.fromString("kept"));
        String upload = s3.createMultipartUpload(r -> r.bucket("expiring").key("tmp/big.bin")).uploadId();
        s3.putBucketLifecycleConfiguration(r -> r.bucket("expiring").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("tmp").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
                        .expiration(e -> e.days(1)).abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2)).build())));
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket("expiring")).rules()).extracting(LifecycleRule::id).containsExactly("tmp");

        stratus.restart();
        assertThat(keys(s3, "expiring")).as("not yet a day old").containsExactly("keep/old.txt", "tmp/old.txt");

        stratus.clock().advance(Duration.ofDays(2));
        stratus.restart();
        eventually(() -> assertThat(keys(s3, "expiring")).containsExactly("keep/old.txt"));
        assertThat(s3.listMultipartUploads(r -> r.bucket("expiring")).uploads()).as("begun under three days ago, counting to midnight").hasSize(1);

        stratus.clock().advance(Duration.ofDays(1));
        stratus.restart();
        eventually(() -> assertThat(s3.listMultipartUploads(r -> r.bucket("expiring")).uploads()).isEmpty());
        assertThatThrownBy(() -> s3.listParts(r -> r.bucket("expiring").key("tmp/big.bin").uploadId(upload)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
    }

    @Test
    void versionedBucketsGetMarkersThenLoseNoncurrentVersions(S3Client s3, Stratus stratus) {
        s3.createBucket(r -> r.bucket("versioned-expiring"));
        s3.putBucketVersioning(r -> r.bucket("versioned-expiring").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putObject(r -> r.bucket("versioned-expiring").key("doc"), RequestBody.fromString("v1"));
        s3.putBucketLifecycleConfiguration(r -> r.bucket("versioned-expiring").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("all").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .expiration(e -> e.days(1)).noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build())));

        stratus.clock().advance(Duration.ofDays(2));
        stratus.restart();
        eventually(() -> assertThat(s3.listObjectVersions(r -> r.bucket("versioned-expiring")).deleteMarkers())
                .as("expiry adds a delete marker").hasSize(1));
        List<ObjectVersion> versions = s3.listObjectVersions(r -> r.bucket("versioned-expiring")).versions();
        assertThat(versions).hasSize(1);

        stratus.clock().advance(Duration.ofDays(2));
        stratus.restart();
        eventually(() -> assertThat(s3.listObjectVersions(r -> r.bucket("versioned-expiring")).versions())
                .as("the noncurrent version expired").isEmpty());
    }

    @Test
    void transitionsMoveObjectsToColderClassesInTime(S3Client s3, SqsClient sqs, Stratus stratus) {
        s3.createBucket(r -> r.bucket("tiering"));
        String queue = sqs.createQueue(r -> r.queueName("transitions")).queueUrl();
        S3Permissions.allowBucket(sqs, queue, "tiering");
        s3.putBucketNotificationConfiguration(r -> r.bucket("tiering").notificationConfiguration(n -> n.queueConfigurations(q -> q
                .queueArn("arn:aws:sqs:us-east-1:000000000000:transitions").eventsWithStrings("s3:LifecycleTransition"))));
        s3.putBucketVersioning(r -> r.bucket("tiering").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        byte[] large = new byte[200 * 1024];
        String first = s3.putObject(r -> r.bucket("tiering").key("archive/big"), RequestBody.fromBytes(large)).versionId();
        s3.putObject(r -> r.bucket("tiering").key("archive/big"), RequestBody.fromBytes(large));
        s3.putObject(r -> r.bucket("tiering").key("archive/small"), RequestBody.fromString("under 128 KiB"));
        LifecycleRule tiers = LifecycleRule.builder().id("tiers").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("archive/"))
                .transitions(t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA), t -> t.days(60).storageClass(TransitionStorageClass.GLACIER))
                .noncurrentVersionTransitions(n -> n.noncurrentDays(30).storageClass(TransitionStorageClass.DEEP_ARCHIVE)).build();
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("tiering").transitionDefaultMinimumObjectSize(
                TransitionDefaultMinimumObjectSize.VARIES_BY_STORAGE_CLASS).lifecycleConfiguration(c -> c.rules(tiers))), 501, "NotImplemented");
        assertThat(s3.putBucketLifecycleConfiguration(r -> r.bucket("tiering").lifecycleConfiguration(c -> c.rules(tiers)))
                .transitionDefaultMinimumObjectSize()).isEqualTo(TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K);
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket("tiering")).rules().getFirst().transitions()).hasSize(2);

        stratus.clock().advance(Duration.ofDays(31));
        stratus.restart();
        eventually(() -> assertThat(s3.headObject(r -> r.bucket("tiering").key("archive/big")).storageClass())
                .isEqualTo(software.amazon.awssdk.services.s3.model.StorageClass.STANDARD_IA));
        assertThat(s3.headObject(r -> r.bucket("tiering").key("archive/big").versionId(first)).storageClass())
                .as("noncurrent for 30 days").isEqualTo(software.amazon.awssdk.services.s3.model.StorageClass.DEEP_ARCHIVE);
        assertThat(s3.headObject(r -> r.bucket("tiering").key("archive/small")).storageClass()).as("S3 keeps small objects").isNull();
        // Each move is announced (after the configuration's s3:TestEvent).
        List<String> bodies = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bodies.stream().filter(body -> body.contains("\"eventName\":\"LifecycleTransition\"")).count() < 2 && System.nanoTime() < deadline) {
            sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().forEach(m -> bodies.add(m.body()));
        }
        assertThat(bodies.stream().filter(body -> body.contains("\"eventName\":\"LifecycleTransition\""))).hasSize(2);

        stratus.clock().advance(Duration.ofDays(30));
        stratus.restart();
        eventually(() -> assertThat(s3.headObject(r -> r.bucket("tiering").key("archive/big")).storageClass())
                .isEqualTo(software.amazon.awssdk.services.s3.model.StorageClass.GLACIER));
        assertS3Error(() -> s3.getObjectAsBytes(r -> r.bucket("tiering").key("archive/big")), 403, "InvalidObjectState");
    }

    @Test
    void newerNoncurrentVersionsAreKept(S3Client s3, Stratus stratus) {
        s3.createBucket(r -> r.bucket("keep-two"));
        s3.putBucketVersioning(r -> r.bucket("keep-two").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        List<String> versions = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String body = "v" + i;
            versions.add(s3.putObject(r -> r.bucket("keep-two").key("doc"), RequestBody.fromString(body)).versionId());
        }
        s3.putBucketLifecycleConfiguration(r -> r.bucket("keep-two").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("keep").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(2)).build())));
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("keep-two").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("too-many").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(101)).build()))), 400, "InvalidArgument");

        stratus.clock().advance(Duration.ofDays(2));
        stratus.restart();
        // The current version and the two newest noncurrent ones stay; the two older go.
        eventually(() -> assertThat(s3.listObjectVersions(r -> r.bucket("keep-two")).versions()).extracting(ObjectVersion::versionId)
                .containsExactly(versions.get(4), versions.get(3), versions.get(2)));
    }

    @Test
    void configurationsS3WouldRefuseAreRefused(S3Client s3) {
        s3.createBucket(r -> r.bucket("lifecycle-checks"));

        assertThatThrownBy(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("zero").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("")).expiration(e -> e.days(0)).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("'Days' for Expiration action must be a positive integer");
                });
        assertThatThrownBy(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("none").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("")).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("At least one action needs to be specified in a rule"));
        assertThatThrownBy(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("early-ia").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .transitions(t -> t.days(10).storageClass(TransitionStorageClass.STANDARD_IA)).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'");
                });
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("early-noncurrent-ia").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .noncurrentVersionTransitions(n -> n.noncurrentDays(5).storageClass(TransitionStorageClass.ONEZONE_IA)).build()))),
                400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("when").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .transitions(t -> t.days(30).date(java.time.Instant.parse("2030-01-01T00:00:00Z")).storageClass(TransitionStorageClass.GLACIER))
                        .build()))), 400, "MalformedXML");

        // A filter holds one condition (several go in an And), tag keys are not repeated, an action says when.
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("both").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("x/").tag(t -> t.key("k").value("v")))
                        .expiration(e -> e.days(3)).build()))), 400, "MalformedXML");
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("twice").status(ExpirationStatus.ENABLED).filter(f -> f.and(a -> a.tags(
                        software.amazon.awssdk.services.s3.model.Tag.builder().key("k").value("1").build(),
                        software.amazon.awssdk.services.s3.model.Tag.builder().key("k").value("2").build())))
                        .expiration(e -> e.days(3)).build()))), 400, "InvalidRequest");
        assertS3Error(() -> s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("empty").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> {}).build()))), 400, "MalformedXML");

        s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("ok").status(ExpirationStatus.DISABLED).filter(f -> f.prefix("x/")).expiration(e -> e.days(3)).build())));
        s3.putBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("and").status(ExpirationStatus.ENABLED).filter(f -> f.and(a -> a.prefix("x/")
                        .tags(software.amazon.awssdk.services.s3.model.Tag.builder().key("k").value("1").build()).objectSizeGreaterThan(10L)))
                        .expiration(e -> e.days(3)).build())));
        s3.deleteBucketLifecycle(r -> r.bucket("lifecycle-checks"));
        assertThatThrownBy(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket("lifecycle-checks")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchLifecycleConfiguration"));
    }

    @Test
    void objectsARuleWillExpireSayWhenAndByWhichRule(S3Client s3) {
        s3.createBucket(r -> r.bucket("expiry-headers"));
        s3.putBucketLifecycleConfiguration(r -> r.bucket("expiry-headers").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("month").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/")).expiration(e -> e.days(30)).build(),
                LifecycleRule.builder().id("week").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/")).expiration(e -> e.days(7)).build(),
                LifecycleRule.builder().id("new year").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("archive/"))
                        .expiration(e -> e.date(Instant.parse("2031-01-01T00:00:00Z"))).build(),
                LifecycleRule.builder().id("off").status(ExpirationStatus.DISABLED).filter(f -> f.prefix("off/")).expiration(e -> e.days(1)).build())));

        String put = s3.putObject(r -> r.bucket("expiry-headers").key("logs/a"), RequestBody.fromString("a")).expiration();
        HeadObjectResponse head = s3.headObject(r -> r.bucket("expiry-headers").key("logs/a"));
        // The earlier of the two rules' expiries: seven days from creation, rounded up to midnight UTC.
        String inAWeek = "expiry-date=\"" + HTTP_DATE.format(head.lastModified().plus(Duration.ofDays(8)).truncatedTo(ChronoUnit.DAYS)
                .atZone(ZoneOffset.UTC)) + "\", rule-id=\"week\"";
        assertThat(put).isEqualTo(inAWeek);
        assertThat(head.expiration()).isEqualTo(inAWeek);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("expiry-headers").key("logs/a")).response().expiration()).isEqualTo(inAWeek);

        assertThat(s3.copyObject(r -> r.sourceBucket("expiry-headers").sourceKey("logs/a").destinationBucket("expiry-headers")
                .destinationKey("archive/a")).expiration()).isEqualTo("expiry-date=\"Wed, 01 Jan 2031 00:00:00 GMT\", rule-id=\"new+year\"");
        String uploadId = s3.createMultipartUpload(r -> r.bucket("expiry-headers").key("archive/parts")).uploadId();
        String etag = s3.uploadPart(r -> r.bucket("expiry-headers").key("archive/parts").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part")).eTag();
        assertThat(s3.completeMultipartUpload(r -> r.bucket("expiry-headers").key("archive/parts").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).expiration())
                .isEqualTo("expiry-date=\"Wed, 01 Jan 2031 00:00:00 GMT\", rule-id=\"new+year\"");

        for (String unexpiring : new String[] {"off/a", "other/a"}) {
            assertThat(s3.putObject(r -> r.bucket("expiry-headers").key(unexpiring), RequestBody.fromString("x")).expiration()).as(unexpiring).isNull();
            assertThat(s3.headObject(r -> r.bucket("expiry-headers").key(unexpiring)).expiration()).as(unexpiring).isNull();
        }
    }

    @Test
    void aRuleWithoutAnIdGetsOneThatStays(S3Client s3) {
        s3.createBucket(r -> r.bucket("unnamed-rules"));
        s3.putBucketLifecycleConfiguration(r -> r.bucket("unnamed-rules").lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/")).expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("named").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("old/")).expiration(e -> e.days(9)).build())));

        List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(r -> r.bucket("unnamed-rules")).rules();
        String assigned = rules.get(0).id();
        assertThat(assigned).isNotBlank();
        assertThat(rules.get(1).id()).isEqualTo("named");
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket("unnamed-rules")).rules().get(0).id()).isEqualTo(assigned);
        assertThat(s3.putObject(r -> r.bucket("unnamed-rules").key("tmp/a"), RequestBody.fromString("a")).expiration())
                .endsWith("rule-id=\"" + assigned + "\"");
    }
}
