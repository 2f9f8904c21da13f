package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Checksums of copies. S3 copies an object in one action whether it was uploaded whole or in
 * parts, so a copy's checksum is always of its whole content ({@code FULL_OBJECT}): a multipart
 * source's composite checksum ({@code <checksum of the part checksums>-N}) is not carried over but
 * computed again, in the source's algorithm or the one the copy asks for
 * ({@code x-amz-checksum-algorithm}). UploadPartCopy gives the copied part the upload's checksum.
 */
@StratusTest
class CopyChecksumIT {

    private static final String BUCKET = "copy-checksums";
    private static final int PART = 5 * 1024 * 1024;
    private static final software.amazon.awssdk.services.s3.model.ChecksumAlgorithm SDK_SHA256 =
            software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256;
    private static final software.amazon.awssdk.services.s3.model.ChecksumAlgorithm SDK_CRC32 =
            software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32;

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Uploads {@code first} and {@code second} as two parts of a multipart upload with {@code algorithm}, composite by default. */
    private static CompleteMultipartUploadResponse multipart(S3Client s3, String key, byte[] first, byte[] second,
            software.amazon.awssdk.services.s3.model.ChecksumAlgorithm algorithm, ChecksumType type) {
        s3.createBucket(b -> b.bucket(BUCKET)); // us-east-1 answers 200 for one's own bucket again
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm).checksumType(type)).uploadId();
        UploadPartResponse one = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1).checksumAlgorithm(algorithm),
                RequestBody.fromBytes(first));
        UploadPartResponse two = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2).checksumAlgorithm(algorithm),
                RequestBody.fromBytes(second));
        return s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
                completed(1, one.eTag(), one.checksumSHA256(), one.checksumCRC32()),
                completed(2, two.eTag(), two.checksumSHA256(), two.checksumCRC32()))));
    }

    private static CompletedPart completed(int number, String etag, String sha256, String crc32) {
        return CompletedPart.builder().partNumber(number).eTag(etag).checksumSHA256(sha256).checksumCRC32(crc32).build();
    }

    private static HeadObjectResponse head(S3Client s3, String key) {
        return s3.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    }

    private static GetObjectAttributesResponse attributes(S3Client s3, String key) {
        return s3.getObjectAttributes(b -> b.bucket(BUCKET).key(key).objectAttributes(ObjectAttributes.CHECKSUM, ObjectAttributes.E_TAG));
    }

    @Test
    void copyOfACompositeMultipartObjectHasTheFullObjectChecksumOfItsAlgorithm(S3Client s3) {
        byte[] first = bytes(PART, 1);
        byte[] second = bytes(1000, 2);
        String whole = ChecksumAlgorithm.SHA256.compute(concat(first, second));
        CompleteMultipartUploadResponse source = multipart(s3, "composite-sha256", first, second, SDK_SHA256, null);
        assertThat(source.checksumSHA256()).endsWith("-2").isNotEqualTo(whole);
        assertThat(head(s3, "composite-sha256").checksumType()).isEqualTo(ChecksumType.COMPOSITE);

        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("composite-sha256").destinationBucket(BUCKET)
                .destinationKey("copy-sha256"));
        assertThat(copied.copyObjectResult().checksumSHA256()).isEqualTo(whole);
        assertThat(copied.copyObjectResult().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

        HeadObjectResponse head = head(s3, "copy-sha256");
        assertThat(head.checksumSHA256()).isEqualTo(whole);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        GetObjectAttributesResponse attributes = attributes(s3, "copy-sha256");
        assertThat(attributes.checksum().checksumSHA256()).isEqualTo(whole);
        assertThat(attributes.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        // The SDK validates a full-object checksum while it reads: the copy reads back whole and checked.
        var read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy-sha256").checksumMode(ChecksumMode.ENABLED));
        assertThat(read.response().checksumSHA256()).isEqualTo(whole);
        assertThat(read.asByteArray()).isEqualTo(concat(first, second));

        // The source keeps its composite checksum.
        assertThat(head(s3, "composite-sha256").checksumSHA256()).isEqualTo(source.checksumSHA256());
    }

    @Test
    void copyMayAskForAnotherAlgorithm(S3Client s3) {
        byte[] first = bytes(PART, 3);
        byte[] second = bytes(77, 4);
        byte[] all = concat(first, second);
        multipart(s3, "composite-crc32", first, second, SDK_CRC32, null);

        CopyObjectResponse sameAlgorithm = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("composite-crc32").destinationBucket(BUCKET)
                .destinationKey("copy-crc32"));
        assertThat(sameAlgorithm.copyObjectResult().checksumCRC32()).isEqualTo(ChecksumAlgorithm.CRC32.compute(all));
        assertThat(sameAlgorithm.copyObjectResult().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

        CopyObjectResponse crc32c = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("composite-crc32").destinationBucket(BUCKET)
                .destinationKey("copy-crc32c").checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C));
        String expected = ChecksumAlgorithm.CRC32C.compute(all);
        assertThat(crc32c.copyObjectResult().checksumCRC32C()).isEqualTo(expected);
        assertThat(crc32c.copyObjectResult().checksumCRC32()).isNull();
        HeadObjectResponse head = head(s3, "copy-crc32c");
        assertThat(head.checksumCRC32C()).isEqualTo(expected);
        assertThat(head.checksumCRC32()).isNull();
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(attributes(s3, "copy-crc32c").checksum().checksumCRC32C()).isEqualTo(expected);
    }

    @Test
    void aFullObjectMultipartChecksumIsCarriedOverAsItIs(S3Client s3) {
        byte[] first = bytes(PART, 5);
        byte[] second = bytes(4096, 6);
        // CRC32 rather than CRC64NVME, which the SDK computes only with the CRT on the class path.
        CompleteMultipartUploadResponse source = multipart(s3, "full-crc32", first, second, SDK_CRC32, ChecksumType.FULL_OBJECT);
        assertThat(source.checksumCRC32()).isEqualTo(ChecksumAlgorithm.CRC32.compute(concat(first, second)));

        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("full-crc32").destinationBucket(BUCKET)
                .destinationKey("copy-full-crc32"));
        assertThat(copied.copyObjectResult().checksumCRC32()).isEqualTo(source.checksumCRC32());
        assertThat(copied.copyObjectResult().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(head(s3, "copy-full-crc32").checksumCRC32()).isEqualTo(source.checksumCRC32());
        assertThat(head(s3, "copy-full-crc32").checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }

    @Test
    void copyOfAnObjectUploadedWhole(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        byte[] data = bytes(3000, 7);
        s3.putObject(b -> b.bucket(BUCKET).key("whole").checksumAlgorithm(
                software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA1), RequestBody.fromBytes(data));

        CopyObjectResponse kept = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("whole").destinationBucket(BUCKET).destinationKey("whole-copy"));
        assertThat(kept.copyObjectResult().checksumSHA1()).isEqualTo(ChecksumAlgorithm.SHA1.compute(data));
        assertThat(kept.copyObjectResult().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

        CopyObjectResponse changed = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("whole").destinationBucket(BUCKET)
                .destinationKey("whole-crc32").checksumAlgorithm(SDK_CRC32));
        assertThat(changed.copyObjectResult().checksumCRC32()).isEqualTo(ChecksumAlgorithm.CRC32.compute(data));
        assertThat(changed.copyObjectResult().checksumSHA1()).isNull();

        s3.putObject(b -> b.bucket(BUCKET).key("no-checksum"), RequestBody.fromBytes(data));
        CopyObjectResponse added = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("no-checksum").destinationBucket(BUCKET)
                .destinationKey("added-sha256").checksumAlgorithm(SDK_SHA256));
        assertThat(added.copyObjectResult().checksumSHA256()).isEqualTo(ChecksumAlgorithm.SHA256.compute(data));
        assertThat(head(s3, "added-sha256").checksumSHA256()).isEqualTo(ChecksumAlgorithm.SHA256.compute(data));
    }

    @Test
    void copyOntoItselfMayChangeTheChecksumAlgorithm(S3Client s3) {
        byte[] first = bytes(PART, 8);
        byte[] second = bytes(10, 9);
        multipart(s3, "in-place", first, second, SDK_SHA256, null);
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("in-place").destinationBucket(BUCKET).destinationKey("in-place")),
                400, "InvalidRequest");

        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("in-place").destinationBucket(BUCKET)
                .destinationKey("in-place").checksumAlgorithm(SDK_CRC32));
        String expected = ChecksumAlgorithm.CRC32.compute(concat(first, second));
        assertThat(copied.copyObjectResult().checksumCRC32()).isEqualTo(expected);
        HeadObjectResponse head = head(s3, "in-place");
        assertThat(head.checksumCRC32()).isEqualTo(expected);
        assertThat(head.checksumSHA256()).isNull();
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }

    @Test
    void anUnknownAlgorithmIsRefused(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("plain"), RequestBody.fromString("plain"));
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("plain").destinationBucket(BUCKET).destinationKey("md4")
                .checksumAlgorithm("MD4")), 400, "InvalidRequest");
    }

    @Test
    void uploadPartCopyGivesThePartTheUploadsChecksumOfTheBytesCopied(S3Client s3) {
        byte[] first = bytes(PART, 10);
        byte[] second = bytes(2048, 11);
        byte[] all = concat(first, second);
        multipart(s3, "parts-source", first, second, SDK_CRC32, null);

        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("parts-copy").checksumAlgorithm(SDK_SHA256)).uploadId();
        UploadPartCopyResponse one = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("parts-source").destinationBucket(BUCKET)
                .destinationKey("parts-copy").uploadId(uploadId).partNumber(1).copySourceRange("bytes=0-" + (PART - 1)));
        UploadPartCopyResponse two = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("parts-source").destinationBucket(BUCKET)
                .destinationKey("parts-copy").uploadId(uploadId).partNumber(2).copySourceRange("bytes=" + PART + "-" + (all.length - 1)));
        assertThat(one.copyPartResult().checksumSHA256()).isEqualTo(ChecksumAlgorithm.SHA256.compute(first));
        assertThat(two.copyPartResult().checksumSHA256()).isEqualTo(ChecksumAlgorithm.SHA256.compute(second));

        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("parts-copy").uploadId(uploadId)
                .multipartUpload(m -> m.parts(List.of(
                        completed(1, one.copyPartResult().eTag(), one.copyPartResult().checksumSHA256(), null),
                        completed(2, two.copyPartResult().eTag(), two.copyPartResult().checksumSHA256(), null)))));
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(java.util.Base64.getDecoder().decode(one.copyPartResult().checksumSHA256()));
        digest.update(java.util.Base64.getDecoder().decode(two.copyPartResult().checksumSHA256()));
        assertThat(completed.checksumSHA256()).isEqualTo(java.util.Base64.getEncoder().encodeToString(digest.digest()) + "-2");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("parts-copy")).asByteArray()).isEqualTo(all);

        // No algorithm on the upload: the copied part has no checksum.
        String plain = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("plain-parts")).uploadId();
        UploadPartCopyResponse unchecked = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("parts-source").destinationBucket(BUCKET)
                .destinationKey("plain-parts").uploadId(plain).partNumber(1));
        assertThat(unchecked.copyPartResult().checksumSHA256()).isNull();
        assertThat(unchecked.copyPartResult().checksumCRC32()).isNull();
    }
}
