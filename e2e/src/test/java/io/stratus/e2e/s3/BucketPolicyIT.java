package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.Payer;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A bucket policy decides what other accounts may do with the bucket, an explicit deny binds the
 * owner too, and Block Public Access (on by default, as on S3 since 2023) keeps public policies
 * out. The owner acts as account 111111111111, the stranger as 222222222222.
 */
@StratusTest
class BucketPolicyIT {

    private S3Client owner;
    private S3Client stranger;

    @BeforeEach
    void clients(Stratus stratus) {
        owner = client(stratus, "111111111111");
        stranger = client(stratus, "222222222222");
    }

    @AfterEach
    void close() {
        owner.close();
        stranger.close();
    }

    private static S3Client client(Stratus stratus, String account) {
        return stratus.configure(S3Client.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .forcePathStyle(true)
                .build();
    }

    private static String allow(String principal, String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":" + actions
                + ",\"Resource\":\"" + resource + "\"}]}";
    }

    @Test
    void anExpectedBucketOwnerThatIsNotTheOwnerIsRefused() {
        owner.createBucket(b -> b.bucket("owned-data"));
        owner.putObject(b -> b.bucket("owned-data").key("k").expectedBucketOwner("111111111111"), RequestBody.fromString("v"));
        owner.headBucket(b -> b.bucket("owned-data").expectedBucketOwner("111111111111"));

        assertS3Error(() -> owner.headBucket(b -> b.bucket("owned-data").expectedBucketOwner("999999999999")), 403, null);
        assertS3Error(() -> owner.getObjectAsBytes(b -> b.bucket("owned-data").key("k").expectedBucketOwner("999999999999")), 403, "AccessDenied");
        assertS3Error(() -> owner.putObject(b -> b.bucket("owned-data").key("k2").expectedBucketOwner("222222222222"), RequestBody.fromString("w")),
                403, "AccessDenied");
        assertS3Error(() -> owner.getObjectAsBytes(b -> b.bucket("owned-data").key("k2")), 404, "NoSuchKey");
        assertS3Error(() -> owner.copyObject(b -> b.sourceBucket("owned-data").sourceKey("k").destinationBucket("owned-data").destinationKey("copy")
                .expectedSourceBucketOwner("222222222222")), 403, "AccessDenied");
        owner.copyObject(b -> b.sourceBucket("owned-data").sourceKey("k").destinationBucket("owned-data").destinationKey("copy")
                .expectedSourceBucketOwner("111111111111").expectedBucketOwner("111111111111"));
    }

    @Test
    void aRequesterPaysBucketTakesOtherAccountsRequestsThatAcceptTheCharges() {
        owner.createBucket(b -> b.bucket("paid-data"));
        owner.putObject(b -> b.bucket("paid-data").key("report.csv"), RequestBody.fromString("a,b"));
        owner.putBucketPolicy(b -> b.bucket("paid-data").policy(allow("{\"AWS\":\"arn:aws:iam::222222222222:root\"}", "\"s3:GetObject\"",
                "arn:aws:s3:::paid-data/*")));
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("paid-data").key("report.csv")).asUtf8String()).isEqualTo("a,b");

