package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.RawHttp;
import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * S3 on the wire, as clients other than the SDK speak it: virtual-hosted buckets
 * ({@code <bucket>.s3.localhost}, which need no DNS here since the Host header is what counts),
 * error documents (with the members the SDK does not keep), HEAD errors without a body, unsupported
 * methods and subresources.
 */
@StratusTest
class RawS3IT {

    private static String request(Stratus stratus, String text) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            return raw.send(text).readResponse();
        }
    }

    @Test
    void virtualHostedBucketsWorkLikePathStyle(Stratus stratus) throws Exception {
        assertThat(request(stratus, "PUT / HTTP/1.1\r\nHost: vhost-bucket.s3.localhost:4566\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(request(stratus, "PUT /dir/file.txt HTTP/1.1\r\nHost: vhost-bucket.s3.localhost\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 200").contains("ETag: \"5d41402abc4b2a76b9719d911017c592\"");
        assertThat(request(stratus, "GET /dir/file.txt HTTP/1.1\r\nHost: vhost-bucket.s3.localhost\r\n\r\n")).startsWith("HTTP/1.1 200").endsWith("hello");
        assertThat(request(stratus, "GET /?list-type=2 HTTP/1.1\r\nHost: vhost-bucket.s3.localhost.localstack.cloud\r\n\r\n"))
                .contains("<Name>vhost-bucket</Name>").contains("<Key>dir/file.txt</Key>");
        // The same object, by path.
        assertThat(request(stratus, "GET /vhost-bucket/dir/file.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")).endsWith("hello");
        // Bucket names may hold dots.
        assertThat(request(stratus, "PUT / HTTP/1.1\r\nHost: dotted.bucket.s3.localhost\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(request(stratus, "HEAD / HTTP/1.1\r\nHost: dotted.bucket.s3.localhost\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void errorsAreS3ErrorDocuments(Stratus stratus) throws Exception {
        String noBucket = request(stratus, "GET /missing-bucket/some/key HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(noBucket).startsWith("HTTP/1.1 404").contains("x-amz-request-id:")
                .contains("<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>missing-bucket</BucketName>");

        request(stratus, "PUT /errors-bucket HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        assertThat(request(stratus, "GET /errors-bucket/none HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .startsWith("HTTP/1.1 404").contains("<Code>NoSuchKey</Code>").contains("<Key>none</Key>");
        // HEAD errors have a status and no body.
        java.net.http.HttpResponse<String> head = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(stratus.endpoint().resolve("/errors-bucket/none"))
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
        assertThat(request(stratus, "PATCH /errors-bucket/none HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("<Code>MethodNotAllowed</Code>");
        assertThat(request(stratus, "PUT /errors-bucket/signed HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                + "x-amz-content-sha256: " + "0".repeat(64) + "\r\n\r\nhello"))
                .startsWith("HTTP/1.1 400").contains("<Code>XAmzContentSHA256Mismatch</Code>");
        assertThat(request(stratus, "GET /errors-bucket?list-type=2&max-keys=many HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("<Code>InvalidArgument</Code>").contains("<ArgumentName>max-keys</ArgumentName>");
        assertThat(request(stratus, "PUT /errors-bucket/no-length HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .startsWith("HTTP/1.1 411").contains("<Code>MissingContentLength</Code>");
        assertThat(request(stratus, "POST /errors-bucket?delete HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9\r\n\r\n<Delete>x"))
                .startsWith("HTTP/1.1 400").contains("<Code>MalformedXML</Code>");
    }

    /** What current SDKs send by default, here with the CRC64NVME trailer the Java SDK needs its native library for. */
    @Test
    void awsChunkedUploadsKeepTheirTrailingChecksum(Stratus stratus) throws Exception {
        request(stratus, "PUT /chunked HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        String body = "streamed in two chunks";
        String checksum = io.stratus.protocol.auth.ChecksumAlgorithm.CRC64NVME.compute(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String chunked = "a\r\n" + body.substring(0, 10) + "\r\n" + Integer.toHexString(body.length() - 10) + "\r\n" + body.substring(10) + "\r\n"
                + "0\r\nx-amz-checksum-crc64nvme:" + checksum + "\r\n\r\n";
        String put = request(stratus, "PUT /chunked/object HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: aws-chunked\r\n"
                + "x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nx-amz-trailer: x-amz-checksum-crc64nvme\r\n"
                + "x-amz-sdk-checksum-algorithm: CRC64NVME\r\nx-amz-decoded-content-length: " + body.length() + "\r\n"
                + "Content-Length: " + chunked.length() + "\r\n\r\n" + chunked);
        assertThat(put).startsWith("HTTP/1.1 200").contains("x-amz-checksum-crc64nvme: " + checksum);

        String get = request(stratus, "GET /chunked/object HTTP/1.1\r\nHost: localhost\r\nx-amz-checksum-mode: ENABLED\r\n\r\n");
        assertThat(get).contains("x-amz-checksum-crc64nvme: " + checksum).contains("x-amz-checksum-type: FULL_OBJECT").endsWith(body);
        assertThat(request(stratus, "GET /chunked/object HTTP/1.1\r\nHost: localhost\r\n\r\n")).doesNotContain("x-amz-checksum-crc64nvme");
    }

    @Test
    void unservedSubresourcesAreNotImplemented(Stratus stratus) throws Exception {
        request(stratus, "PUT /subresources HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        for (String target : new String[] {"GET /subresources?analytics", "POST /subresources?replication", "DELETE /subresources?notification",
                "GET /subresources/key?torrent", "POST /subresources/key?select", "POST /subresources?website",
                "DELETE /subresources?object-lock", "DELETE /subresources/key?retention", "POST /subresources/key?legal-hold",
                "DELETE /subresources?logging", "DELETE /subresources?accelerate", "DELETE /subresources?requestPayment"}) {
            assertThat(request(stratus, target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"))
                    .as(target).startsWith("HTTP/1.1 501").contains("<Code>NotImplemented</Code>");
        }
        // POST on a bucket is a form upload (PostObjectIT): a body that is no form fails its precondition.
        assertThat(request(stratus, "POST /subresources HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 412").contains("<Code>PreconditionFailed</Code>");
    }

    /** The SDK keeps no error document's other members, so the {@code Condition} is read off the wire. */
    @Test
    void copySourceConditionsNameTheHeaderThatFailed(Stratus stratus) throws Exception {
        request(stratus, "PUT /copy-conditions HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        String put = request(stratus, "PUT /copy-conditions/source HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nsource");
        String etag = put.lines().filter(line -> line.startsWith("ETag: ")).findFirst().orElseThrow().substring(6);
        String got = request(stratus, "GET /copy-conditions/source HTTP/1.1\r\nHost: localhost\r\n\r\n");
        String lastModified = got.lines().filter(line -> line.startsWith("Last-Modified: ")).findFirst().orElseThrow().substring(15);
        Map<String, String> failing = new LinkedHashMap<>();
        failing.put("x-amz-copy-source-If-Match", "\"0123456789abcdef0123456789abcdef\"");
        failing.put("x-amz-copy-source-If-None-Match", etag);
        failing.put("x-amz-copy-source-If-Modified-Since", lastModified);
        failing.put("x-amz-copy-source-If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT");

        failing.forEach((header, value) -> {
            try {
                assertThat(request(stratus, "PUT /copy-conditions/copy HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                        + "x-amz-copy-source: copy-conditions/source\r\n" + header.toLowerCase(java.util.Locale.ROOT) + ": " + value + "\r\n\r\n"))
                        .as(header).startsWith("HTTP/1.1 412").contains("<Code>PreconditionFailed</Code>")
                        .contains("<Condition>" + header + "</Condition>");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** An object uploaded without any checksum gets S3's default, CRC64NVME of its whole body. */
    @Test
    void anUploadWithoutAChecksumGetsTheDefaultOne(Stratus stratus) throws Exception {
        request(stratus, "PUT /default-checksum HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        String checksum = ChecksumAlgorithm.CRC64NVME.compute("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(request(stratus, "PUT /default-checksum/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 200").contains("x-amz-checksum-crc64nvme: " + checksum).contains("x-amz-checksum-type: FULL_OBJECT");
        assertThat(request(stratus, "GET /default-checksum/k HTTP/1.1\r\nHost: localhost\r\nx-amz-checksum-mode: ENABLED\r\n\r\n"))
                .contains("x-amz-checksum-crc64nvme: " + checksum);
        assertThat(request(stratus, "GET /default-checksum?list-type=2 HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .contains("<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>");
    }

    /** Checksum headers the SDK never sends wrong, as S3 refuses them before reading the body. */
    @Test
    void checksumHeadersAreCheckedBeforeTheBody(Stratus stratus) throws Exception {
        request(stratus, "PUT /checksum-headers HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        String crc32 = ChecksumAlgorithm.CRC32.compute("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String sha1 = ChecksumAlgorithm.SHA1.compute("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String put = "PUT /checksum-headers/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n";

        assertThat(request(stratus, put + "x-amz-checksum-crc32: " + crc32 + "\r\nx-amz-checksum-sha1: " + sha1 + "\r\n\r\nhello"))
                .startsWith("HTTP/1.1 400").contains("<Code>InvalidRequest</Code>")
                .contains("<Message>Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.</Message>");
        assertThat(request(stratus, put + "x-amz-checksum-crc32: " + crc32 + "\r\nx-amz-sdk-checksum-algorithm: SHA1\r\n\r\nhello"))
                .startsWith("HTTP/1.1 400").contains("<Code>InvalidRequest</Code>")
                .contains("<Message>Value for x-amz-sdk-checksum-algorithm header is invalid.</Message>");
        for (String notACrc32 : new String[] {"not base64!", sha1, "AAAA"}) {
            assertThat(request(stratus, put + "x-amz-checksum-crc32: " + notACrc32 + "\r\n\r\nhello")).as(notACrc32)
                    .startsWith("HTTP/1.1 400").contains("<Code>InvalidRequest</Code>")
                    .contains("<Message>Value for x-amz-checksum-crc32 header is invalid.</Message>");
        }
        // A well-formed checksum of other bytes is still the body's fault.
        assertThat(request(stratus, put + "x-amz-checksum-crc32: AAAAAA==\r\nx-amz-sdk-checksum-algorithm: crc32\r\n\r\nhello"))
                .startsWith("HTTP/1.1 400").contains("<Code>BadDigest</Code>");
        assertThat(request(stratus, put + "x-amz-checksum-crc32: " + crc32 + "\r\nx-amz-sdk-checksum-algorithm: CRC32\r\n\r\nhello"))
                .startsWith("HTTP/1.1 200").contains("x-amz-checksum-crc32: " + crc32);

        String created = request(stratus, "POST /checksum-headers/parts?uploads HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        String uploadId = created.substring(created.indexOf("<UploadId>") + 10, created.indexOf("</UploadId>"));
        assertThat(request(stratus, "PUT /checksum-headers/parts?partNumber=1&uploadId=" + uploadId + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 5\r\nx-amz-checksum-crc32: " + crc32 + "\r\nx-amz-checksum-sha1: " + sha1 + "\r\n\r\nhello"))
                .startsWith("HTTP/1.1 400").contains("<Message>Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.</Message>");
    }
}
