package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.PostObjectIT.assertError;
import static io.stratus.e2e.s3.PostObjectIT.form;
import static io.stratus.e2e.s3.PostObjectIT.post;
import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * ACLs on writes under S3 Object Ownership: a bucket that enforces bucket-owner ownership (the
 * default) takes writes without an ACL or with one giving only the bucket owner full control, and
 * refuses the others, as S3 has since 2023.
 */
@StratusTest
class ObjectOwnershipIT {

    private static void assertAclsRefused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessControlListNotSupported");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The bucket does not allow ACLs");
        });
    }

    @Test
    void objectWritesTakeOnlyTheBucketOwnersAcl(S3Client s3) {
        s3.createBucket(b -> b.bucket("enforced"));
        s3.putObject(b -> b.bucket("enforced").key("src"), RequestBody.fromString("x"));

        assertAclsRefused(() -> s3.putObject(b -> b.bucket("enforced").key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")));
        assertAclsRefused(() -> s3.putObject(b -> b.bucket("enforced").key("k").grantRead("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""),
                RequestBody.fromString("x")));
        assertAclsRefused(() -> s3.copyObject(b -> b.sourceBucket("enforced").sourceKey("src").destinationBucket("enforced").destinationKey("k")
                .acl(ObjectCannedACL.AUTHENTICATED_READ)));
        assertAclsRefused(() -> s3.createMultipartUpload(b -> b.bucket("enforced").key("k").acl(ObjectCannedACL.BUCKET_OWNER_READ)));
        assertThat(s3.listObjectsV2(b -> b.bucket("enforced")).contents()).hasSize(1);
        assertThat(s3.listMultipartUploads(b -> b.bucket("enforced")).uploads()).isEmpty();

        s3.putObject(b -> b.bucket("enforced").key("full").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL), RequestBody.fromString("x"));
        s3.putObject(b -> b.bucket("enforced").key("private").acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("x"));
        String owner = s3.getBucketAcl(b -> b.bucket("enforced")).owner().id();
        s3.putObject(b -> b.bucket("enforced").key("granted").grantFullControl("id=\"" + owner + "\""), RequestBody.fromString("x"));
        s3.copyObject(b -> b.sourceBucket("enforced").sourceKey("src").destinationBucket("enforced").destinationKey("copy")
                .acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));
        s3.createMultipartUpload(b -> b.bucket("enforced").key("upload").acl(ObjectCannedACL.PRIVATE));
        assertThat(s3.listObjectsV2(b -> b.bucket("enforced")).contents()).hasSize(5);
    }

    /** {@code private} from another account would give that account, not the bucket owner, full control. */
    @Test
    void privateFromAnotherAccountIsAnAcl(Stratus stratus) {
        try (S3Client owner = client(stratus, "111111111111"); S3Client writer = client(stratus, "222222222222")) {
            owner.createBucket(b -> b.bucket("shared-drop"));
            owner.putBucketPolicy(b -> b.bucket("shared-drop").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::shared-drop/*\"}]}"));

            assertAclsRefused(() -> writer.putObject(b -> b.bucket("shared-drop").key("k").acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("x")));
            writer.putObject(b -> b.bucket("shared-drop").key("k").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL), RequestBody.fromString("x"));
        }
    }

    @Test
    void bucketsWhoseOwnershipIsNotEnforcedTakeAcls(S3Client s3) {
        s3.createBucket(b -> b.bucket("writer-owned").objectOwnership(ObjectOwnership.OBJECT_WRITER).acl(BucketCannedACL.PRIVATE));
        s3.deletePublicAccessBlock(b -> b.bucket("writer-owned"));
        s3.putObject(b -> b.bucket("writer-owned").key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x"));
        assertThat(s3.getObjectAcl(b -> b.bucket("writer-owned").key("k")).grants()).hasSize(2);
    }

    @Test
    void deletingOwnershipControlsEnablesAcls(S3Client s3) {
        s3.createBucket(b -> b.bucket("controls-deleted"));
        s3.deleteBucketOwnershipControls(b -> b.bucket("controls-deleted"));
        s3.deletePublicAccessBlock(b -> b.bucket("controls-deleted"));

        assertS3Error(() -> s3.getBucketOwnershipControls(b -> b.bucket("controls-deleted")), 404, "OwnershipControlsNotFoundError");
        s3.putObject(b -> b.bucket("controls-deleted").key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x"));
        s3.putBucketOwnershipControls(b -> b.bucket("controls-deleted").ownershipControls(c -> c.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        assertAclsRefused(() -> s3.putObject(b -> b.bucket("controls-deleted").key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")));
    }

    @Test
    void aNewBucketUnderEnforcedOwnershipCannotGrantOthers(S3Client s3) {
        for (BucketCannedACL acl : new BucketCannedACL[] {BucketCannedACL.PUBLIC_READ, BucketCannedACL.PUBLIC_READ_WRITE, BucketCannedACL.AUTHENTICATED_READ}) {
            assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("acl-" + acl.toString()).acl(acl)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketAclWithObjectOwnership");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
                    });
        }
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("acl-explicit").objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .grantRead("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketAclWithObjectOwnership"));
        assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().startsWith("acl-"));

        s3.createBucket(b -> b.bucket("acl-private").acl(BucketCannedACL.PRIVATE));
        assertThat(s3.headBucket(b -> b.bucket("acl-private")).sdkHttpResponse().isSuccessful()).isTrue();
    }

    @Test
    void formUploadsTakeOnlyTheBucketOwnersAcl(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("enforced-form"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "k");
        fields.put("acl", "public-read");
        byte[] file = "content".getBytes(StandardCharsets.UTF_8);
        assertError(post(stratus.endpoint().resolve("/enforced-form"), form(fields, "f", file)), 400, "AccessControlListNotSupported",
                "The bucket does not allow ACLs");

        fields.put("acl", "bucket-owner-full-control");
        assertThat(post(stratus.endpoint().resolve("/enforced-form"), form(fields, "f", file)).statusCode()).isEqualTo(204);
    }

    private static S3Client client(Stratus stratus, String account) {
        return stratus.configure(S3Client.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .forcePathStyle(true)
                .build();
    }
}