        owner.putBucketRequestPayment(b -> b.bucket("paid-data").requestPaymentConfiguration(c -> c.payer(Payer.REQUESTER)));
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("paid-data").key("report.csv")), 403, "AccessDenied");
        var paid = stranger.getObjectAsBytes(b -> b.bucket("paid-data").key("report.csv").requestPayer(RequestPayer.REQUESTER));
        assertThat(paid.asUtf8String()).isEqualTo("a,b");
        assertThat(paid.response().requestChargedAsString()).isEqualTo("requester");
        // The header is no licence: the policy still decides.
        assertS3Error(() -> stranger.putObject(b -> b.bucket("paid-data").key("mine").requestPayer(RequestPayer.REQUESTER), RequestBody.fromString("x")),
                403, "AccessDenied");
        // The owner pays for its own requests, with or without the header.
        assertThat(owner.getObjectAsBytes(b -> b.bucket("paid-data").key("report.csv")).asUtf8String()).isEqualTo("a,b");

        owner.putBucketRequestPayment(b -> b.bucket("paid-data").requestPaymentConfiguration(c -> c.payer(Payer.BUCKET_OWNER)));
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("paid-data").key("report.csv")).asUtf8String()).isEqualTo("a,b");
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("paid-data").key("report.csv").requestPayer(RequestPayer.REQUESTER))
                .response().requestCharged()).isNull();
    }

    @Test
    void anotherAccountCopiesFromABucketWhosePolicyLetsItRead() {
        owner.createBucket(b -> b.bucket("copy-origin"));
        owner.putBucketVersioning(b -> b.bucket("copy-origin").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        String version = owner.putObject(b -> b.bucket("copy-origin").key("data/report.csv"), RequestBody.fromString("x,y")).versionId();
        stranger.createBucket(b -> b.bucket("copy-landing"));

        assertS3Error(() -> stranger.copyObject(b -> b.sourceBucket("copy-origin").sourceKey("data/report.csv")
                .destinationBucket("copy-landing").destinationKey("mine.csv")), 403, "AccessDenied");

        owner.putBucketPolicy(b -> b.bucket("copy-origin").policy(allow("{\"AWS\":\"222222222222\"}", "\"s3:GetObject\"",
                "arn:aws:s3:::copy-origin/data/*")));
        stranger.copyObject(b -> b.sourceBucket("copy-origin").sourceKey("data/report.csv").destinationBucket("copy-landing").destinationKey("mine.csv"));
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("copy-landing").key("mine.csv")).asUtf8String()).isEqualTo("x,y");
        // A version by its id takes s3:GetObjectVersion, which the policy does not give; UploadPartCopy reads as CopyObject does.
        assertS3Error(() -> stranger.copyObject(b -> b.sourceBucket("copy-origin").sourceKey("data/report.csv").sourceVersionId(version)
                .destinationBucket("copy-landing").destinationKey("old.csv")), 403, "AccessDenied");
        String upload = stranger.createMultipartUpload(b -> b.bucket("copy-landing").key("parts.csv")).uploadId();
        assertThat(stranger.uploadPartCopy(b -> b.sourceBucket("copy-origin").sourceKey("data/report.csv").destinationBucket("copy-landing")
                .destinationKey("parts.csv").uploadId(upload).partNumber(1)).copyPartResult().eTag()).isNotBlank();

        // The owner's own copies follow its policy's explicit denies.
        owner.putBucketPolicy(b -> b.bucket("copy-origin").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::copy-origin/data/*\"}]}"));
        assertS3Error(() -> owner.copyObject(b -> b.sourceBucket("copy-origin").sourceKey("data/report.csv").destinationBucket("copy-origin")
                .destinationKey("elsewhere.csv")), 403, "AccessDenied");
    }

    @Test
    void anotherAccountGetsWhatThePolicyAllowsAndNothingMore() {
        owner.createBucket(b -> b.bucket("shared-data"));
        owner.putObject(b -> b.bucket("shared-data").key("reports/q1.csv"), RequestBody.fromString("a,b"));
        owner.putObject(b -> b.bucket("shared-data").key("private/keys"), RequestBody.fromString("secret"));

        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("shared-data").key("reports/q1.csv")), 403, "AccessDenied");

        owner.putBucketPolicy(b -> b.bucket("shared-data").policy(allow("{\"AWS\":\"arn:aws:iam::222222222222:root\"}",
                "[\"s3:GetObject\",\"s3:PutObject\"]", "arn:aws:s3:::shared-data/reports/*")));

        assertThat(stranger.getObjectAsBytes(b -> b.bucket("shared-data").key("reports/q1.csv")).asUtf8String()).isEqualTo("a,b");
        stranger.putObject(b -> b.bucket("shared-data").key("reports/q2.csv"), RequestBody.fromString("c,d"));
        assertThat(owner.getObjectAsBytes(b -> b.bucket("shared-data").key("reports/q2.csv")).asUtf8String()).isEqualTo("c,d");
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("shared-data").key("private/keys")), 403, "AccessDenied");
        assertS3Error(() -> stranger.deleteObject(b -> b.bucket("shared-data").key("reports/q1.csv")), 403, "AccessDenied");
        // A DeleteObjects answers each key it may not delete in its response, as S3 does.
        DeleteObjectsResponse refused = stranger.deleteObjects(b -> b.bucket("shared-data")
                .delete(d -> d.objects(o -> o.key("reports/q1.csv"), o -> o.key("private/keys"))));
        assertThat(refused.deleted()).isEmpty();
        assertThat(refused.errors()).extracting(S3Error::key, S3Error::code, S3Error::message)
                .containsExactly(tuple("reports/q1.csv", "AccessDenied", "Access Denied"), tuple("private/keys", "AccessDenied", "Access Denied"));
        owner.putBucketPolicy(b -> b.bucket("shared-data").policy(allow("{\"AWS\":\"arn:aws:iam::222222222222:root\"}",
                "[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"]", "arn:aws:s3:::shared-data/reports/*")));
        DeleteObjectsResponse partly = stranger.deleteObjects(b -> b.bucket("shared-data")
                .delete(d -> d.objects(o -> o.key("reports/q2.csv"), o -> o.key("private/keys"))));
        assertThat(partly.deleted()).extracting(DeletedObject::key).containsExactly("reports/q2.csv");
        assertThat(partly.errors()).extracting(S3Error::key, S3Error::code).containsExactly(tuple("private/keys", "AccessDenied"));
        assertS3Error(() -> owner.headObject(b -> b.bucket("shared-data").key("reports/q2.csv")), 404, null);
        assertThat(owner.headObject(b -> b.bucket("shared-data").key("private/keys")).contentLength()).isEqualTo(6);
        assertS3Error(() -> stranger.listObjectsV2(b -> b.bucket("shared-data")), 403, "AccessDenied");
        assertS3Error(() -> stranger.getBucketPolicy(b -> b.bucket("shared-data")), 403, "AccessDenied");
        assertS3Error(() -> stranger.deleteBucket(b -> b.bucket("shared-data")), 403, "AccessDenied");
    }

    @Test
    void aVersionNeedsTheVersionAction() {
        owner.createBucket(b -> b.bucket("versioned-share"));
        owner.putBucketVersioning(b -> b.bucket("versioned-share").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        String version = owner.putObject(b -> b.bucket("versioned-share").key("doc"), RequestBody.fromString("v1")).versionId();
        owner.putBucketPolicy(b -> b.bucket("versioned-share").policy(allow("{\"AWS\":\"222222222222\"}", "\"s3:GetObject\"",
                "arn:aws:s3:::versioned-share/*")));

        assertThat(stranger.getObjectAsBytes(b -> b.bucket("versioned-share").key("doc")).asUtf8String()).isEqualTo("v1");
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("versioned-share").key("doc").versionId(version)), 403, "AccessDenied");
    }

    @Test
    void anExplicitDenyBindsTheOwnerButNotThePolicyOperations() {
        owner.createBucket(b -> b.bucket("locked"));
        owner.putObject(b -> b.bucket("locked").key("keep"), RequestBody.fromString("x"));
        owner.putBucketPolicy(b -> b.bucket("locked").policy("{\"Statement\":[{\"Sid\":\"NoDeletes\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":[\"s3:DeleteObject\",\"s3:PutBucketPolicy\",\"s3:DeleteBucketPolicy\"],\"Resource\":[\"arn:aws:s3:::locked\",\"arn:aws:s3:::locked/*\"]}]}"));

        assertS3Error(() -> owner.deleteObject(b -> b.bucket("locked").key("keep")), 403, "AccessDenied");
        assertThat(owner.getObjectAsBytes(b -> b.bucket("locked").key("keep")).asUtf8String()).isEqualTo("x");

        owner.deleteBucketPolicy(b -> b.bucket("locked"));
        owner.deleteObject(b -> b.bucket("locked").key("keep"));
    }

    @Test
    void aConditionOnTheSourceIpSeesTheAddressTheClientCameFrom() {
        owner.createBucket(b -> b.bucket("office-only"));
        owner.putObject(b -> b.bucket("office-only").key("plan"), RequestBody.fromString("x"));
        String denyOutside = "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::office-only/*\",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"%s\"}}}]}";

        owner.putBucketPolicy(b -> b.bucket("office-only").policy(denyOutside.formatted("10.0.0.0/8")));
        assertS3Error(() -> owner.getObjectAsBytes(b -> b.bucket("office-only").key("plan")), 403, "AccessDenied");

        // The SDK's requests come from this machine.
        owner.putBucketPolicy(b -> b.bucket("office-only").policy(denyOutside.formatted("127.0.0.0/8")));
        assertThat(owner.getObjectAsBytes(b -> b.bucket("office-only").key("plan")).asUtf8String()).isEqualTo("x");
    }

    @Test
    void howARequestWasSignedIsAConditionKey(Stratus stratus) throws Exception {
        owner.createBucket(b -> b.bucket("signed-only"));
        owner.putObject(b -> b.bucket("signed-only").key("doc"), RequestBody.fromString("x"));
        owner.putBucketPolicy(b -> b.bucket("signed-only").policy("{\"Statement\":["
                // What security baselines write to refuse SigV2: a policy that, without the key, would refuse everything.
                + "{\"Sid\":\"SigV4Only\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"Resource\":[\"arn:aws:s3:::signed-only\",\"arn:aws:s3:::signed-only/*\"],"
                + "\"Condition\":{\"StringNotEquals\":{\"s3:signatureversion\":\"AWS4-HMAC-SHA256\"}}},"
                + "{\"Sid\":\"NoPresignedReads\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::signed-only/*\",\"Condition\":{\"StringEquals\":{\"s3:authType\":\"REST-QUERY-STRING\"}}},"
                + "{\"Sid\":\"FreshSignaturesOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::signed-only/*\",\"Condition\":{\"NumericGreaterThan\":{\"s3:signatureAge\":\"600000\"}}}]}"));

        assertThat(owner.getObjectAsBytes(b -> b.bucket("signed-only").key("doc")).asUtf8String()).isEqualTo("x");
        owner.putObject(b -> b.bucket("signed-only").key("fresh"), RequestBody.fromString("y"));

        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(stratus.endpoint()).region(stratus.region())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("111111111111", "test")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket("signed-only").key("doc"))).url().toURI();
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("<Code>AccessDenied</Code>");
        }

        // A request signed more than ten minutes before the server received it (the server's clock moved on).
        stratus.clock().advance(Duration.ofMinutes(11));
        try {
            assertS3Error(() -> owner.putObject(b -> b.bucket("signed-only").key("stale"), RequestBody.fromString("z")), 403, "AccessDenied");
        } finally {
            stratus.clock().reset();
        }
    }

    @Test
    void s3sOwnConditionKeysComeFromTheRequest() {
        owner.createBucket(b -> b.bucket("sealed"));
        owner.putBucketPolicy(b -> b.bucket("sealed").policy("{\"Statement\":["
                + "{\"Sid\":\"EncryptedPutsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::sealed/*\",\"Condition\":{\"StringNotEquals\":{\"s3:x-amz-server-side-encryption\":\"AES256\"}}},"
                + "{\"Sid\":\"ListPublicOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::sealed\",\"Condition\":{\"StringNotLike\":{\"s3:prefix\":\"public/*\"}}}]}"));

        assertS3Error(() -> owner.putObject(b -> b.bucket("sealed").key("a"), RequestBody.fromString("x")), 403, "AccessDenied");
        owner.putObject(b -> b.bucket("sealed").key("public/a").serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("x"));

        assertS3Error(() -> owner.listObjectsV2(b -> b.bucket("sealed")), 403, "AccessDenied");
        assertThat(owner.listObjectsV2(b -> b.bucket("sealed").prefix("public/")).contents()).extracting(S3Object::key).containsExactly("public/a");
    }

    @Test
    void policyVariablesStandForTheCallersOwnValues(Stratus stratus, StsClient sts) {
        owner.createBucket(b -> b.bucket("homes"));
        owner.putObject(b -> b.bucket("homes").key("partners/222222222222/report"), RequestBody.fromString("yours"));
        owner.putObject(b -> b.bucket("homes").key("partners/333333333333/report"), RequestBody.fromString("theirs"));
        owner.putBucketPolicy(b -> b.bucket("homes").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"OwnHomeOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"NotResource\":\"arn:aws:s3:::homes/home/${aws:userid}/*\"},"
                + "{\"Sid\":\"PartnersReadTheirs\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"222222222222\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::homes/partners/${aws:PrincipalAccount}/*\"}]}"));
        AssumeRoleResponse alice = sts.assumeRole(r -> r.roleArn("arn:aws:iam::111111111111:role/uploader").roleSessionName("alice"));
        AssumeRoleResponse bob = sts.assumeRole(r -> r.roleArn("arn:aws:iam::111111111111:role/uploader").roleSessionName("bob"));
        String aliceHome = "home/" + alice.assumedRoleUser().assumedRoleId() + "/";
        String bobHome = "home/" + bob.assumedRoleUser().assumedRoleId() + "/";

        try (S3Client asAlice = client(stratus, alice.credentials())) {
            asAlice.putObject(b -> b.bucket("homes").key(aliceHome + "notes.txt"), RequestBody.fromString("mine"));
            assertS3Error(() -> asAlice.putObject(b -> b.bucket("homes").key(bobHome + "notes.txt"), RequestBody.fromString("not mine")),
                    403, "AccessDenied");
        }
        assertS3Error(() -> owner.putObject(b -> b.bucket("homes").key(aliceHome + "x"), RequestBody.fromString("x")), 403, "AccessDenied");
        // The account's root user is its account id.
        owner.putObject(b -> b.bucket("homes").key("home/111111111111/x"), RequestBody.fromString("x"));

        assertThat(stranger.getObjectAsBytes(b -> b.bucket("homes").key("partners/222222222222/report")).asUtf8String()).isEqualTo("yours");
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("homes").key("partners/333333333333/report")), 403, "AccessDenied");
    }

    @Test
    void objectTagsAreConditionKeys() {
        owner.createBucket(b -> b.bucket("tagged"));
        owner.putObject(b -> b.bucket("tagged").key("prod/report").tagging("environment=production&team=a"), RequestBody.fromString("p"));
        owner.putObject(b -> b.bucket("tagged").key("dev/report").tagging("environment=dev"), RequestBody.fromString("d"));
        owner.putBucketPolicy(b -> b.bucket("tagged").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"PartnersReadProduction\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"222222222222\"},"
                + "\"Action\":[\"s3:GetObject\",\"s3:GetObjectTagging\"],\"Resource\":\"arn:aws:s3:::tagged/*\","
                + "\"Condition\":{\"StringEquals\":{\"s3:ExistingObjectTag/environment\":\"production\"}}},"
                + "{\"Sid\":\"ClassifiedUploadsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::tagged/*\",\"Condition\":{\"Null\":{\"s3:RequestObjectTag/classification\":\"true\"}}},"
                + "{\"Sid\":\"KnownTagKeysOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObjectTagging\","
                + "\"Resource\":\"arn:aws:s3:::tagged/*\",\"Condition\":{\"ForAnyValue:StringNotEquals\":"
                + "{\"s3:RequestObjectTagKeys\":[\"classification\",\"environment\"]}}}]}"));

        // s3:ExistingObjectTag/<key>: the tags of the object read.
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("tagged").key("prod/report")).asUtf8String()).isEqualTo("p");
        assertThat(stranger.headObject(b -> b.bucket("tagged").key("prod/report")).contentLength()).isEqualTo(1);
        assertThat(stranger.getObjectTagging(b -> b.bucket("tagged").key("prod/report")).tagSet()).hasSize(2);
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("tagged").key("dev/report")), 403, "AccessDenied");
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("tagged").key("missing")), 403, "AccessDenied");

        // s3:RequestObjectTag/<key>: the tags a write sets (x-amz-tagging, also on a multipart upload's creation).
        assertS3Error(() -> owner.putObject(b -> b.bucket("tagged").key("new"), RequestBody.fromString("n")), 403, "AccessDenied");
        assertS3Error(() -> owner.createMultipartUpload(b -> b.bucket("tagged").key("big")), 403, "AccessDenied");
        owner.putObject(b -> b.bucket("tagged").key("new").tagging("classification=internal"), RequestBody.fromString("n"));
        owner.createMultipartUpload(b -> b.bucket("tagged").key("big").tagging("classification=internal"));

        // s3:RequestObjectTagKeys: the keys of PutObjectTagging's tag set. Retagged, the object is what partners may read.
        assertS3Error(() -> owner.putObjectTagging(b -> b.bucket("tagged").key("dev/report")
                .tagging(t -> t.tagSet(s -> s.key("environment").value("production"), s -> s.key("owner").value("me")))), 403, "AccessDenied");
        owner.putObjectTagging(b -> b.bucket("tagged").key("dev/report").tagging(t -> t.tagSet(s -> s.key("environment").value("production"))));
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("tagged").key("dev/report")).asUtf8String()).isEqualTo("d");
    }

    private static S3Client client(Stratus stratus, Credentials session) {
        return stratus.configure(S3Client.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
                .forcePathStyle(true)
                .build();
    }

    @Test
    void blockPublicAccessKeepsPublicPoliciesOutUntilTurnedOff() {
        owner.createBucket(b -> b.bucket("website"));
        owner.putObject(b -> b.bucket("website").key("index.html"), RequestBody.fromString("<h1>hi</h1>"));
        String publicRead = allow("\"*\"", "\"s3:GetObject\"", "arn:aws:s3:::website/*");

        assertThatThrownBy(() -> owner.putBucketPolicy(b -> b.bucket("website").policy(publicRead)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .contains("because public policies are blocked by the BlockPublicPolicy block public access setting");
                });

        owner.putPublicAccessBlock(b -> b.bucket("website").publicAccessBlockConfiguration(c -> c.blockPublicPolicy(false)
                .restrictPublicBuckets(true).blockPublicAcls(true).ignorePublicAcls(true)));
        owner.putBucketPolicy(b -> b.bucket("website").policy(publicRead));
        assertS3Error(() -> stranger.getObjectAsBytes(b -> b.bucket("website").key("index.html")), 403, "AccessDenied");

        owner.putPublicAccessBlock(b -> b.bucket("website").publicAccessBlockConfiguration(c -> c.blockPublicPolicy(false)
                .restrictPublicBuckets(false)));
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("website").key("index.html")).asUtf8String()).isEqualTo("<h1>hi</h1>");
    }

    /** Deleting the Block Public Access configuration leaves none, not the default: nothing is blocked. */
    @Test
    void deletingBlockPublicAccessUnblocksPublicPolicies() {
        owner.createBucket(b -> b.bucket("unblocked"));
        owner.putObject(b -> b.bucket("unblocked").key("index.html"), RequestBody.fromString("open"));
        assertThat(owner.getPublicAccessBlock(b -> b.bucket("unblocked")).publicAccessBlockConfiguration().blockPublicPolicy()).isTrue();

        owner.deletePublicAccessBlock(b -> b.bucket("unblocked"));

        assertS3Error(() -> owner.getPublicAccessBlock(b -> b.bucket("unblocked")), 404, "NoSuchPublicAccessBlockConfiguration");
        owner.putBucketPolicy(b -> b.bucket("unblocked").policy(allow("\"*\"", "\"s3:GetObject\"", "arn:aws:s3:::unblocked/*")));
        assertThat(stranger.getObjectAsBytes(b -> b.bucket("unblocked").key("index.html")).asUtf8String()).isEqualTo("open");
    }

    @Test
    void aConditionOnTheSourceAccountIsNotPublic() {
        owner.createBucket(b -> b.bucket("logs-sink"));
        owner.putBucketPolicy(b -> b.bucket("logs-sink").policy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::logs-sink/*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":\"222222222222\"}}}]}"));

        stranger.putObject(b -> b.bucket("logs-sink").key("from-222"), RequestBody.fromString("ok"));
        assertThat(owner.headObject(b -> b.bucket("logs-sink").key("from-222")).contentLength()).isEqualTo(2);
    }

    @Test
    void malformedPoliciesAreRefused() {
        owner.createBucket(b -> b.bucket("strict-policies"));

        assertThatThrownBy(() -> owner.putBucketPolicy(b -> b.bucket("strict-policies")
                .policy("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::strict-policies/*\"}]}")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicy");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Missing required field Principal");
                });
        assertS3Error(() -> owner.putBucketPolicy(b -> b.bucket("strict-policies").policy("{\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"222222222222\"},\"Action\":\"s3:GetObject\",\"Condition\":{\"Sorta\":{\"a\":\"b\"}}}]}")), 400, "MalformedPolicy");
    }

    @Test
    void actionsAndResourcesAreCheckedAsS3ChecksThem() {
        owner.createBucket(b -> b.bucket("checked-policies"));
        String account = "{\"AWS\":\"222222222222\"}";
        Map<String, String> refused = Map.of(
                allow(account, "\"s3:GetObjects\"", "arn:aws:s3:::checked-policies/*"), "Policy has invalid action",
                allow(account, "\"sqs:SendMessage\"", "arn:aws:s3:::checked-policies/*"), "Policy has invalid action",
                allow(account, "\"s3:GetObject\"", "arn:aws:s3:::another-bucket/*"), "Policy has invalid resource",
                allow(account, "\"s3:*\"", "*"), "Policy has invalid resource",
                allow(account, "[\"s3:PutObject\"]", "arn:aws:s3:::checked-policies"), "Action does not apply to any resource(s) in statement",
                allow(account, "[\"s3:GetObject\",\"s3:ListBucket\"]", "arn:aws:s3:::checked-policies/*"),
                "Action does not apply to any resource(s) in statement",
                allow(account, "\"s3:ListAllMyBuckets\"", "arn:aws:s3:::checked-policies"), "Action does not apply to any resource(s) in statement");
        refused.forEach((policy, message) -> assertThatThrownBy(() -> owner.putBucketPolicy(b -> b.bucket("checked-policies").policy(policy)))
                .as(policy).isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicy");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
                }));
        assertThatThrownBy(() -> owner.getBucketPolicy(b -> b.bucket("checked-policies"))).isInstanceOf(S3Exception.class);

        // Wildcards name what they match; an action that applies to some of the resources is enough.
        for (String policy : List.of(allow(account, "\"s3:Get*\"", "arn:aws:s3:::checked-policies"),
                allow(account, "[\"s3:*\"]", "arn:aws:s3:::checked-policies/photos/*"),
                allow(account, "\"*\"", "arn:aws:s3:::checked-*"),
                "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotAction\":\"s3:GetObject\","
                        + "\"Resource\":[\"arn:aws:s3:::checked-policies\",\"arn:aws:s3:::checked-policies/*\"]},"
                        + "{\"Effect\":\"Allow\",\"Principal\":" + account + ",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
                        + "\"Resource\":[\"arn:aws:s3:::checked-policies\",\"arn:aws:s3:::checked-policies/*\"]}]}")) {
            owner.putBucketPolicy(b -> b.bucket("checked-policies").policy(policy));
        }
    }
}
