package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

@StratusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListObjectsIT {

    private static final String BUCKET = "listing";
    private static final List<String> KEYS = List.of("a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d/4.txt", "e.txt", "ü/5.txt", "with space.txt");

    @BeforeAll
    void fill(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        for (String key : KEYS) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
    }

    @Test
    void everyKeyInUtf8Order(S3Client s3) {
        ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(BUCKET));

        assertThat(response.contents()).extracting(S3Object::key)
                .containsExactly("a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d/4.txt", "e.txt", "with space.txt", "ü/5.txt");
        assertThat(response.keyCount()).isEqualTo(8);
        assertThat(response.isTruncated()).isFalse();
        assertThat(response.contents().getFirst().size()).isEqualTo(5L);
        assertThat(response.contents().getFirst().eTag()).startsWith("\"");
        assertThat(response.contents().getFirst().storageClassAsString()).isEqualTo("STANDARD");
    }

    @Test
    void delimiterRollsUpCommonPrefixes(S3Client s3) {
        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/"));
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("a.txt", "e.txt", "with space.txt");
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("b/", "d/", "ü/");

        ListObjectsV2Response inB = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("b/").delimiter("/"));
        assertThat(inB.contents()).extracting(S3Object::key).containsExactly("b/1.txt", "b/2.txt");
        assertThat(inB.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("b/c/");
        assertThat(inB.prefix()).isEqualTo("b/");
    }

    @Test
    void pagesWithContinuationTokens(S3Client s3) {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/").maxKeys(2).continuationToken(current));
            page.contents().forEach(o -> seen.add(o.key()));
            page.commonPrefixes().forEach(p -> seen.add(p.prefix()));
            assertThat(page.keyCount()).isLessThanOrEqualTo(2);
            token = page.nextContinuationToken();
            assertThat(token != null).isEqualTo(page.isTruncated());
            pages++;
        } while (token != null);

        assertThat(seen).containsExactlyInAnyOrder("a.txt", "b/", "d/", "e.txt", "with space.txt", "ü/");
        assertThat(pages).isEqualTo(3);
        // The paginator follows the same tokens.
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).maxKeys(3)).contents()).hasSize(KEYS.size());
    }

    @Test
    void startAfterAndMaxKeys(S3Client s3) {
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).startAfter("b/2.txt")).contents()).extracting(S3Object::key)
                .startsWith("b/c/3.txt", "d/4.txt");
        ListObjectsV2Response none = s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(0));
        assertThat(none.contents()).isEmpty();
        assertThat(none.isTruncated()).isFalse();
    }

    @Test
    void listObjectsVersion1WithMarkers(S3Client s3) {
        ListObjectsResponse first = s3.listObjects(b -> b.bucket(BUCKET).maxKeys(3));
        assertThat(first.contents()).extracting(S3Object::key).containsExactly("a.txt", "b/1.txt", "b/2.txt");
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.nextMarker()).isNull();
        assertThat(first.contents().getFirst().owner()).isNotNull();

        ListObjectsResponse second = s3.listObjects(b -> b.bucket(BUCKET).marker("b/2.txt").maxKeys(3));
        assertThat(second.contents()).extracting(S3Object::key).containsExactly("b/c/3.txt", "d/4.txt", "e.txt");

        ListObjectsResponse delimited = s3.listObjects(b -> b.bucket(BUCKET).delimiter("/").maxKeys(2));
        assertThat(delimited.nextMarker()).isEqualTo("b/");
        ListObjectsResponse after = s3.listObjects(b -> b.bucket(BUCKET).delimiter("/").marker(delimited.nextMarker()));
        assertThat(after.contents()).extracting(S3Object::key).containsExactly("e.txt", "with space.txt");
        assertThat(after.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("d/", "ü/");
    }

    @Test
    void urlEncodingTypeIsDecodedBySdk(S3Client s3) {
        ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(BUCKET).encodingType(EncodingType.URL).prefix("with"));
        assertThat(response.contents()).extracting(S3Object::key).containsExactly("with space.txt");
    }

    @Test
    void urlEncodingOnTheWire(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            String response = raw.send("GET /" + BUCKET + "?list-type=2&encoding-type=url&prefix=%C3%BC HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
            // As S3 encodes it: UTF-8 percent-escaped, a space as "+", "/" left as it is.
            assertThat(response).startsWith("HTTP/1.1 200").contains("<Key>%C3%BC/5.txt</Key>").contains("<EncodingType>url</EncodingType>");
            String spaced = raw.send("GET /" + BUCKET + "?list-type=2&encoding-type=url&prefix=with HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
            assertThat(spaced).contains("<Key>with+space.txt</Key>");
            String prefixes = raw.send("GET /" + BUCKET + "?list-type=2&encoding-type=url&delimiter=/ HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
            assertThat(prefixes).contains("<Prefix>%C3%BC/</Prefix>").contains("<Delimiter>/</Delimiter>");
        }
    }

    @Test
    void badListingArguments(S3Client s3) {
        assertS3Error(() -> s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(-1)), 400, "InvalidArgument");
        assertS3Error(() -> s3.listObjectsV2(b -> b.bucket(BUCKET).encodingType("base64")), 400, "InvalidArgument");
        assertS3Error(() -> s3.listObjectsV2(b -> b.bucket("no-such-listing")), 404, "NoSuchBucket");
    }

    /** Each listed object names its checksum's algorithm and type: a multipart upload's checksum of part checksums is COMPOSITE. */
    @Test
    void listingsNameEachObjectsChecksumAlgorithmAndType(S3Client s3) {
        s3.createBucket(b -> b.bucket("listed-checksums"));
        s3.putObject(b -> b.bucket("listed-checksums").key("whole").checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromString("x"));
        String uploadId = s3.createMultipartUpload(b -> b.bucket("listed-checksums").key("parts").checksumAlgorithm(ChecksumAlgorithm.CRC32))
                .uploadId();
        var part = s3.uploadPart(b -> b.bucket("listed-checksums").key("parts").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromString("part"));
        s3.completeMultipartUpload(b -> b.bucket("listed-checksums").key("parts").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(part.eTag()).checksumCRC32(part.checksumCRC32()).build())));

        List<S3Object> v2 = s3.listObjectsV2(b -> b.bucket("listed-checksums")).contents();
        List<S3Object> v1 = s3.listObjects(b -> b.bucket("listed-checksums")).contents();
        for (List<S3Object> contents : List.of(v2, v1)) {
            assertThat(contents).extracting(S3Object::key).containsExactly("parts", "whole");
            assertThat(contents).extracting(S3Object::checksumAlgorithm)
                    .containsExactly(List.of(ChecksumAlgorithm.CRC32), List.of(ChecksumAlgorithm.SHA256));
            assertThat(contents).extracting(S3Object::checksumType).containsExactly(ChecksumType.COMPOSITE, ChecksumType.FULL_OBJECT);
        }
        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket("listed-checksums")).versions();
        assertThat(versions).extracting(ObjectVersion::checksumAlgorithm)
                .containsExactly(List.of(ChecksumAlgorithm.CRC32), List.of(ChecksumAlgorithm.SHA256));
        assertThat(versions).extracting(ObjectVersion::checksumType).containsExactly(ChecksumType.COMPOSITE, ChecksumType.FULL_OBJECT);
    }

    @Test
    void aContinuationTokenStratusDidNotMakeIsRefused(Stratus stratus, S3Client s3) throws Exception {
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(BUCKET).continuationToken("garbage")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The continuation token provided is incorrect");
                });
        assertThat(S3Assertions.send(stratus, "GET", "/" + BUCKET + "?list-type=2&continuation-token=garbage").body())
                .contains("<ArgumentName>continuation-token</ArgumentName><ArgumentValue>garbage</ArgumentValue>");
        // A token handed out is taken back, also with another page size.
        String token = s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(1)).nextContinuationToken();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(1).continuationToken(token)).contents()).extracting(S3Object::key)
                .containsExactly("b/1.txt");
    }
}
