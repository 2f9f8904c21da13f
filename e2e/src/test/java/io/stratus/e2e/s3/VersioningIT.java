package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

@StratusTest
class VersioningIT {

    private static void enable(S3Client s3, String bucket, BucketVersioningStatus status) {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(status)));
    }

    @Test
    void everyWriteKeepsAVersion(S3Client s3) {
        s3.createBucket(b -> b.bucket("versioned"));
        assertThat(s3.getBucketVersioning(b -> b.bucket("versioned")).status()).isNull();
        s3.putObject(b -> b.bucket("versioned").key("k"), RequestBody.fromString("before versioning"));
        enable(s3, "versioned", BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(b -> b.bucket("versioned")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(b -> b.bucket("versioned")).mfaDelete()).isNull();
        // MFA delete said Disabled is echoed from then on, as S3 does (Terraform reads it back).
        s3.putBucketVersioning(b -> b.bucket("versioned").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)
                .mfaDelete(software.amazon.awssdk.services.s3.model.MFADelete.DISABLED)));
        assertThat(s3.getBucketVersioning(b -> b.bucket("versioned")).mfaDeleteAsString()).isEqualTo("Disabled");
        enable(s3, "versioned", BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(b -> b.bucket("versioned")).mfaDeleteAsString()).isEqualTo("Disabled");

        String v1 = s3.putObject(b -> b.bucket("versioned").key("k"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket("versioned").key("k"), RequestBody.fromString("two")).versionId();
        assertThat(v1).isNotNull().isNotEqualTo(v2);

        assertThat(s3.getObjectAsBytes(b -> b.bucket("versioned").key("k")).asUtf8String()).isEqualTo("two");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("versioned").key("k").versionId(v1)).asUtf8String()).isEqualTo("one");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("versioned").key("k").versionId("null")).asUtf8String()).isEqualTo("before versioning");
        assertThat(s3.getObject(b -> b.bucket("versioned").key("k"), software.amazon.awssdk.core.sync.ResponseTransformer.toBytes())
                .response().versionId()).isEqualTo(v2);

        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket("versioned"));
        assertThat(versions.versions()).extracting(ObjectVersion::versionId).containsExactly(v2, v1, "null");
        assertThat(versions.versions()).extracting(ObjectVersion::isLatest).containsExactly(true, false, false);
    }

    @Test
    void deletesLeaveMarkersAndVersionsCanBeRemoved(S3Client s3) {
        s3.createBucket(b -> b.bucket("markers"));
        enable(s3, "markers", BucketVersioningStatus.ENABLED);
        String v1 = s3.putObject(b -> b.bucket("markers").key("k"), RequestBody.fromString("one")).versionId();

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket("markers").key("k"));
        assertThat(deleted.deleteMarker()).isTrue();
        String marker = deleted.versionId();
        assertS3Error(() -> s3.getObject(b -> b.bucket("markers").key("k")), 404, "NoSuchKey");
        assertS3Error(() -> s3.getObject(b -> b.bucket("markers").key("k").versionId(marker)), 405, "MethodNotAllowed");
        assertThat(s3.listObjectsV2(b -> b.bucket("markers")).contents()).isEmpty();
        ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket("markers"));
        assertThat(listed.deleteMarkers()).extracting(DeleteMarkerEntry::versionId).containsExactly(marker);
        assertThat(listed.deleteMarkers()).extracting(DeleteMarkerEntry::isLatest).containsExactly(true);
        assertThat(listed.versions()).extracting(ObjectVersion::versionId).containsExactly(v1);

        // Removing the marker brings the object back.
        s3.deleteObject(b -> b.bucket("markers").key("k").versionId(marker));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("markers").key("k")).asUtf8String()).isEqualTo("one");
        assertThat(s3.listObjectsV2(b -> b.bucket("markers")).contents()).extracting(S3Object::key).containsExactly("k");

        s3.deleteObject(b -> b.bucket("markers").key("k").versionId(v1));
        assertS3Error(() -> s3.getObject(b -> b.bucket("markers").key("k").versionId(v1)), 404, "NoSuchVersion");
        assertS3Error(() -> s3.getObject(b -> b.bucket("markers").key("k").versionId("not-a-version-id")), 400, "InvalidArgument");
        s3.deleteBucket(b -> b.bucket("markers"));
    }

    @Test
    void deleteMarkersHideKeysAndTheirCommonPrefixes(S3Client s3) {
        s3.createBucket(b -> b.bucket("hidden"));
        enable(s3, "hidden", BucketVersioningStatus.ENABLED);
        s3.putObject(b -> b.bucket("hidden").key("gone/a"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket("hidden").key("kept/b"), RequestBody.fromString("b"));
        s3.deleteObject(b -> b.bucket("hidden").key("gone/a"));

        assertThat(s3.listObjectsV2(b -> b.bucket("hidden").delimiter("/")).commonPrefixes())
                .extracting(software.amazon.awssdk.services.s3.model.CommonPrefix::prefix).containsExactly("kept/");
        assertThat(s3.listObjects(b -> b.bucket("hidden")).contents()).extracting(S3Object::key).containsExactly("kept/b");
    }

    @Test
    void listObjectVersionsRollsUpCommonPrefixesAndPages(S3Client s3) {
        s3.createBucket(b -> b.bucket("version-pages"));
        enable(s3, "version-pages", BucketVersioningStatus.ENABLED);
        for (String key : new String[] {"a.txt", "a.txt", "dir/1", "dir/2", "z.txt"}) {
            s3.putObject(b -> b.bucket("version-pages").key(key), RequestBody.fromString(key));
        }

        ListObjectVersionsResponse top = s3.listObjectVersions(b -> b.bucket("version-pages").delimiter("/"));
        assertThat(top.versions()).extracting(ObjectVersion::key).containsExactly("a.txt", "a.txt", "z.txt");
        assertThat(top.commonPrefixes()).extracting(software.amazon.awssdk.services.s3.model.CommonPrefix::prefix).containsExactly("dir/");

        ListObjectVersionsResponse first = s3.listObjectVersions(b -> b.bucket("version-pages").maxKeys(1));
        assertThat(first.isTruncated()).isTrue();
        ListObjectVersionsResponse second = s3.listObjectVersions(b -> b.bucket("version-pages").maxKeys(10)
                .keyMarker(first.nextKeyMarker()).versionIdMarker(first.nextVersionIdMarker()));
        assertThat(second.versions()).extracting(ObjectVersion::key).containsExactly("a.txt", "dir/1", "dir/2", "z.txt");
        assertThat(second.versions().getFirst().versionId()).isNotEqualTo(first.versions().getFirst().versionId());

        ListObjectVersionsResponse none = s3.listObjectVersions(b -> b.bucket("version-pages").maxKeys(0));
        assertThat(none.versions()).isEmpty();
        assertThat(none.isTruncated()).isFalse();
        assertThat(none.nextKeyMarker()).isNull();
        assertThat(none.nextVersionIdMarker()).isNull();

        assertThatThrownBy(() -> s3.listObjectVersions(b -> b.bucket("version-pages").versionIdMarker(first.nextVersionIdMarker())))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("A version-id marker cannot be specified without a key marker.");
                });
    }

    @Test
    void aBucketWithOnlyOldVersionsIsNotEmpty(S3Client s3) {
        s3.createBucket(b -> b.bucket("old-versions"));
        enable(s3, "old-versions", BucketVersioningStatus.ENABLED);
        s3.putObject(b -> b.bucket("old-versions").key("k"), RequestBody.fromString("x"));
        s3.deleteObject(b -> b.bucket("old-versions").key("k"));

        assertS3Error(() -> s3.deleteBucket(b -> b.bucket("old-versions")), 409, "BucketNotEmpty");
    }

    @Test
    void suspendedVersioningOverwritesTheNullVersion(S3Client s3) {
        s3.createBucket(b -> b.bucket("suspended"));
        enable(s3, "suspended", BucketVersioningStatus.ENABLED);
        String kept = s3.putObject(b -> b.bucket("suspended").key("k"), RequestBody.fromString("kept")).versionId();
        enable(s3, "suspended", BucketVersioningStatus.SUSPENDED);
        s3.putObject(b -> b.bucket("suspended").key("k"), RequestBody.fromString("null one"));
        s3.putObject(b -> b.bucket("suspended").key("k"), RequestBody.fromString("null two"));

        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket("suspended")).versions();
        assertThat(versions).extracting(ObjectVersion::versionId).containsExactly("null", kept);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("suspended").key("k")).asUtf8String()).isEqualTo("null two");
    }

    @Test
    void unversionedBucketsListTheirObjectsAsNullVersions(S3Client s3) {
        s3.createBucket(b -> b.bucket("never-versioned"));
        s3.putObject(b -> b.bucket("never-versioned").key("a"), RequestBody.fromString("a"));

        assertThat(s3.listObjectVersions(b -> b.bucket("never-versioned")).versions()).singleElement()
                .satisfies(v -> {
                    assertThat(v.versionId()).isEqualTo("null");
                    assertThat(v.isLatest()).isTrue();
                });
        assertS3Error(() -> s3.putBucketVersioning(b -> b.bucket("never-versioned").versioningConfiguration(c -> c.status("Sometimes"))),
                400, "MalformedXML");
    }

    /** As S3 lists them: one sequence of versions and delete markers, by key and newest first, not versions then markers. */
    @Test
    void versionsAndMarkersAreListedTogetherByKeyNewestFirst(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("interleaved"));
        enable(s3, "interleaved", BucketVersioningStatus.ENABLED);
        String a1 = s3.putObject(b -> b.bucket("interleaved").key("a"), RequestBody.fromString("a")).versionId();
        String aMarker = s3.deleteObject(b -> b.bucket("interleaved").key("a")).versionId();
        String b1 = s3.putObject(b -> b.bucket("interleaved").key("b"), RequestBody.fromString("b")).versionId();
        String bMarker = s3.deleteObject(b -> b.bucket("interleaved").key("b")).versionId();
        String b2 = s3.putObject(b -> b.bucket("interleaved").key("b"), RequestBody.fromString("b again")).versionId();

        String body = S3Assertions.send(stratus, "GET", "/interleaved?versions").body();
        List<String> order = new java.util.ArrayList<>();
        java.util.regex.Matcher entry = java.util.regex.Pattern.compile("<(Version|DeleteMarker)><Key>(\\w)</Key><VersionId>(\\w+)</VersionId>")
                .matcher(body);
        while (entry.find()) {
            order.add(entry.group(1) + " " + entry.group(2) + " " + entry.group(3));
        }
        assertThat(order).containsExactly("DeleteMarker a " + aMarker, "Version a " + a1, "Version b " + b2, "DeleteMarker b " + bMarker,
                "Version b " + b1);
        // The SDK still reads them into its two lists.
        ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket("interleaved"));
        assertThat(listed.versions()).extracting(ObjectVersion::versionId).containsExactly(a1, b2, b1);
        assertThat(listed.deleteMarkers()).extracting(DeleteMarkerEntry::versionId).containsExactly(aMarker, bMarker);
    }

    @Test
    void aMalformedVersionIdNamesTheArgument(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("bad-ids"));
        enable(s3, "bad-ids", BucketVersioningStatus.ENABLED);
        s3.putObject(b -> b.bucket("bad-ids").key("k"), RequestBody.fromString("x"));

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("bad-ids").key("k").versionId("garbage")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid version id specified");
                });
        assertThat(S3Assertions.send(stratus, "GET", "/bad-ids/k?versionId=garbage").body())
                .contains("<ArgumentName>versionId</ArgumentName><ArgumentValue>garbage</ArgumentValue>");
        assertThat(S3Assertions.send(stratus, "DELETE", "/bad-ids/k?versionId=garbage").body())
                .contains("<ArgumentName>versionId</ArgumentName><ArgumentValue>garbage</ArgumentValue>");
        assertThat(S3Assertions.send(stratus, "GET", "/bad-ids?versions&key-marker=k&version-id-marker=garbage").body())
                .contains("<Message>Invalid version id specified</Message>")
                .contains("<ArgumentName>version-id-marker</ArgumentName><ArgumentValue>garbage</ArgumentValue>");
    }

    @Test
    void deleteObjectsReportsTheMarkersItCreatesAndRemoves(S3Client s3) {
        s3.createBucket(b -> b.bucket("batch-markers"));
        enable(s3, "batch-markers", BucketVersioningStatus.ENABLED);
        String v1 = s3.putObject(b -> b.bucket("batch-markers").key("k"), RequestBody.fromString("one")).versionId();

        DeletedObject created = s3.deleteObjects(b -> b.bucket("batch-markers").delete(d -> d.objects(o -> o.key("k")))).deleted().getFirst();
        assertThat(created.deleteMarker()).isTrue();
        assertThat(created.versionId()).isNull();
        String marker = created.deleteMarkerVersionId();
        assertThat(marker).isNotNull().isNotEqualTo(v1);

        DeletedObject removed = s3.deleteObjects(b -> b.bucket("batch-markers").delete(d -> d.objects(o -> o.key("k").versionId(marker))))
                .deleted().getFirst();
        assertThat(removed.deleteMarker()).isTrue();
        assertThat(removed.versionId()).isEqualTo(marker);
        assertThat(removed.deleteMarkerVersionId()).isEqualTo(marker);

        DeletedObject version = s3.deleteObjects(b -> b.bucket("batch-markers").delete(d -> d.objects(o -> o.key("k").versionId(v1))))
                .deleted().getFirst();
        assertThat(version.deleteMarker()).isNull();
        assertThat(version.versionId()).isEqualTo(v1);
        assertThat(version.deleteMarkerVersionId()).isNull();
    }

    /** AWS's recipe to restore a version: copy it onto its own key, where it becomes the current version. */
    @Test
    void copyingAnOlderVersionOntoItsKeyRestoresIt(S3Client s3) {
        s3.createBucket(b -> b.bucket("restore"));
        enable(s3, "restore", BucketVersioningStatus.ENABLED);
        String v1 = s3.putObject(b -> b.bucket("restore").key("k"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket("restore").key("k"), RequestBody.fromString("two")).versionId();

        CopyObjectResponse restored = s3.copyObject(b -> b.sourceBucket("restore").sourceKey("k").sourceVersionId(v1)
                .destinationBucket("restore").destinationKey("k"));
        assertThat(restored.copySourceVersionId()).isEqualTo(v1);
        assertThat(restored.versionId()).isNotNull().isNotIn(v1, v2);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("restore").key("k")).asUtf8String()).isEqualTo("one");
        assertThat(s3.listObjectVersions(b -> b.bucket("restore")).versions()).extracting(ObjectVersion::versionId)
                .containsExactly(restored.versionId(), v2, v1);

        // Also when the key's current version is a delete marker.
        String marker = s3.deleteObject(b -> b.bucket("restore").key("k")).versionId();
        String again = s3.copyObject(b -> b.sourceBucket("restore").sourceKey("k").sourceVersionId(v2)
                .destinationBucket("restore").destinationKey("k")).versionId();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("restore").key("k")).asUtf8String()).isEqualTo("two");
        assertThat(s3.getObject(b -> b.bucket("restore").key("k"), software.amazon.awssdk.core.sync.ResponseTransformer.toBytes())
                .response().versionId()).isEqualTo(again);

        // The current object without a version id, unchanged, is still no copy; a delete marker is no source.
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket("restore").sourceKey("k").destinationBucket("restore").destinationKey("k")),
                400, "InvalidRequest");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket("restore").sourceKey("k").sourceVersionId(marker)
                .destinationBucket("restore").destinationKey("k")), 400, "InvalidRequest");
    }
}
