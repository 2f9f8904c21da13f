package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;

/**
 * The ETag of a copy. S3 copies an object in one action, so a copy of a multipart object is an
 * object uploaded whole: its ETag is the MD5 of its bytes, not its source's
 * {@code <md5 of the part MD5s>-N}, and it has no parts.
 */
@StratusTest
class CopyEtagIT {

    private static final String BUCKET = "copy-etags";
    private static final int PART = 5 * 1024 * 1024;

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String md5(byte[]... pieces) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (byte[] piece : pieces) {
            md5.update(piece);
        }
        return "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
    }

    /** Uploads {@code first} and {@code second} as a two-part object; its ETag. */
    private static String multipart(S3Client s3, String key, byte[] first, byte[] second) {
        s3.createBucket(b -> b.bucket(BUCKET));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        String one = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(first)).eTag();
        String two = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2), RequestBody.fromBytes(second)).eTag();
        return s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(one).build(), CompletedPart.builder().partNumber(2).eTag(two).build()))).eTag();
    }

    private static void assertSinglePart(S3Client s3, String key, String etag) {
        HeadObjectResponse part = s3.headObject(b -> b.bucket(BUCKET).key(key).partNumber(1));
        assertThat(part.eTag()).isEqualTo(etag);
        assertThat(part.partsCount()).isNull();
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(BUCKET).key(key)
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS));
        assertThat(attributes.eTag()).isEqualTo(etag.replace("\"", ""));
        assertThat(attributes.objectParts()).isNull();
    }

    @Test
    void aCopyOfAMultipartObjectHasTheMd5OfItsBytesAsItsEtag(S3Client s3) throws Exception {
        byte[] first = bytes(PART, 1);
        byte[] second = bytes(1234, 2);
        String sourceEtag = multipart(s3, "source", first, second);
        assertThat(sourceEtag).endsWith("-2\"");

        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("source").destinationBucket(BUCKET).destinationKey("copy"));
        String expected = md5(first, second);
        assertThat(copied.copyObjectResult().eTag()).isEqualTo(expected);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("copy")).eTag()).isEqualTo(expected);
        assertSinglePart(s3, "copy", expected);
        // The source is untouched, and the copy reads back the same bytes.
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("source")).eTag()).isEqualTo(sourceEtag);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy")).asByteArray()).hasSize(PART + 1234);

        // A copy of the copy keeps that ETag.
        CopyObjectResponse again = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy").destinationBucket(BUCKET).destinationKey("copy-2"));
        assertThat(again.copyObjectResult().eTag()).isEqualTo(expected);
    }

    @Test
    void aCopyOntoItselfOrOfAVersionGetsTheMd5Too(S3Client s3) throws Exception {
        byte[] first = bytes(PART, 3);
        byte[] second = bytes(10, 4);
        multipart(s3, "in-place", first, second);
        String expected = md5(first, second);

        CopyObjectResponse replaced = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("in-place").destinationBucket(BUCKET)
                .destinationKey("in-place").metadataDirective(MetadataDirective.REPLACE).metadata(java.util.Map.of("new", "metadata")));
        assertThat(replaced.copyObjectResult().eTag()).isEqualTo(expected);
        assertSinglePart(s3, "in-place", expected);

        s3.createBucket(b -> b.bucket("copy-etag-versions"));
        s3.putBucketVersioning(b -> b.bucket("copy-etag-versions").versioningConfiguration(v -> v.status("Enabled")));
        String uploadId = s3.createMultipartUpload(b -> b.bucket("copy-etag-versions").key("v")).uploadId();
        String one = s3.uploadPart(b -> b.bucket("copy-etag-versions").key("v").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(first)).eTag();
        String version = s3.completeMultipartUpload(b -> b.bucket("copy-etag-versions").key("v").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(one).build()))).versionId();
        s3.putObject(b -> b.bucket("copy-etag-versions").key("v"), RequestBody.fromString("newer"));
        CopyObjectResponse restored = s3.copyObject(b -> b.sourceBucket("copy-etag-versions").sourceKey("v").sourceVersionId(version)
                .destinationBucket("copy-etag-versions").destinationKey("v"));
        assertThat(restored.copyObjectResult().eTag()).isEqualTo(md5(first));
        assertThat(s3.headObject(b -> b.bucket("copy-etag-versions").key("v")).eTag()).isEqualTo(md5(first));
    }

    @Test
    void aCopyOfAnObjectUploadedWholeKeepsItsEtag(S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        byte[] data = bytes(20_000, 5);
        s3.putObject(b -> b.bucket(BUCKET).key("whole"), RequestBody.fromBytes(data));
        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("whole").destinationBucket(BUCKET).destinationKey("whole-copy"));
        assertThat(copied.copyObjectResult().eTag()).isEqualTo(md5(data));
    }
}
