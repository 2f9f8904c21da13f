package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Multipart uploads with {@code x-amz-checksum-type: FULL_OBJECT}: the completed object's
 * checksum is the CRC of all its bytes (combined from the parts' CRCs), returned on completion
 * and by GetObject / HeadObject with {@code ChecksumMode.ENABLED}.
 */
@StratusTest
class FullObjectChecksumIT {

    private static final int PART = 5 * 1024 * 1024;

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

    @Test
    void crc32AndCrc32cFullObjectChecksumsCoverTheWholeObject(S3Client s3) {
        s3.createBucket(r -> r.bucket("full-object"));
        byte[] first = bytes(PART, 1);
        byte[] second = bytes(1234, 2);
        byte[] whole = concat(first, second);
        for (software.amazon.awssdk.services.s3.model.ChecksumAlgorithm algorithm : new software.amazon.awssdk.services.s3.model.ChecksumAlgorithm[] {
                software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32, software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C}) {
            String key = "object-" + algorithm;
            String expected = ChecksumAlgorithm.valueOf(algorithm.toString()).compute(whole);
            CreateMultipartUploadResponse created = s3.createMultipartUpload(r -> r.bucket("full-object").key(key)
                    .checksumAlgorithm(algorithm).checksumType(ChecksumType.FULL_OBJECT));
            assertThat(created.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
            String upload = created.uploadId();
            String etag1 = s3.uploadPart(r -> r.bucket("full-object").key(key).uploadId(upload).partNumber(1).checksumAlgorithm(algorithm),
                    RequestBody.fromBytes(first)).eTag();
            String etag2 = s3.uploadPart(r -> r.bucket("full-object").key(key).uploadId(upload).partNumber(2).checksumAlgorithm(algorithm),
                    RequestBody.fromBytes(second)).eTag();
            CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(r -> r.bucket("full-object").key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())));
            assertThat(completed.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
            assertThat(algorithm == software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32
                    ? completed.checksumCRC32() : completed.checksumCRC32C()).isEqualTo(expected);

            HeadObjectResponse head = s3.headObject(r -> r.bucket("full-object").key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
            assertThat(algorithm == software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32 ? head.checksumCRC32() : head.checksumCRC32C())
                    .isEqualTo(expected);
            // The SDK validates the full-object checksum of what it reads.
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket("full-object").key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(got.asByteArray()).isEqualTo(whole);
            assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        }
    }

    @Test
    void aClaimedFullObjectChecksumOnCompletionIsChecked(S3Client s3) {
        s3.createBucket(r -> r.bucket("full-claimed"));
        byte[] only = bytes(100, 3);
        String upload = s3.createMultipartUpload(r -> r.bucket("full-claimed").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        String etag = s3.uploadPart(r -> r.bucket("full-claimed").key("k").uploadId(upload).partNumber(1)
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32), RequestBody.fromBytes(only)).eTag();
        assertS3Error(() -> s3.completeMultipartUpload(r -> r.bucket("full-claimed").key("k").uploadId(upload)
                .checksumCRC32("AAAAAA==").checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))), 400, "BadDigest");
        String right = ChecksumAlgorithm.CRC32.compute(only);
        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(r -> r.bucket("full-claimed").key("k").uploadId(upload)
                .checksumCRC32(right).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(completed.checksumCRC32()).isEqualTo(right);
    }

    @Test
    void checksumTypesTheAlgorithmCannotHaveAreInvalidRequest(S3Client s3) {
        s3.createBucket(r -> r.bucket("full-invalid"));
        assertS3Error(() -> s3.createMultipartUpload(r -> r.bucket("full-invalid").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256).checksumType(ChecksumType.FULL_OBJECT)),
                400, "InvalidRequest");
        assertS3Error(() -> s3.createMultipartUpload(r -> r.bucket("full-invalid").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC64_NVME).checksumType(ChecksumType.COMPOSITE)),
                400, "InvalidRequest");
        // CRC64NVME has only full-object checksums, so it is the default type.
        assertThat(s3.createMultipartUpload(r -> r.bucket("full-invalid").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC64_NVME)).checksumType())
                .isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(s3.createMultipartUpload(r -> r.bucket("full-invalid").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256)).checksumType())
                .isEqualTo(ChecksumType.COMPOSITE);
    }

    /**
     * An upload created without a checksum algorithm gets S3's default: a full-object CRC64NVME of
     * the completed object, whatever its parts were sent with (here: the SDK's CRC32 and nothing).
     */
    @Test
    void anUploadWithoutAnAlgorithmCompletesWithTheDefaultCrc64nvme(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("full-default"));
        CreateMultipartUploadResponse created = s3.createMultipartUpload(r -> r.bucket("full-default").key("k"));
        assertThat(created.checksumAlgorithm()).isNull();
        byte[] first = bytes(PART, 7);
        byte[] second = bytes(99, 8);
        String etag1 = s3.uploadPart(r -> r.bucket("full-default").key("k").uploadId(created.uploadId()).partNumber(1),
                RequestBody.fromBytes(first)).eTag();
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stratus.endpoint().resolve(
                        "/full-default/k?partNumber=2&uploadId=" + created.uploadId()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(second)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        String etag2 = raw.headers().firstValue("ETag").orElseThrow();

        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(r -> r.bucket("full-default").key("k").uploadId(created.uploadId())
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                        CompletedPart.builder().partNumber(2).eTag(etag2).build())));

        String expected = ChecksumAlgorithm.CRC64NVME.compute(concat(first, second));
        assertThat(completed.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(completed.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        HeadObjectResponse head = s3.headObject(r -> r.bucket("full-default").key("k").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(s3.getObjectAttributes(r -> r.bucket("full-default").key("k")
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_PARTS)).objectParts().parts())
                .extracting(p -> p.checksumCRC64NVME())
                .containsExactly(ChecksumAlgorithm.CRC64NVME.compute(first), ChecksumAlgorithm.CRC64NVME.compute(second));
    }

    @Test
    void aCompletionsChecksumHeadersAreCheckedBeforeTheParts(S3Client s3) {
        s3.createBucket(r -> r.bucket("full-headers"));
        byte[] only = bytes(100, 9);
        String upload = s3.createMultipartUpload(r -> r.bucket("full-headers").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        String etag = s3.uploadPart(r -> r.bucket("full-headers").key("k").uploadId(upload).partNumber(1)
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32), RequestBody.fromBytes(only)).eTag();
        CompletedPart part = CompletedPart.builder().partNumber(1).eTag(etag).build();

        // Not a CRC32 (four bytes, base64), another algorithm than the upload's, another type.
        assertS3Error(() -> s3.completeMultipartUpload(r -> r.bucket("full-headers").key("k").uploadId(upload)
                .checksumCRC32("not-base64").multipartUpload(m -> m.parts(part))), 400, "InvalidRequest");
        assertS3Error(() -> s3.completeMultipartUpload(r -> r.bucket("full-headers").key("k").uploadId(upload)
                .checksumCRC32C(ChecksumAlgorithm.CRC32C.compute(only)).multipartUpload(m -> m.parts(part))), 400, "InvalidRequest");
        assertS3Error(() -> s3.completeMultipartUpload(r -> r.bucket("full-headers").key("k").uploadId(upload)
                .checksumType(ChecksumType.COMPOSITE).multipartUpload(m -> m.parts(part))), 400, "BadDigest");

        // None of these completed the upload.
        assertThat(s3.completeMultipartUpload(r -> r.bucket("full-headers").key("k").uploadId(upload)
                .checksumCRC32(ChecksumAlgorithm.CRC32.compute(only)).multipartUpload(m -> m.parts(part))).checksumCRC32())
                .isEqualTo(ChecksumAlgorithm.CRC32.compute(only));
    }

    /** CRC64NVME parts over plain HTTP: the Java SDK computes CRC64NVME only with its native CRT library. */
    @Test
    void crc64nvmeFullObjectChecksum(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("full-crc64"));
        String upload = s3.createMultipartUpload(r -> r.bucket("full-crc64").key("k")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC64_NVME)).uploadId();
        byte[] first = bytes(PART, 4);
        byte[] second = bytes(77, 5);
        HttpClient http = HttpClient.newHttpClient();
        String[] etags = new String[2];
        byte[][] parts = {first, second};
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stratus.endpoint().resolve(
                            "/full-crc64/k?partNumber=" + (i + 1) + "&uploadId=" + upload))
                    .header("x-amz-checksum-crc64nvme", ChecksumAlgorithm.CRC64NVME.compute(parts[i]))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(parts[i])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            etags[i] = response.headers().firstValue("ETag").orElseThrow();
        }
        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(r -> r.bucket("full-crc64").key("k").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etags[0]).build(),
                        CompletedPart.builder().partNumber(2).eTag(etags[1]).build())));
        String expected = ChecksumAlgorithm.CRC64NVME.compute(concat(first, second));
        assertThat(completed.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(completed.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(stratus.endpoint().resolve("/full-crc64/k")).header("x-amz-checksum-mode", "ENABLED")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValue("x-amz-checksum-crc64nvme")).hasValue(expected);
        assertThat(head.headers().firstValue("x-amz-checksum-type")).hasValue("FULL_OBJECT");
    }

    /**
     * The SDK's multipart client (what the Transfer Manager uses) uploads a large object in parts;
     * given the object's CRC32 up front, it asks for a full-object checksum and reads it back.
     */
    @Test
    void theSdksMultipartClientGetsAFullObjectChecksum(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("full-sdk"));
        byte[] data = bytes(2 * PART + 4321, 6);
        String crc32 = ChecksumAlgorithm.CRC32.compute(data);
        try (software.amazon.awssdk.services.s3.S3AsyncClient async = stratus.configure(software.amazon.awssdk.services.s3.S3AsyncClient.builder())
                .forcePathStyle(true).multipartEnabled(true)
                .multipartConfiguration(c -> c.thresholdInBytes((long) PART).minimumPartSizeInBytes((long) PART)).build()) {
            async.putObject(r -> r.bucket("full-sdk").key("big").checksumCRC32(crc32),
                    software.amazon.awssdk.core.async.AsyncRequestBody.fromBytes(data)).join();
        }
        HeadObjectResponse head = s3.headObject(r -> r.bucket("full-sdk").key("big").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.contentLength()).isEqualTo(data.length);
        assertThat(head.eTag()).endsWith("-3\"");
        assertThat(head.checksumCRC32()).isEqualTo(crc32);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("full-sdk").key("big").checksumMode(ChecksumMode.ENABLED)).asByteArray()).isEqualTo(data);
    }
}
