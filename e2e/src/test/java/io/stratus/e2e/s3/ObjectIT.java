package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

@StratusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectIT {

    private static final String BUCKET = "objects";

    @BeforeAll
    void createBucket(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void putGetHeadDelete(S3Client s3) throws Exception {
        byte[] body = "hello, stratus".getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("dir/hello.txt").contentType("text/plain")
                .metadata(Map.of("color", "blue")).cacheControl("max-age=60").contentDisposition("inline").contentLanguage("en"),
                RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo("\"" + md5Hex(body) + "\"");

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("dir/hello.txt"));
        assertThat(got.asByteArray()).isEqualTo(body);
        GetObjectResponse response = got.response();
        assertThat(response.eTag()).isEqualTo(put.eTag());
        assertThat(response.contentType()).isEqualTo("text/plain");
        assertThat(response.contentLength()).isEqualTo(body.length);
        assertThat(response.metadata()).containsEntry("color", "blue");
        assertThat(response.cacheControl()).isEqualTo("max-age=60");
        assertThat(response.contentDisposition()).isEqualTo("inline");
        assertThat(response.contentLanguage()).isEqualTo("en");
        assertThat(response.acceptRanges()).isEqualTo("bytes");
        assertThat(response.lastModified()).isBefore(Instant.now().plusSeconds(5));

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("dir/hello.txt"));
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.metadata()).containsEntry("color", "blue");

        s3.deleteObject(b -> b.bucket(BUCKET).key("dir/hello.txt"));
        assertS3Error(() -> s3.getObject(b -> b.bucket(BUCKET).key("dir/hello.txt")), 404, "NoSuchKey");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("dir/hello.txt")), 404, null);
        // Deleting what is not there succeeds, as on S3.
        s3.deleteObject(b -> b.bucket(BUCKET).key("dir/hello.txt"));
    }

    @Test
    void emptyObjectsAndOverwrites(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("empty")).asByteArray()).isEmpty();
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("empty")).contentLength()).isZero();

        s3.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.fromString("now with content"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("empty")).asUtf8String()).isEqualTo("now with content");
    }

    @Test
    void keysWithSpecialCharacters(S3Client s3) {
        for (String key : new String[] {"a b+c", "ünïcödé/ключ", "with?query&chars=1", "trailing/", "double//slash", "%2F-percent"}) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo(key);
        }
        String tooLong = "k".repeat(1025);
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key(tooLong), RequestBody.fromString("x")), 400, "KeyTooLongError");
    }

    @Test
    void missingBucketAndKey(S3Client s3) {
        assertS3Error(() -> s3.putObject(b -> b.bucket("no-such-bucket-here").key("k"), RequestBody.fromString("x")), 404, "NoSuchBucket");
        assertS3Error(() -> s3.getObject(b -> b.bucket("no-such-bucket-here").key("k")), 404, "NoSuchBucket");
        try {
            s3.getObject(b -> b.bucket(BUCKET).key("never-written"));
        } catch (NoSuchKeyException e) {
            assertThat(e.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void rangeReads(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("range"), RequestBody.fromString("0123456789"));

        ResponseBytes<GetObjectResponse> middle = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range").range("bytes=2-5"));
        assertThat(middle.asUtf8String()).isEqualTo("2345");
        assertThat(middle.response().contentRange()).isEqualTo("bytes 2-5/10");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range").range("bytes=7-")).asUtf8String()).isEqualTo("789");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range").range("bytes=-3")).asUtf8String()).isEqualTo("789");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range").range("bytes=8-100")).asUtf8String()).isEqualTo("89");
        // A header S3 cannot read is ignored: the whole object comes back.
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range").range("lines=1-2")).asUtf8String()).isEqualTo("0123456789");

        assertS3Error(() -> s3.getObject(b -> b.bucket(BUCKET).key("range").range("bytes=10-")), 416, "InvalidRange");
    }

    @Test
    void conditionalReads(S3Client s3) {
        String etag = s3.putObject(b -> b.bucket(BUCKET).key("conditional"), RequestBody.fromString("v1")).eTag();
        Instant modified = s3.headObject(b -> b.bucket(BUCKET).key("conditional")).lastModified();

        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional").ifMatch(etag)).asUtf8String()).isEqualTo("v1");
        assertS3Error(() -> s3.getObject(b -> b.bucket(BUCKET).key("conditional").ifMatch("\"other\"")), 412, "PreconditionFailed");
        assertS3Error(() -> s3.getObject(b -> b.bucket(BUCKET).key("conditional").ifNoneMatch(etag)), 304, null);
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("conditional").ifNoneMatch(etag)), 304, null);
        assertS3Error(() -> s3.getObject(b -> b.bucket(BUCKET).key("conditional").ifModifiedSince(modified.plusSeconds(10))), 304, null);
        assertS3Error(() -> s3.getObject(b -> b.bucket(BUCKET).key("conditional").ifUnmodifiedSince(modified.minusSeconds(10))), 412, "PreconditionFailed");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional").ifModifiedSince(modified.minusSeconds(10))).asUtf8String()).isEqualTo("v1");
        // A matching If-Match wins over a failing If-Unmodified-Since.
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional").ifMatch(etag).ifUnmodifiedSince(modified.minusSeconds(10)))
                .asUtf8String()).isEqualTo("v1");
    }

    @Test
    void conditionalWrites(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("create-only").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("create-only").ifNoneMatch("*"), RequestBody.fromString("second")),
                412, "PreconditionFailed");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("create-only")).asUtf8String()).isEqualTo("first");

        String etag = s3.headObject(b -> b.bucket(BUCKET).key("create-only")).eTag();
        s3.putObject(b -> b.bucket(BUCKET).key("create-only").ifMatch(etag), RequestBody.fromString("third"));
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("create-only").ifMatch(etag), RequestBody.fromString("fourth")),
                412, "PreconditionFailed");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("not-there").ifMatch(etag), RequestBody.fromString("x")), 404, "NoSuchKey");
        // S3 writes only under If-None-Match: *; another value is not implemented, and nothing is written.
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("never-written").ifNoneMatch(etag), RequestBody.fromString("x")),
                501, "NotImplemented");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("never-written")), 404, null);
    }

    @Test
    void responseHeaderOverrides(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("override"), RequestBody.fromString("x"));

        GetObjectResponse response = s3.getObject(b -> b.bucket(BUCKET).key("override").responseContentType("application/json")
                .responseContentDisposition("attachment; filename=x.json").responseCacheControl("no-cache")
                .responseContentLanguage("de").responseContentEncoding("identity"), software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()).response();

        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.contentDisposition()).isEqualTo("attachment; filename=x.json");
        assertThat(response.cacheControl()).isEqualTo("no-cache");
        assertThat(response.contentLanguage()).isEqualTo("de");
        assertThat(response.contentEncoding()).isEqualTo("identity");
    }

    @Test
    void contentMd5IsChecked(S3Client s3) throws Exception {
        byte[] body = "checked".getBytes(StandardCharsets.UTF_8);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        s3.putObject(b -> b.bucket(BUCKET).key("md5").contentMD5(md5), RequestBody.fromBytes(body));

        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("other".getBytes(StandardCharsets.UTF_8)));
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("md5-bad").contentMD5(wrong), RequestBody.fromBytes(body)), 400, "BadDigest");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("md5-bad").contentMD5("not-base64!"), RequestBody.fromBytes(body)), 400, "InvalidDigest");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("md5-bad")), 404, null);
    }

    @Test
    void checksumsAreStoredAndReturned(S3Client s3) {
        // CRC64NVME needs the SDK's native CRT library; the server's is tested in the protocol module.
        for (ChecksumAlgorithm algorithm : new ChecksumAlgorithm[] {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256}) {
            String key = "checksum-" + algorithm;
            PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm), RequestBody.fromString("checksummed"));
            GetObjectResponse get = s3.getObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED),
                    software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()).response();
            String stored = switch (algorithm) {
                case CRC32 -> get.checksumCRC32();
                case CRC32_C -> get.checksumCRC32C();
                case SHA1 -> get.checksumSHA1();
                default -> get.checksumSHA256();
            };
            String returned = switch (algorithm) {
                case CRC32 -> put.checksumCRC32();
                case CRC32_C -> put.checksumCRC32C();
                case SHA1 -> put.checksumSHA1();
                default -> put.checksumSHA256();
            };
            assertThat(stored).as(algorithm.toString()).isNotNull().isEqualTo(returned);
        }
    }

    @Test
    void copyObject(S3Client s3) {
        s3.putObject(b -> b.bucket(BUCKET).key("copy-source").contentType("text/plain").metadata(Map.of("a", "1")), RequestBody.fromString("copied"));
        String etag = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source").destinationBucket(BUCKET).destinationKey("copy-target"))
                .copyObjectResult().eTag();

        GetObjectResponse copy = s3.getObject(b -> b.bucket(BUCKET).key("copy-target"), software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()).response();
        assertThat(copy.eTag()).isEqualTo(etag);
        assertThat(copy.metadata()).containsEntry("a", "1");
        assertThat(copy.contentType()).isEqualTo("text/plain");

        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source").destinationBucket(BUCKET).destinationKey("copy-replaced")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("b", "2")).contentType("application/x-new"));
        HeadObjectResponse replaced = s3.headObject(b -> b.bucket(BUCKET).key("copy-replaced"));
        assertThat(replaced.metadata()).containsOnly(Map.entry("b", "2"));
        assertThat(replaced.contentType()).isEqualTo("application/x-new");
        // Overwriting the source leaves the copy as it was.
        s3.putObject(b -> b.bucket(BUCKET).key("copy-source"), RequestBody.fromString("changed"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy-target")).asUtf8String()).isEqualTo("copied");

        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-target").destinationBucket(BUCKET).destinationKey("copy-target")),
                400, "InvalidRequest");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("missing").destinationBucket(BUCKET).destinationKey("x")),
                404, "NoSuchKey");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-target").destinationBucket(BUCKET).destinationKey("x")
                .copySourceIfMatch("\"nope\"")), 412, "PreconditionFailed");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-target").destinationBucket(BUCKET).destinationKey("x")
                .copySourceIfNoneMatch(etag)), 412, "PreconditionFailed");
    }

    @Test
    void deleteObjects(S3Client s3) {
        for (String key : new String[] {"batch/1", "batch/2", "batch/3"}) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(
                ObjectIdentifier.builder().key("batch/1").build(), ObjectIdentifier.builder().key("batch/2").build(),
                ObjectIdentifier.builder().key("batch/never").build())));

        assertThat(response.deleted()).extracting(d -> d.key()).containsExactly("batch/1", "batch/2", "batch/never");
        assertThat(response.errors()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("batch/")).contents()).extracting(o -> o.key()).containsExactly("batch/3");

        DeleteObjectsResponse quiet = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.quiet(true).objects(ObjectIdentifier.builder().key("batch/3").build())));
        assertThat(quiet.deleted()).isEmpty();
    }

    @Test
    void deleteObjectsDeletesOnlyTheKeysWhoseConditionsHold(S3Client s3) {
        String etag = s3.putObject(b -> b.bucket(BUCKET).key("conditional/kept"), RequestBody.fromString("kept")).eTag();
        s3.putObject(b -> b.bucket(BUCKET).key("conditional/matched"), RequestBody.fromString("matched"));
        String matchedEtag = s3.headObject(b -> b.bucket(BUCKET).key("conditional/matched")).eTag();
        s3.putObject(b -> b.bucket(BUCKET).key("conditional/sized"), RequestBody.fromString("sized"));
        s3.putObject(b -> b.bucket(BUCKET).key("conditional/any"), RequestBody.fromString("any"));
        s3.putObject(b -> b.bucket(BUCKET).key("conditional/dated"), RequestBody.fromString("dated"));
        Instant dated = s3.headObject(b -> b.bucket(BUCKET).key("conditional/dated")).lastModified();

        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(
                ObjectIdentifier.builder().key("conditional/kept").eTag("\"0123456789abcdef0123456789abcdef\"").build(),
                ObjectIdentifier.builder().key("conditional/matched").eTag(matchedEtag).build(),
                ObjectIdentifier.builder().key("conditional/sized").size(99L).build(),
                ObjectIdentifier.builder().key("conditional/any").eTag("*").build(),
                ObjectIdentifier.builder().key("conditional/dated").lastModifiedTime(dated).size(5L).build(),
                ObjectIdentifier.builder().key("conditional/missing").eTag(etag).build())));

        assertThat(response.deleted()).extracting(d -> d.key()).containsExactly("conditional/matched", "conditional/any", "conditional/dated");
        assertThat(response.errors()).extracting(e -> e.key() + " " + e.code() + " " + e.message()).containsExactly(
                "conditional/kept PreconditionFailed At least one of the pre-conditions you specified did not hold",
                "conditional/sized PreconditionFailed At least one of the pre-conditions you specified did not hold",
                "conditional/missing NoSuchKey The specified key does not exist.");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("conditional/")).contents()).extracting(o -> o.key())
                .containsExactly("conditional/kept", "conditional/sized");
    }
}
