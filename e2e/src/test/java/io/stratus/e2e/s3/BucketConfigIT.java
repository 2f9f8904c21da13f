package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAccelerateStatus;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Payer;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** Tagging, and the bucket configurations S3 stores and returns: policy, CORS, encryption, ownership, public access block. */
@StratusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketConfigIT {

    private static final String BUCKET = "configured";

    @BeforeAll
    void createBucket(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @Test
    void objectTagging(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("tagged").tagging("team=blue&stage=dev"), RequestBody.fromString("x"));
        assertThat(s3.getObjectTagging(b -> b.bucket(BUCKET).key("tagged")).tagSet()).extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("team", "blue"), org.assertj.core.groups.Tuple.tuple("stage", "dev"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("tagged")).sdkHttpResponse().firstMatchingHeader("x-amz-tagging-count")).hasValue("2");

        s3.putObjectTagging(b -> b.bucket(BUCKET).key("tagged").tagging(t -> t.tagSet(Tag.builder().key("only").value("one").build())));
        assertThat(s3.getObjectTagging(b -> b.bucket(BUCKET).key("tagged")).tagSet()).extracting(Tag::key).containsExactly("only");

        s3.deleteObjectTagging(b -> b.bucket(BUCKET).key("tagged"));
        assertThat(s3.getObjectTagging(b -> b.bucket(BUCKET).key("tagged")).tagSet()).isEmpty();

        assertS3Error(() -> s3.putObjectTagging(b -> b.bucket(BUCKET).key("tagged").tagging(t -> t.tagSet(
                Tag.builder().key("aws:reserved").value("x").build()))), 400, "InvalidTag");
        assertS3Error(() -> s3.getObjectTagging(b -> b.bucket(BUCKET).key("untagged-missing")), 404, "NoSuchKey");
    }

    @Test
    void aTagKeyTwiceInTheTaggingHeaderIsRefused(Stratus stratus, S3Client s3) throws Exception {
        String message = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";
        s3.putObject(b -> b.bucket(BUCKET).key("twice-source"), RequestBody.fromString("x"));
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> s3.putObject(b -> b.bucket(BUCKET).key("twice").tagging("a=1&a=2"), RequestBody.fromString("x")),
                () -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("twice-source").destinationBucket(BUCKET).destinationKey("twice")
                        .taggingDirective(TaggingDirective.REPLACE).tagging("a=1&b=2&a=3")),
                () -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("twice").tagging("a=1&a=1")))) {
            assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
        }
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("twice")), 404, null);
        assertThat(S3Assertions.send(stratus, "PUT", "/" + BUCKET + "/twice", "x-amz-tagging", "a=1&a=2").body())
                .contains("<ArgumentName>x-amz-tagging</ArgumentName><ArgumentValue>a=1&amp;a=2</ArgumentValue>");
    }

    @Test
    void bucketTagging(S3Client s3) {
        assertS3Error(() -> s3.getBucketTagging(b -> b.bucket(BUCKET)), 404, "NoSuchTagSet");
        s3.putBucketTagging(b -> b.bucket(BUCKET).tagging(t -> t.tagSet(Tag.builder().key("cost-center").value("42").build())));
        assertThat(s3.getBucketTagging(b -> b.bucket(BUCKET)).tagSet()).extracting(Tag::value).containsExactly("42");
        s3.deleteBucketTagging(b -> b.bucket(BUCKET));
        assertS3Error(() -> s3.getBucketTagging(b -> b.bucket(BUCKET)), 404, "NoSuchTagSet");
        // An empty TagSet clears the tags.
        s3.putBucketTagging(b -> b.bucket(BUCKET).tagging(t -> t.tagSet(Tag.builder().key("cost-center").value("42").build())));
        s3.putBucketTagging(b -> b.bucket(BUCKET).tagging(t -> t.tagSet(java.util.List.of())));
        assertS3Error(() -> s3.getBucketTagging(b -> b.bucket(BUCKET)), 404, "NoSuchTagSet");
    }

    @Test
    void policyIsStoredAndReturned(S3Client s3) {
        assertS3Error(() -> s3.getBucketPolicy(b -> b.bucket(BUCKET)), 404, "NoSuchBucketPolicy");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::configured/*\"}]}";
        s3.putBucketPolicy(b -> b.bucket(BUCKET).policy(policy));
        assertThat(s3.getBucketPolicy(b -> b.bucket(BUCKET)).policy()).isEqualTo(policy);
        assertS3Error(() -> s3.putBucketPolicy(b -> b.bucket(BUCKET).policy("not json")), 400, "MalformedPolicy");
        s3.deleteBucketPolicy(b -> b.bucket(BUCKET));
        assertS3Error(() -> s3.getBucketPolicy(b -> b.bucket(BUCKET)), 404, "NoSuchBucketPolicy");
    }

    @Test
    void corsIsStoredAndReturned(S3Client s3) {
        assertS3Error(() -> s3.getBucketCors(b -> b.bucket(BUCKET)), 404, "NoSuchCORSConfiguration");
        s3.putBucketCors(b -> b.bucket(BUCKET).corsConfiguration(c -> c.corsRules(r -> r.allowedMethods("GET", "PUT")
                .allowedOrigins("https://example.com").maxAgeSeconds(300))));
        var rules = s3.getBucketCors(b -> b.bucket(BUCKET)).corsRules();
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.allowedMethods()).containsExactly("GET", "PUT");
            assertThat(rule.allowedOrigins()).containsExactly("https://example.com");
            assertThat(rule.maxAgeSeconds()).isEqualTo(300);
        });
        s3.deleteBucketCors(b -> b.bucket(BUCKET));
        assertS3Error(() -> s3.getBucketCors(b -> b.bucket(BUCKET)), 404, "NoSuchCORSConfiguration");
    }

    @Test
    void encryptionOwnershipAndPublicAccessBlockHaveS3sDefaults(S3Client s3) {
        assertThat(s3.getBucketEncryption(b -> b.bucket(BUCKET)).serverSideEncryptionConfiguration().rules())
                .singleElement().satisfies(r -> assertThat(r.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256));
        assertThat(s3.getBucketOwnershipControls(b -> b.bucket(BUCKET)).ownershipControls().rules())
                .singleElement().satisfies(r -> assertThat(r.objectOwnership()).isEqualTo(ObjectOwnership.BUCKET_OWNER_ENFORCED));
        assertThat(s3.getPublicAccessBlock(b -> b.bucket(BUCKET)).publicAccessBlockConfiguration().blockPublicAcls()).isTrue();

        s3.putBucketOwnershipControls(b -> b.bucket(BUCKET).ownershipControls(o -> o.rules(r -> r.objectOwnership(ObjectOwnership.OBJECT_WRITER))));
        assertThat(s3.getBucketOwnershipControls(b -> b.bucket(BUCKET)).ownershipControls().rules())
                .singleElement().satisfies(r -> assertThat(r.objectOwnership()).isEqualTo(ObjectOwnership.OBJECT_WRITER));
        s3.putPublicAccessBlock(b -> b.bucket(BUCKET).publicAccessBlockConfiguration(c -> c.blockPublicAcls(false).blockPublicPolicy(false)
                .ignorePublicAcls(false).restrictPublicBuckets(false)));
        assertThat(s3.getPublicAccessBlock(b -> b.bucket(BUCKET)).publicAccessBlockConfiguration().blockPublicPolicy()).isFalse();
        s3.putBucketEncryption(b -> b.bucket(BUCKET).serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("alias/mine")))));
        assertThat(s3.getBucketEncryption(b -> b.bucket(BUCKET)).serverSideEncryptionConfiguration().rules().getFirst()
                .applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo("alias/mine");
        s3.deleteBucketEncryption(b -> b.bucket(BUCKET));
        assertThat(s3.getBucketEncryption(b -> b.bucket(BUCKET)).serverSideEncryptionConfiguration().rules().getFirst()
                .applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
        // An algorithm S3 does not know, and a KMS key without a KMS algorithm, are refused as S3 refuses them.
        assertS3Error(() -> s3.putBucketEncryption(b -> b.bucket(BUCKET).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("BAD"))))), 400, "MalformedXML");
        assertS3Error(() -> s3.putBucketEncryption(b -> b.bucket(BUCKET).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256).kmsMasterKeyID("alias/mine"))))),
                400, "InvalidArgument");
    }

    @Test
    void aclsAreTheOwnersAndCannotChangeWhileOwnershipIsEnforced(S3Client s3) {
        s3.createBucket(b -> b.bucket("acl-bucket"));
        s3.putObject(b -> b.bucket("acl-bucket").key("k"), RequestBody.fromString("x"));

        var bucketAcl = s3.getBucketAcl(b -> b.bucket("acl-bucket"));
        assertThat(bucketAcl.grants()).singleElement().satisfies(g -> {
            assertThat(g.permission()).isEqualTo(Permission.FULL_CONTROL);
            assertThat(g.grantee().id()).isEqualTo(bucketAcl.owner().id());
        });
        assertThat(s3.getObjectAcl(b -> b.bucket("acl-bucket").key("k")).grants()).hasSize(1);
        assertS3Error(() -> s3.putBucketAcl(b -> b.bucket("acl-bucket").acl(BucketCannedACL.PUBLIC_READ)), 400, "AccessControlListNotSupported");
        assertS3Error(() -> s3.getObjectAcl(b -> b.bucket("acl-bucket").key("missing")), 404, "NoSuchKey");
    }

    @Test
    void configurationsStratusCannotHoldYetReadAsAbsent(S3Client s3) {
        assertS3Error(() -> s3.getBucketLifecycleConfiguration(b -> b.bucket(BUCKET)), 404, "NoSuchLifecycleConfiguration");
        assertS3Error(() -> s3.getBucketWebsite(b -> b.bucket(BUCKET)), 404, "NoSuchWebsiteConfiguration");
        assertS3Error(() -> s3.getBucketReplication(b -> b.bucket(BUCKET)), 404, "ReplicationConfigurationNotFoundError");
        assertS3Error(() -> s3.getObjectLockConfiguration(b -> b.bucket(BUCKET)), 404, "ObjectLockConfigurationNotFoundError");
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket(BUCKET)).queueConfigurations()).isEmpty();
        assertThat(s3.getBucketLogging(b -> b.bucket(BUCKET)).loggingEnabled()).isNull();
        assertThat(s3.getBucketAccelerateConfiguration(b -> b.bucket(BUCKET)).status()).isNull();
        assertThat(s3.getBucketRequestPayment(b -> b.bucket(BUCKET)).payer()).isEqualTo(Payer.BUCKET_OWNER);
        assertS3Error(() -> s3.getBucketWebsite(b -> b.bucket("no-such-configured")), 404, "NoSuchBucket");
    }

    @Test
    void accelerationAndRequestPaymentAreKept(S3Client s3) {
        s3.createBucket(b -> b.bucket("fast-bucket"));
        s3.putBucketAccelerateConfiguration(b -> b.bucket("fast-bucket").accelerateConfiguration(c -> c.status(BucketAccelerateStatus.ENABLED)));
        assertThat(s3.getBucketAccelerateConfiguration(b -> b.bucket("fast-bucket")).status()).isEqualTo(BucketAccelerateStatus.ENABLED);
        s3.putBucketAccelerateConfiguration(b -> b.bucket("fast-bucket").accelerateConfiguration(c -> c.status(BucketAccelerateStatus.SUSPENDED)));
        assertThat(s3.getBucketAccelerateConfiguration(b -> b.bucket("fast-bucket")).status()).isEqualTo(BucketAccelerateStatus.SUSPENDED);
        assertS3Error(() -> s3.putBucketAccelerateConfiguration(b -> b.bucket("fast-bucket").accelerateConfiguration(c -> c.status("Faster"))),
                400, "MalformedXML");
        s3.createBucket(b -> b.bucket("dotted.bucket"));
        assertS3Error(() -> s3.putBucketAccelerateConfiguration(b -> b.bucket("dotted.bucket")
                .accelerateConfiguration(c -> c.status(BucketAccelerateStatus.ENABLED))), 400, "InvalidRequest");

        s3.putBucketRequestPayment(b -> b.bucket("fast-bucket").requestPaymentConfiguration(c -> c.payer(Payer.BUCKET_OWNER)));
        assertThat(s3.getBucketRequestPayment(b -> b.bucket("fast-bucket")).payer()).isEqualTo(Payer.BUCKET_OWNER);
        s3.putBucketRequestPayment(b -> b.bucket("fast-bucket").requestPaymentConfiguration(c -> c.payer(Payer.REQUESTER)));
        assertThat(s3.getBucketRequestPayment(b -> b.bucket("fast-bucket")).payer()).isEqualTo(Payer.REQUESTER); // enforced: BucketPolicyIT
        assertS3Error(() -> s3.putBucketRequestPayment(b -> b.bucket("fast-bucket").requestPaymentConfiguration(c -> c.payer("Nobody"))),
                400, "MalformedXML");
        assertS3Error(() -> s3.putBucketRequestPayment(b -> b.bucket("no-such-configured").requestPaymentConfiguration(c -> c.payer(Payer.BUCKET_OWNER))),
                404, "NoSuchBucket");
    }

    @Test
    void thePolicyStatusSaysWhetherThePolicyIsPublic(S3Client s3) {
        s3.createBucket(b -> b.bucket("status-bucket"));
        assertS3Error(() -> s3.getBucketPolicyStatus(b -> b.bucket("status-bucket")), 404, "NoSuchBucketPolicy");
        s3.putBucketPolicy(b -> b.bucket("status-bucket").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::status-bucket/*\"}]}"));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("status-bucket")).policyStatus().isPublic()).isFalse();
        s3.deletePublicAccessBlock(b -> b.bucket("status-bucket"));
        s3.putBucketPolicy(b -> b.bucket("status-bucket").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::status-bucket/*\"}]}"));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("status-bucket")).policyStatus().isPublic()).isTrue();
        assertS3Error(() -> s3.getBucketPolicyStatus(b -> b.bucket("no-such-configured")), 404, "NoSuchBucket");
    }

    @Test
    void configurationsNeedTheBucket(S3Client s3) {
        assertS3Error(() -> s3.getBucketCors(b -> b.bucket("no-such-configured")), 404, "NoSuchBucket");
        assertS3Error(() -> s3.putBucketTagging(b -> b.bucket("no-such-configured").tagging(t -> t.tagSet(Tag.builder().key("a").value("b").build()))),
                404, "NoSuchBucket");
    }
}
