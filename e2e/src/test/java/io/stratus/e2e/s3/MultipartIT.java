package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

@StratusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipartIT {

    private static final String BUCKET = "multipart";
    private static final int MIB = 1024 * 1024;

    @BeforeAll
    void createBucket(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    private static byte[] filled(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    private static CompletedPart upload(S3Client s3, String key, String uploadId, int number, byte[] body) {
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number), RequestBody.fromBytes(body)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    @Test
    void uploadsCompleteIntoOneObject(S3Client s3) throws Exception {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("big").contentType("application/x-big")).uploadId();
        byte[] first = filled(5 * MIB, 1);
        byte[] second = filled(5 * MIB, 2);
        byte[] last = filled(1234, 3);
        List<CompletedPart> parts = List.of(upload(s3, "big", uploadId, 1, first), upload(s3, "big", uploadId, 2, second),
                upload(s3, "big", uploadId, 3, last));

        ListPartsResponse listed = s3.listParts(b -> b.bucket(BUCKET).key("big").uploadId(uploadId));
        assertThat(listed.parts()).extracting(Part::partNumber).containsExactly(1, 2, 3);
        assertThat(listed.parts()).extracting(Part::size).containsExactly((long) first.length, (long) second.length, (long) last.length);
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).extracting(MultipartUpload::uploadId).contains(uploadId);

        var completed = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("big").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        String etag = completed.eTag();
        // An absolute URL under the host the request went to, as S3's Location.
        assertThat(completed.location()).startsWith("http://").endsWith("/" + BUCKET + "/big");
        // Sent again (a retry whose first answer was lost), the completion answers the same, as S3's does.
        var again = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("big").uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        assertThat(again.eTag()).isEqualTo(etag);
        assertThat(again.key()).isEqualTo("big");
        assertS3Error(() -> s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("big").uploadId(uploadId)), 404, "NoSuchUpload");

        MessageDigest md5s = MessageDigest.getInstance("MD5");
        for (byte[] part : List.of(first, second, last)) {
            md5s.update(MessageDigest.getInstance("MD5").digest(part));
        }
        assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(md5s.digest()) + "-3\"");
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("big")).asByteArray();
        assertThat(whole).hasSize(first.length + second.length + last.length);
        assertThat(Arrays.copyOfRange(whole, 5 * MIB, 10 * MIB)).isEqualTo(second);
        GetObjectResponse partTwo = s3.getObject(b -> b.bucket(BUCKET).key("big").partNumber(2),
                software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()).response();
        assertThat(partTwo.contentLength()).isEqualTo(5L * MIB);
        assertThat(partTwo.partsCount()).isEqualTo(3);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("big")).contentType()).isEqualTo("application/x-big");
        var attributes = s3.getObjectAttributes(b -> b.bucket(BUCKET).key("big").maxParts(2)
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE, ObjectAttributes.STORAGE_CLASS));
        assertThat("\"" + attributes.eTag() + "\"").isEqualTo(etag);
        assertThat(attributes.objectSize()).isEqualTo((long) whole.length);
        assertThat(attributes.objectParts().totalPartsCount()).isEqualTo(3);
        assertThat(attributes.objectParts().parts()).extracting(p -> p.partNumber()).containsExactly(1, 2);
        assertThat(attributes.objectParts().isTruncated()).isTrue();
        assertThat(attributes.storageClassAsString()).isEqualTo("STANDARD");

        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).extracting(MultipartUpload::uploadId).doesNotContain(uploadId);
        assertS3Error(() -> s3.listParts(b -> b.bucket(BUCKET).key("big").uploadId(uploadId)), 404, "NoSuchUpload");
    }

    @Test
    void completionChecksThePartsAsS3Does(S3Client s3) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("checked")).uploadId();
        CompletedPart small = upload(s3, "checked", uploadId, 1, filled(100, 1));
        CompletedPart two = upload(s3, "checked", uploadId, 2, filled(100, 2));

        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked").uploadId(uploadId)
                .multipartUpload(m -> m.parts(small, two))), 400, "EntityTooSmall");
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked").uploadId(uploadId)
                .multipartUpload(m -> m.parts(two, small))), 400, "InvalidPartOrder");
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("\"0123\"").build()))), 400, "InvalidPart");
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(7).eTag(two.eTag()).build()))), 400, "InvalidPart");

        // A single small part is a whole object.
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked").uploadId(uploadId).multipartUpload(m -> m.parts(small)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("checked")).asByteArray()).isEqualTo(filled(100, 1));
    }

    @Test
    void listMultipartUploadsWithADelimiterAndPages(S3Client s3) {
        s3.createBucket(b -> b.bucket("upload-listing"));
        for (String key : new String[] {"a", "a", "dir/x", "dir/y", "z"}) {
            s3.createMultipartUpload(b -> b.bucket("upload-listing").key(key));
        }

        var top = s3.listMultipartUploads(b -> b.bucket("upload-listing").delimiter("/"));
        assertThat(top.uploads()).extracting(MultipartUpload::key).containsExactly("a", "a", "z");
        assertThat(top.commonPrefixes()).extracting(software.amazon.awssdk.services.s3.model.CommonPrefix::prefix).containsExactly("dir/");

        var first = s3.listMultipartUploads(b -> b.bucket("upload-listing").maxUploads(1));
        assertThat(first.isTruncated()).isTrue();
        var rest = s3.listMultipartUploads(b -> b.bucket("upload-listing").keyMarker(first.nextKeyMarker()).uploadIdMarker(first.nextUploadIdMarker()));
        assertThat(rest.uploads()).hasSize(4);
        assertThat(rest.uploads()).extracting(MultipartUpload::uploadId).doesNotContain(first.uploads().getFirst().uploadId());
    }

    @Test
    void abortRemovesTheUpload(S3Client s3) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("aborted")).uploadId();
        upload(s3, "aborted", uploadId, 1, filled(10, 1));

        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("aborted").uploadId(uploadId));

        assertS3Error(() -> s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("aborted").uploadId(uploadId)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.uploadPart(b -> b.bucket(BUCKET).key("aborted").uploadId(uploadId).partNumber(2), RequestBody.fromString("x")),
                404, "NoSuchUpload");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("aborted")), 404, null);
    }

    @Test
    void partsReplaceAndPartNumbersAreChecked(S3Client s3) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("replaced")).uploadId();
        upload(s3, "replaced", uploadId, 1, filled(10, 1));
        CompletedPart again = upload(s3, "replaced", uploadId, 1, filled(20, 2));

        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("replaced").uploadId(uploadId)).parts()).singleElement()
                .satisfies(p -> assertThat(p.size()).isEqualTo(20L));
        assertS3Error(() -> s3.uploadPart(b -> b.bucket(BUCKET).key("replaced").uploadId(uploadId).partNumber(10001), RequestBody.fromString("x")),
                400, "InvalidArgument");
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("replaced").uploadId(uploadId).multipartUpload(m -> m.parts(again)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("replaced")).asByteArray()).isEqualTo(filled(20, 2));
    }

    @Test
    void uploadPartCopyTakesARangeOfAnObject(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("copy-from"), RequestBody.fromBytes(filled(6 * MIB, 9)));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("copied-parts")).uploadId();

        String first = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("copy-from").destinationBucket(BUCKET).destinationKey("copied-parts")
                .uploadId(uploadId).partNumber(1).copySourceRange("bytes=0-" + (5 * MIB - 1))).copyPartResult().eTag();
        String second = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("copy-from").destinationBucket(BUCKET).destinationKey("copied-parts")
                .uploadId(uploadId).partNumber(2).copySourceRange("bytes=" + 5 * MIB + "-" + (6 * MIB - 1))).copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("copied-parts").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(first).build(), CompletedPart.builder().partNumber(2).eTag(second).build())));

        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copied-parts")).asByteArray()).isEqualTo(filled(6 * MIB, 9));
    }

    @Test
    void uploadPartCopyOfARangePastTheSourcesEndIsInvalidArgument(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("short-source"), RequestBody.fromBytes(filled(100, 4)));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("short-copy")).uploadId();

        assertThatThrownBy(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("short-source").destinationBucket(BUCKET)
                .destinationKey("short-copy").uploadId(uploadId).partNumber(1).copySourceRange("bytes=0-100")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Range specified is not valid for source object of size: 100");
                });
        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("short-copy").uploadId(uploadId)).parts()).isEmpty();
    }

    @Test
    void checksumsOfParts(S3Client s3) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("crc").checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        var part = s3.uploadPart(b -> b.bucket(BUCKET).key("crc").uploadId(uploadId).partNumber(1).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString("part"));
        assertThat(part.checksumCRC32()).isNotNull();

        var completed = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("crc").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(part.eTag()).checksumCRC32(part.checksumCRC32()).build())));
        assertThat(completed.checksumCRC32()).endsWith("-1");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("crc").checksumMode("ENABLED")).asUtf8String()).isEqualTo("part");
    }

    @Test
    void aCompositeChecksumUploadsCompletionNamesEachPartsChecksum(S3Client s3) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("composite").checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        var one = s3.uploadPart(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).partNumber(1).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(filled(5 * MIB, 5)));
        var two = s3.uploadPart(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).partNumber(2).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString("last"));
        CompletedPart first = CompletedPart.builder().partNumber(1).eTag(one.eTag()).checksumCRC32(one.checksumCRC32()).build();

        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).multipartUpload(m -> m.parts(
                first, CompletedPart.builder().partNumber(2).eTag(two.eTag()).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The upload was created using a crc32 checksum. The complete request "
                            + "must include the checksum for each part. It was missing for part 2 in the request.");
                });
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).multipartUpload(m -> m.parts(
                first, CompletedPart.builder().partNumber(2).eTag(two.eTag()).checksumCRC32(one.checksumCRC32()).build()))), 400, "InvalidPart");

        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).multipartUpload(m -> m.parts(
                first, CompletedPart.builder().partNumber(2).eTag(two.eTag()).checksumCRC32(two.checksumCRC32()).build())));
        var attributes = s3.getObjectAttributes(b -> b.bucket("multipart").key("composite").objectAttributes(ObjectAttributes.OBJECT_PARTS));
        assertThat(attributes.objectParts().parts()).extracting(p -> p.partNumber() + " " + p.size() + " " + p.checksumCRC32())
                .containsExactly("1 " + 5 * MIB + " " + one.checksumCRC32(), "2 4 " + two.checksumCRC32());

        // A part read by number carries its own checksum, which the SDK checks against the part's bytes.
        var partTwo = s3.headObject(b -> b.bucket(BUCKET).key("composite").partNumber(2).checksumMode(ChecksumMode.ENABLED));
        assertThat(partTwo.checksumCRC32()).isEqualTo(two.checksumCRC32());
        assertThat(partTwo.partsCount()).isEqualTo(2);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("composite").partNumber(2).checksumMode(ChecksumMode.ENABLED)).asUtf8String())
                .isEqualTo("last");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("composite").range("bytes=0-1").checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
                .isNull();
    }

    @Test
    void partOneOfAnObjectUploadedWholeIsAllOfItAnsweredAsAPart(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("whole"), RequestBody.fromString("0123456789"));

        var part = s3.getObject(b -> b.bucket(BUCKET).key("whole").partNumber(1).checksumMode(ChecksumMode.ENABLED),
                software.amazon.awssdk.core.sync.ResponseTransformer.toBytes());

        assertThat(part.asUtf8String()).isEqualTo("0123456789");
        assertThat(part.response().contentRange()).isEqualTo("bytes 0-9/10");
        assertThat(part.response().checksumCRC32()).isEqualTo(io.stratus.protocol.auth.ChecksumAlgorithm.CRC32.compute("0123456789".getBytes()));
    }

    @Test
    void listingsOfUploadsAndPartsNameTheirEncodingAndChecksumType(S3Client s3) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("listed key").checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        s3.uploadPart(b -> b.bucket(BUCKET).key("listed key").uploadId(uploadId).partNumber(1).checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromString("part"));

        var parts = s3.listParts(b -> b.bucket(BUCKET).key("listed key").uploadId(uploadId));
        assertThat(parts.checksumTypeAsString()).isEqualTo("COMPOSITE");
        // The SDK decodes the keys because the answer says they are URL-encoded.
        var uploads = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("listed").encodingType(EncodingType.URL));
        assertThat(uploads.encodingTypeAsString()).isEqualTo("url");
        assertThat(uploads.uploads()).extracting(MultipartUpload::key).containsExactly("listed key");
        assertThat(uploads.uploads()).extracting(MultipartUpload::checksumTypeAsString).containsExactly("COMPOSITE");
        // A page of none is untruncated.
        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("listed key").uploadId(uploadId).maxParts(0)).isTruncated()).isFalse();
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).maxUploads(0)).isTruncated()).isFalse();
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("listed key").uploadId(uploadId));
    }

    /** The SDK's multipart client (the Transfer Manager's) asked for a CRC32 uploads composite parts and names their checksums on completion. */
    @Test
    void theSdksMultipartClientCompletesACompositeChecksumUpload(Stratus stratus, S3Client s3) {
        byte[] data = filled(11 * MIB + 17, 8);
        try (S3AsyncClient async = stratus.configure(S3AsyncClient.builder()).forcePathStyle(true).multipartEnabled(true)
                .multipartConfiguration(c -> c.thresholdInBytes(5L * MIB).minimumPartSizeInBytes(5L * MIB)).build()) {
            async.putObject(b -> b.bucket(BUCKET).key("sdk-composite").checksumAlgorithm(ChecksumAlgorithm.CRC32), AsyncRequestBody.fromBytes(data))
                    .join();
        }
        var attributes = s3.getObjectAttributes(b -> b.bucket(BUCKET).key("sdk-composite")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.CHECKSUM));
        // GetObjectAttributes lists a composite checksum without the part count HeadObject shows.
        assertThat(attributes.checksum().checksumCRC32()).doesNotContain("-");
        assertThat(attributes.checksum().checksumTypeAsString()).isEqualTo("COMPOSITE");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("sdk-composite").checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
                .isEqualTo(attributes.checksum().checksumCRC32() + "-3");
        assertThat(attributes.objectParts().parts()).extracting(p -> p.checksumCRC32()).containsExactly(
                io.stratus.protocol.auth.ChecksumAlgorithm.CRC32.compute(Arrays.copyOfRange(data, 0, 5 * MIB)),
                io.stratus.protocol.auth.ChecksumAlgorithm.CRC32.compute(Arrays.copyOfRange(data, 5 * MIB, 10 * MIB)),
                io.stratus.protocol.auth.ChecksumAlgorithm.CRC32.compute(Arrays.copyOfRange(data, 10 * MIB, data.length)));
    }
}
