package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.storage.KeyRange;
import io.stratus.storage.RocksDbStore;
import io.stratus.storage.Scan;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Small bodies (up to 8 KiB) live in the store with their object's record, written in the same
 * transaction; larger ones are files. Either way an object behaves the same: these tests put
 * bodies on both sides of the threshold in each way a body arrives (with a Content-Length,
 * aws-chunked from the SDK, HTTP-chunked without a length), check where each went by the files in
 * the data directory, and run every operation that reads or drops a body over inline ones,
 * across a restart. A completed multipart upload's body is its parts' files, not a copy of them.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class ObjectBodiesIT {

    private static final int THRESHOLD = 8 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void bodiesUpToTheThresholdAreInlineAndLargerOnesAreFiles(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("sizes"));
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (int size : new int[] {0, 1, THRESHOLD - 1, THRESHOLD, THRESHOLD + 1}) {
            for (String way : List.of("sdk", "length", "chunked")) {
                String key = way + "-" + size;
                byte[] body = bytes(size, size + way.length());
                long filesBefore = bodyFiles(stratus);
                switch (way) {
                    // The SDK sends aws-chunked with a trailing CRC32.
                    case "sdk" -> s3.putObject(b -> b.bucket("sizes").key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(body));
                    case "length" -> assertThat(put(stratus, "/sizes/" + key, HttpRequest.BodyPublishers.ofByteArray(body))).isEqualTo(200);
                    default -> assertThat(put(stratus, "/sizes/" + key,
                            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))).isEqualTo(200);
                }
                assertThat(bodyFiles(stratus) - filesBefore).as("body files for %s", key).isEqualTo(size > THRESHOLD ? 1 : 0);
                expected.put(key, body);
                assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key(key)).asByteArray()).as(key).isEqualTo(body);
                assertThat(s3.headObject(b -> b.bucket("sizes").key(key)).eTag()).isEqualTo("\"" + md5(body) + "\"");
            }
        }
        assertThat(s3.headObject(b -> b.bucket("sizes").key("sdk-" + THRESHOLD).checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
                .isEqualTo(crc32(expected.get("sdk-" + THRESHOLD)));

        stratus.restart();

        for (Map.Entry<String, byte[]> entry : expected.entrySet()) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("sizes").key(entry.getKey())).asByteArray()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        assertThat(s3.headObject(b -> b.bucket("sizes").key("sdk-" + (THRESHOLD - 1)).checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
                .isEqualTo(crc32(expected.get("sdk-" + (THRESHOLD - 1))));
    }

    @Test
    void inlineBodiesAreReadCopiedAndReplacedLikeFiles(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("inline"));
        byte[] small = bytes(1000, 7);
        s3.putObject(b -> b.bucket("inline").key("small"), RequestBody.fromBytes(small));

        // Ranges and part 1.
        GetObjectResponse ranged = s3.getObject(b -> b.bucket("inline").key("small").range("bytes=10-19")).response();
        assertThat(ranged.contentRange()).isEqualTo("bytes 10-19/1000");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("small").range("bytes=-5")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(small, 995, 1000));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("small").partNumber(1)).asByteArray()).isEqualTo(small);
        assertS3Error(() -> s3.getObject(b -> b.bucket("inline").key("small").range("bytes=2000-")), 416, "InvalidRange");

        // Conditional writes see an inline object as any other.
        assertS3Error(() -> s3.putObject(b -> b.bucket("inline").key("small").ifNoneMatch("*"), RequestBody.fromString("no")), 412, "PreconditionFailed");

        // A copy (with a checksum computed from the inline body) outlives its source.
        var copied = s3.copyObject(b -> b.sourceBucket("inline").sourceKey("small").destinationBucket("inline").destinationKey("copy")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256));
        assertThat(copied.copyObjectResult().checksumSHA256()).isEqualTo(sha256(small));
        s3.copyObject(b -> b.sourceBucket("inline").sourceKey("small").destinationBucket("inline").destinationKey("small")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("changed", "yes")));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("small")).asByteArray()).isEqualTo(small);
        assertThat(s3.headObject(b -> b.bucket("inline").key("small")).metadata()).containsEntry("changed", "yes");

        // UploadPartCopy from an inline source, as the last part after a file part.
        String uploadId = s3.createMultipartUpload(b -> b.bucket("inline").key("assembled")).uploadId();
        byte[] first = bytes(5 * 1024 * 1024, 3);
        String etag1 = s3.uploadPart(b -> b.bucket("inline").key("assembled").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(first)).eTag();
        String etag2 = s3.uploadPartCopy(b -> b.sourceBucket("inline").sourceKey("copy").copySourceRange("bytes=100-199")
                .destinationBucket("inline").destinationKey("assembled").uploadId(uploadId).partNumber(2)).copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket("inline").key("assembled").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(etag1).build(), CompletedPart.builder().partNumber(2).eTag(etag2).build())));
        byte[] assembled = s3.getObjectAsBytes(b -> b.bucket("inline").key("assembled")).asByteArray();
        assertThat(assembled).hasSize(first.length + 100);
        assertThat(java.util.Arrays.copyOfRange(assembled, first.length, assembled.length)).isEqualTo(java.util.Arrays.copyOfRange(small, 100, 200));

        // Inline replaced by a file and a file by inline.
        byte[] large = bytes(THRESHOLD + 1, 9);
        s3.putObject(b -> b.bucket("inline").key("copy"), RequestBody.fromBytes(large));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("copy")).asByteArray()).isEqualTo(large);
        s3.putObject(b -> b.bucket("inline").key("copy"), RequestBody.fromString("small again"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("copy")).asUtf8String()).isEqualTo("small again");

        stratus.restart();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("small")).asByteArray()).isEqualTo(small);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inline").key("copy")).asUtf8String()).isEqualTo("small again");
    }

    @Test
    void versionsOfInlineBodiesAreKeptAndDroppedWithTheirRecords(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("versions"));
        s3.putBucketVersioning(b -> b.bucket("versions").versioningConfiguration(v -> v.status("Enabled")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String text = "version " + i;
            ids.add(s3.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString(text)).versionId());
        }
        String marker = s3.deleteObject(b -> b.bucket("versions").key("k")).versionId();
        assertS3Error(() -> s3.getObject(b -> b.bucket("versions").key("k")), 404, "NoSuchKey");
        for (int i = 0; i < 3; i++) {
            String id = ids.get(i);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId(id)).asUtf8String()).isEqualTo("version " + i);
        }
        s3.deleteObject(b -> b.bucket("versions").key("k").versionId(ids.get(0)));
        assertS3Error(() -> s3.getObject(b -> b.bucket("versions").key("k").versionId(ids.get(0))), 404, "NoSuchVersion");
        s3.deleteObject(b -> b.bucket("versions").key("k").versionId(marker));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("versions").key("k")).asUtf8String()).isEqualTo("version 2");

        stratus.restart();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId(ids.get(1))).asUtf8String()).isEqualTo("version 1");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("versions").key("k")).asUtf8String()).isEqualTo("version 2");
        s3.putBucketVersioning(b -> b.bucket("versions").versioningConfiguration(v -> v.status("Suspended")));
        // Writes while suspended replace the "null" version; deletes then drop what is left.
        s3.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("null one"));
        s3.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("null two"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId("null")).asUtf8String()).isEqualTo("null two");

        // Every body, dropped in the transaction that drops its last record, leaves nothing in the store.
        s3.createBucket(b -> b.bucket("plain"));
        s3.putObject(b -> b.bucket("plain").key("a"), RequestBody.fromString("first"));
        s3.putObject(b -> b.bucket("plain").key("a"), RequestBody.fromString("replaced"));
        s3.copyObject(b -> b.sourceBucket("plain").sourceKey("a").destinationBucket("plain").destinationKey("b"));
        s3.deleteObject(b -> b.bucket("plain").key("a"));
        s3.deleteObjects(b -> b.bucket("plain").delete(d -> d.objects(o -> o.key("b"))));
        for (var version : s3.listObjectVersions(b -> b.bucket("versions")).versions()) {
            s3.deleteObject(b -> b.bucket("versions").key(version.key()).versionId(version.versionId()));
        }
        for (var deleteMarker : s3.listObjectVersions(b -> b.bucket("versions")).deleteMarkers()) {
            s3.deleteObject(b -> b.bucket("versions").key(deleteMarker.key()).versionId(deleteMarker.versionId()));
        }
        assertThat(inlineBodies(stratus)).isZero();
        stratus.restart();
    }

    @Test
    void aCompletedUploadKeepsItsPartFilesAsItsBody(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("parts"));
        long others = bodyFiles(stratus);
        byte[] first = bytes(5 * 1024 * 1024, 1);
        byte[] last = bytes(1000, 2);
        String uploadId = s3.createMultipartUpload(b -> b.bucket("parts").key("whole")).uploadId();
        String etag1 = s3.uploadPart(b -> b.bucket("parts").key("whole").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(first)).eTag();
        String etag2 = s3.uploadPart(b -> b.bucket("parts").key("whole").uploadId(uploadId).partNumber(2), RequestBody.fromBytes(last)).eTag();
        // A part left out of the completion is removed with it.
        s3.uploadPart(b -> b.bucket("parts").key("whole").uploadId(uploadId).partNumber(3), RequestBody.fromBytes(last));
        assertThat(bodyFiles(stratus) - others).isEqualTo(3);

        s3.completeMultipartUpload(b -> b.bucket("parts").key("whole").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(etag1).build(), CompletedPart.builder().partNumber(2).eTag(etag2).build())));

        assertThat(bodyFiles(stratus) - others).isEqualTo(2);
        byte[] whole = new byte[first.length + last.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(last, 0, whole, first.length, last.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("parts").key("whole")).asByteArray()).isEqualTo(whole);
        // Ranges across the parts' boundary, and each part by number.
        int boundary = first.length;
        assertThat(s3.getObjectAsBytes(b -> b.bucket("parts").key("whole").range("bytes=" + (boundary - 3) + "-" + (boundary + 2))).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(whole, boundary - 3, boundary + 3));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("parts").key("whole").partNumber(2)).asByteArray()).isEqualTo(last);
        assertThat(s3.copyObject(b -> b.sourceBucket("parts").sourceKey("whole").destinationBucket("parts").destinationKey("copy")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).copyObjectResult().checksumSHA256()).isEqualTo(sha256(whole));

        stratus.restart();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("parts").key("whole")).asByteArray()).isEqualTo(whole);
        s3.deleteObject(b -> b.bucket("parts").key("whole"));
        // The copy's files are links of the same parts: they outlive the deleted source.
        assertThat(s3.getObjectAsBytes(b -> b.bucket("parts").key("copy")).asByteArray()).isEqualTo(whole);
        assertThat(bodyFiles(stratus) - others).isEqualTo(2);
        s3.deleteObject(b -> b.bucket("parts").key("copy"));
        assertThat(bodyFiles(stratus) - others).isZero();
    }

    @Test
    void readsRacingOverwritesOfInlineBodiesGetOneWholeBody(Stratus stratus) throws Exception {
        // A client of its own: the shared one's pool would keep these threads' connections, which a
        // later test's restart leaves stale, more of them than the SDK retries.
        try (software.amazon.awssdk.http.SdkHttpClient http = software.amazon.awssdk.http.apache.ApacheHttpClient.create();
                S3Client s3 = stratus.configure(S3Client.builder()).httpClient(http).build()) {
            race(s3);
        }
    }

    private static void race(S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("racing"));
        s3.putObject(b -> b.bucket("racing").key("hot"), RequestBody.fromString(body(0)));
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= 150 && failures.isEmpty(); i++) {
                    String text = body(writer * 1000 + i);
                    try {
                        s3.putObject(b -> b.bucket("racing").key("hot"), RequestBody.fromString(text));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300 && failures.isEmpty(); i++) {
                    try {
                        var read = s3.getObjectAsBytes(b -> b.bucket("racing").key("hot"));
                        String text = read.asUtf8String();
                        // Whichever version was current, all of it and its own ETag.
                        assertThat(text).matches("body \\d+ x{100}");
                        assertThat(read.response().eTag()).isEqualTo("\"" + md5(read.asByteArray()) + "\"");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    private static String body(int n) {
        return "body " + n + " " + "x".repeat(100);
    }

    /** Closes the server and counts the inline bodies left in its store. */
    private static long inlineBodies(Stratus stratus) {
        Path dataDir = stratus.server().config().dataDir();
        stratus.server().close();
        long count = 0;
        try (RocksDbStore store = RocksDbStore.open(dataDir, StratusConfig.Durability.STRICT);
                Scan scan = store.scan("s3.inline", KeyRange.all())) {
            while (scan.hasNext()) {
                scan.next();
                count++;
            }
        }
        return count;
    }

    private static int put(Stratus stratus, String path, HttpRequest.BodyPublisher body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(stratus.endpoint().resolve(path)).PUT(body).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long bodyFiles(Stratus stratus) throws Exception {
        Path bodies = stratus.server().config().dataDir().resolve("s3/bodies");
        if (!Files.exists(bodies)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(bodies)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static byte[] bytes(int size, int seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String md5(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    }

    private static String sha256(byte[] body) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private static String crc32(byte[] body) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
