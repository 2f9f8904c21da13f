package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

@StratusTest
class BucketIT {

    @Test
    void createHeadListAndDeleteABucket(S3Client s3) {
        s3.createBucket(b -> b.bucket("lifecycle-bucket"));

        assertThat(s3.headBucket(b -> b.bucket("lifecycle-bucket")).bucketRegion()).isEqualTo("us-east-1");
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains("lifecycle-bucket");
        assertThat(s3.getBucketLocation(b -> b.bucket("lifecycle-bucket")).locationConstraintAsString()).isEmpty();

        s3.deleteBucket(b -> b.bucket("lifecycle-bucket"));
        assertS3Error(() -> s3.headBucket(b -> b.bucket("lifecycle-bucket")), 404, null);
        assertS3Error(() -> s3.deleteBucket(b -> b.bucket("lifecycle-bucket")), 404, "NoSuchBucket");
    }

    /** Raw HTTP: the SDK refuses most of these names before sending them. */
    @ParameterizedTest
    @ValueSource(strings = {"ab", "Upper-Case", "under_score", "-starts-with-dash", "ends-with-dash-", "two..dots", "192.168.1.1",
            "xn--reserved", "bucket-s3alias", "a-bucket-name-that-is-far-too-long-for-s3-to-accept-as-a-name-ok"})
    void invalidNamesAreRefused(String name, Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            String response = raw.send("PUT /" + name + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n").readResponse();
            assertThat(response).startsWith("HTTP/1.1 400").contains("<Code>InvalidBucketName</Code>").contains("<BucketName>" + name + "</BucketName>");
        }
    }

    @Test
    void locationConstraintsFollowTheEndpointsRegion(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("in-ireland").createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1)));
        assertThat(s3.getBucketLocation(b -> b.bucket("in-ireland")).locationConstraint()).isEqualTo(BucketLocationConstraint.EU_WEST_1);
        assertThat(s3.headBucket(b -> b.bucket("in-ireland")).bucketRegion()).isEqualTo("eu-west-1");

        assertS3Error(() -> s3.createBucket(b -> b.bucket("explicit-us-east-1").createBucketConfiguration(c -> c.locationConstraint("us-east-1"))),
                400, "InvalidLocationConstraint");
        assertS3Error(() -> s3.createBucket(b -> b.bucket("nowhere").createBucketConfiguration(c -> c.locationConstraint("mars-north-1"))),
                400, "InvalidLocationConstraint");

        try (S3Client frankfurt = stratus.configure(S3Client.builder()).region(Region.EU_CENTRAL_1).build()) {
            // The SDK fills the endpoint's region in as the constraint; a different one is refused.
            frankfurt.createBucket(b -> b.bucket("in-frankfurt"));
            assertThat(frankfurt.getBucketLocation(b -> b.bucket("in-frankfurt")).locationConstraintAsString()).isEqualTo("eu-central-1");
            assertS3Error(() -> frankfurt.createBucket(b -> b.bucket("not-here").createBucketConfiguration(c -> c.locationConstraint("eu-west-2"))),
                    400, "IllegalLocationConstraintException");
        }
    }

    /** {@code EU}, S3's first name for eu-west-1, is still accepted, and read back as given. */
    @Test
    void theEuLocationConstraintIsEuWest1(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("in-eu").createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU)));
        assertThat(s3.getBucketLocation(b -> b.bucket("in-eu")).locationConstraint()).isEqualTo(BucketLocationConstraint.EU);
        assertThat(s3.headBucket(b -> b.bucket("in-eu")).bucketRegion()).isEqualTo("eu-west-1");
        assertThat(s3.listBuckets(b -> b.prefix("in-eu")).buckets()).singleElement().satisfies(bucket -> assertThat(bucket.bucketRegion()).isEqualTo("eu-west-1"));

        try (S3Client ireland = stratus.configure(S3Client.builder()).region(Region.EU_WEST_1).build();
                S3Client frankfurt = stratus.configure(S3Client.builder()).region(Region.EU_CENTRAL_1).build()) {
            ireland.createBucket(b -> b.bucket("in-eu-from-ireland").createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU)));
            assertThat(ireland.getBucketLocation(b -> b.bucket("in-eu-from-ireland")).locationConstraint()).isEqualTo(BucketLocationConstraint.EU);
            assertThatThrownBy(() -> frankfurt.createBucket(b -> b.bucket("in-eu-from-frankfurt")
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IllegalLocationConstraintException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The EU location constraint is incompatible for the region specific endpoint this request was sent to.");
                    });
        }
    }

    @Test
    void creatingAnOwnedBucketAgain(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("owned-twice"));
        // us-east-1 answers a repeated create of one's own bucket with success, as AWS does.
        s3.createBucket(b -> b.bucket("owned-twice"));

        s3.createBucket(b -> b.bucket("owned-in-ireland").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        assertS3Error(() -> s3.createBucket(b -> b.bucket("owned-in-ireland").createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))),
                409, "BucketAlreadyOwnedByYou");

        try (S3Client other = stratus.configure(S3Client.builder())
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("111122223333", "test")).build()) {
            assertS3Error(() -> other.createBucket(b -> b.bucket("owned-twice")), 409, "BucketAlreadyExists");
            assertS3Error(() -> other.headBucket(b -> b.bucket("owned-twice")), 403, null);
            assertThat(other.listBuckets().buckets()).extracting(Bucket::name).doesNotContain("owned-twice");
        }
    }

    @Test
    void aBucketWithObjectsIsNotDeleted(S3Client s3) {
        s3.createBucket(b -> b.bucket("not-empty"));
        s3.putObject(b -> b.bucket("not-empty").key("k"), RequestBody.fromString("x"));

        assertS3Error(() -> s3.deleteBucket(b -> b.bucket("not-empty")), 409, "BucketNotEmpty");

        s3.deleteObject(b -> b.bucket("not-empty").key("k"));
        s3.deleteBucket(b -> b.bucket("not-empty"));
    }

    @Test
    void listBucketsPagesByName(S3Client s3) {
        for (String name : new String[] {"page-c", "page-a", "page-b"}) {
            s3.createBucket(b -> b.bucket(name));
        }
        ListBucketsResponse first = s3.listBuckets(b -> b.prefix("page-").maxBuckets(2));
        assertThat(first.buckets()).extracting(Bucket::name).containsExactly("page-a", "page-b");
        assertThat(first.continuationToken()).isNotNull();
        assertThat(first.owner().id()).hasSize(64);

        ListBucketsResponse second = s3.listBuckets(b -> b.prefix("page-").maxBuckets(2).continuationToken(first.continuationToken()));
        assertThat(second.buckets()).extracting(Bucket::name).containsExactly("page-c");
        assertThat(second.continuationToken()).isNull();

        assertS3Error(() -> s3.listBuckets(b -> b.maxBuckets(0)), 400, "InvalidArgument");
        assertS3Error(() -> s3.listBuckets(b -> b.continuationToken("garbage")), 400, "InvalidArgument");
    }
}
