package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * ACLs where a bucket's Object Ownership lets them apply ({@code ObjectWriter},
 * {@code BucketOwnerPreferred}): kept for the bucket and each object, read back, enforced for other
 * accounts, with the object's writer as its owner, under Block Public Access.
 */
@StratusTest
class AclIT {

    private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

    @Test
    void aclsAreKeptAndReadBackInEachForm(S3Client s3) {
        String owner = s3.listBuckets().owner().id();
        s3.createBucket(b -> b.bucket("acl-forms").objectOwnership(ObjectOwnership.OBJECT_WRITER));
        s3.deletePublicAccessBlock(b -> b.bucket("acl-forms"));

        s3.putBucketAcl(b -> b.bucket("acl-forms").acl(BucketCannedACL.PUBLIC_READ));
        assertThat(s3.getBucketAcl(b -> b.bucket("acl-forms")).grants()).extracting(AclIT::describe)
                .containsExactly("id:" + owner + " FULL_CONTROL", "uri:" + ALL_USERS + " READ");

        String other = "f".repeat(64);
        s3.putObject(b -> b.bucket("acl-forms").key("k").grantRead("id=\"" + other + "\"").grantReadACP("uri=\"" + ALL_USERS + "\""),
                RequestBody.fromString("x"));
        assertThat(s3.getObjectAcl(b -> b.bucket("acl-forms").key("k")).grants()).extracting(AclIT::describe)
                .containsExactly("id:" + other + " READ", "uri:" + ALL_USERS + " READ_ACP");

        s3.putObjectAcl(b -> b.bucket("acl-forms").key("k").accessControlPolicy(p -> p.owner(o -> o.id(owner))
                .grants(Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(owner).build()).permission(Permission.FULL_CONTROL).build(),
                        Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(other).build()).permission(Permission.WRITE_ACP).build())));
        var acl = s3.getObjectAcl(b -> b.bucket("acl-forms").key("k"));
        assertThat(acl.owner().id()).isEqualTo(owner);
        assertThat(acl.grants()).extracting(AclIT::describe).containsExactly("id:" + owner + " FULL_CONTROL", "id:" + other + " WRITE_ACP");

        // A copy never takes its source's ACL.
        s3.copyObject(b -> b.sourceBucket("acl-forms").sourceKey("k").destinationBucket("acl-forms").destinationKey("copy"));
        assertThat(s3.getObjectAcl(b -> b.bucket("acl-forms").key("copy")).grants()).extracting(AclIT::describe)
                .containsExactly("id:" + owner + " FULL_CONTROL");
    }

    @Test
    void badAclsAreRefused(S3Client s3) {
        s3.createBucket(b -> b.bucket("acl-bad").objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED));
        s3.putObject(b -> b.bucket("acl-bad").key("k"), RequestBody.fromString("x"));

        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-bad").key("k").acl(ObjectCannedACL.PRIVATE).grantRead("id=\"" + "a".repeat(64) + "\"")),
                400, "InvalidRequest");
        assertS3Error(() -> s3.putBucketAcl(b -> b.bucket("acl-bad")), 400, "MissingSecurityHeader");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-bad").key("k").acl("shared")), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-bad").key("k").grantRead("uri=\"http://acs.amazonaws.com/groups/global/Everyone\"")),
                400, "InvalidArgument");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-bad").key("k").grantRead("id=\"not-a-canonical-id\"")), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-bad").key("k").grantRead("emailAddress=\"someone@example.com\"")),
                400, "UnresolvableGrantByEmailAddress");
        assertS3Error(() -> s3.putBucketAcl(b -> b.bucket("acl-bad").accessControlPolicy(p -> p.owner(o -> o.id(s3.listBuckets().owner().id()))
                .grants(Grant.builder().grantee(Grantee.builder().type(Type.GROUP).build()).permission(Permission.READ).build()))),
                400, "MalformedACLError");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-bad").key("missing").acl(ObjectCannedACL.PRIVATE)), 404, "NoSuchKey");
        // New buckets block public ACLs, as S3's have since 2023.
        assertS3Error(() -> s3.putObject(b -> b.bucket("acl-bad").key("p").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")),
                403, "AccessDenied");
        assertS3Error(() -> s3.putBucketAcl(b -> b.bucket("acl-bad").acl(BucketCannedACL.AUTHENTICATED_READ)), 403, "AccessDenied");
        assertS3Error(() -> s3.createBucket(b -> b.bucket("acl-public").objectOwnership(ObjectOwnership.OBJECT_WRITER).acl(BucketCannedACL.PUBLIC_READ)),
                400, "InvalidBucketAclWithBlockPublicAccessError");
        assertThat(s3.listObjectsV2(b -> b.bucket("acl-bad")).contents()).hasSize(1);
        assertThat(s3.getObjectAcl(b -> b.bucket("acl-bad").key("k")).grants()).hasSize(1);
    }

    @Test
    void aclsCannotBeDisabledWhileTheBucketGrantsOthers(S3Client s3) {
        s3.createBucket(b -> b.bucket("acl-switch").objectOwnership(ObjectOwnership.OBJECT_WRITER));
        s3.putBucketAcl(b -> b.bucket("acl-switch").grantRead("id=\"" + "b".repeat(64) + "\""));
        s3.putObject(b -> b.bucket("acl-switch").key("k").grantRead("id=\"" + "b".repeat(64) + "\""), RequestBody.fromString("x"));

        assertS3Error(() -> s3.putBucketOwnershipControls(b -> b.bucket("acl-switch")
                .ownershipControls(c -> c.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)))), 400, "InvalidBucketAclWithObjectOwnership");
        s3.putBucketAcl(b -> b.bucket("acl-switch").acl(BucketCannedACL.PRIVATE));
        s3.putBucketOwnershipControls(b -> b.bucket("acl-switch").ownershipControls(c -> c.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));

        // Disabled, the object's own ACL no longer counts, and none can be set.
        assertThat(s3.getObjectAcl(b -> b.bucket("acl-switch").key("k")).grants()).hasSize(1);
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket("acl-switch").key("k").acl(ObjectCannedACL.PRIVATE)), 400, "AccessControlListNotSupported");
    }

    @Test
    void grantsLetOtherAccountsInAndWritersOwnWhatTheyWrite(Stratus stratus) {
        try (S3Client owner = client(stratus, "111111111111"); S3Client writer = client(stratus, "222222222222");
                S3Client stranger = client(stratus, "333333333333")) {
            String ownerId = owner.listBuckets().owner().id();
            String writerId = writer.listBuckets().owner().id();
            owner.createBucket(b -> b.bucket("acl-shared").objectOwnership(ObjectOwnership.OBJECT_WRITER));
            owner.putObject(b -> b.bucket("acl-shared").key("owners"), RequestBody.fromString("o"));
            assertS3Error(() -> writer.listObjectsV2(b -> b.bucket("acl-shared")), 403, "AccessDenied");
            assertS3Error(() -> writer.putObject(b -> b.bucket("acl-shared").key("w"), RequestBody.fromString("w")), 403, "AccessDenied");

            owner.putBucketAcl(b -> b.bucket("acl-shared").grantFullControl("id=\"" + ownerId + "\"")
                    .grantRead("id=\"" + writerId + "\"").grantWrite("id=\"" + writerId + "\""));
            assertThat(writer.listObjectsV2(b -> b.bucket("acl-shared")).contents()).hasSize(1);
            writer.putObject(b -> b.bucket("acl-shared").key("w"), RequestBody.fromString("w"));
            assertS3Error(() -> writer.getObject(b -> b.bucket("acl-shared").key("owners")), 403, "AccessDenied");
            assertS3Error(() -> stranger.listObjectsV2(b -> b.bucket("acl-shared")), 403, "AccessDenied");

            // The writer owns its object: the bucket's owner may not read it, nor its ACL, until the writer shares it.
            assertThat(writer.getObjectAcl(b -> b.bucket("acl-shared").key("w")).owner().id()).isEqualTo(writerId);
            assertThat(owner.listObjectsV2(b -> b.bucket("acl-shared").fetchOwner(true)).contents())
                    .extracting(o -> o.key() + " " + o.owner().id()).containsExactly("owners " + ownerId, "w " + writerId);
            assertThat(writer.getObjectAsBytes(b -> b.bucket("acl-shared").key("w")).asUtf8String()).isEqualTo("w");
            assertS3Error(() -> owner.getObject(b -> b.bucket("acl-shared").key("w")), 403, "AccessDenied");
            assertS3Error(() -> owner.getObjectAcl(b -> b.bucket("acl-shared").key("w")), 403, "AccessDenied");
            writer.putObjectAcl(b -> b.bucket("acl-shared").key("w").acl(ObjectCannedACL.BUCKET_OWNER_READ));
            assertThat(owner.getObjectAsBytes(b -> b.bucket("acl-shared").key("w")).asUtf8String()).isEqualTo("w");
            assertS3Error(() -> stranger.getObject(b -> b.bucket("acl-shared").key("w")), 403, "AccessDenied");

            // Written with bucket-owner-full-control, the bucket's owner reads it at once; and may always delete what is in its bucket.
            writer.putObject(b -> b.bucket("acl-shared").key("shared").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL), RequestBody.fromString("s"));
            assertThat(owner.getObjectAcl(b -> b.bucket("acl-shared").key("shared")).grants()).extracting(AclIT::describe)
                    .containsExactly("id:" + writerId + " FULL_CONTROL", "id:" + ownerId + " FULL_CONTROL");
            owner.deleteObject(b -> b.bucket("acl-shared").key("w"));
            assertThat(owner.listObjectsV2(b -> b.bucket("acl-shared")).contents()).extracting(o -> o.key()).containsExactly("owners", "shared");
        }
    }

    @Test
    void bucketOwnerPreferredTakesWhatIsWrittenWithFullControl(Stratus stratus) {
        try (S3Client owner = client(stratus, "111111111111"); S3Client writer = client(stratus, "222222222222")) {
            String ownerId = owner.listBuckets().owner().id();
            String writerId = writer.listBuckets().owner().id();
            owner.createBucket(b -> b.bucket("acl-preferred").objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED));
            owner.putBucketAcl(b -> b.bucket("acl-preferred").grantWrite("id=\"" + writerId + "\"").grantFullControl("id=\"" + ownerId + "\""));

            writer.putObject(b -> b.bucket("acl-preferred").key("given").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL), RequestBody.fromString("g"));
            writer.putObject(b -> b.bucket("acl-preferred").key("kept"), RequestBody.fromString("k"));

            assertThat(owner.getObjectAcl(b -> b.bucket("acl-preferred").key("given")).owner().id()).isEqualTo(ownerId);
            assertThat(owner.getObjectAsBytes(b -> b.bucket("acl-preferred").key("given")).asUtf8String()).isEqualTo("g");
            assertS3Error(() -> owner.getObject(b -> b.bucket("acl-preferred").key("kept")), 403, "AccessDenied");
            assertThat(writer.getObjectAcl(b -> b.bucket("acl-preferred").key("kept")).owner().id()).isEqualTo(writerId);
        }
    }

    @Test
    void publicAclsObeyBlockPublicAccess(Stratus stratus) {
        try (S3Client owner = client(stratus, "111111111111"); S3Client reader = client(stratus, "444444444444")) {
            owner.createBucket(b -> b.bucket("acl-public-read").objectOwnership(ObjectOwnership.OBJECT_WRITER));
            owner.putPublicAccessBlock(b -> b.bucket("acl-public-read").publicAccessBlockConfiguration(c -> c.blockPublicAcls(false)
                    .ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
            owner.putObject(b -> b.bucket("acl-public-read").key("open").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("o"));

            assertS3Error(() -> reader.getObject(b -> b.bucket("acl-public-read").key("open")), 403, "AccessDenied");
            owner.putPublicAccessBlock(b -> b.bucket("acl-public-read").publicAccessBlockConfiguration(c -> c.blockPublicAcls(false)
                    .ignorePublicAcls(false).blockPublicPolicy(true).restrictPublicBuckets(true)));
            assertThat(reader.getObjectAsBytes(b -> b.bucket("acl-public-read").key("open")).asUtf8String()).isEqualTo("o");
            assertS3Error(() -> reader.putObjectAcl(b -> b.bucket("acl-public-read").key("open").acl(ObjectCannedACL.PRIVATE)), 403, "AccessDenied");
        }
    }

    private static String describe(Grant grant) {
        Grantee grantee = grant.grantee();
        return (grantee.type() == Type.GROUP ? "uri:" + grantee.uri() : "id:" + grantee.id()) + " " + grant.permission();
    }

    private static S3Client client(Stratus stratus, String account) {
        return stratus.configure(S3Client.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .forcePathStyle(true)
                .build();
    }
}
