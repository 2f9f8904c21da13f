package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Acknowledged means durable: buckets, objects and uploads in progress survive a restart on the RocksDB store. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableS3IT {

    @Test
    void objectsAndUploadsInProgressSurviveRestart(Stratus stratus, S3Client s3) {
        s3.createBucket(b -> b.bucket("durable"));
        s3.putObject(b -> b.bucket("durable").key("kept").metadata(Map.of("m", "1")), RequestBody.fromString("kept body"));
        s3.putObject(b -> b.bucket("durable").key("deleted"), RequestBody.fromString("gone"));
        s3.deleteObject(b -> b.bucket("durable").key("deleted"));
        String uploadId = s3.createMultipartUpload(b -> b.bucket("durable").key("in-progress")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket("durable").key("in-progress").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part one")).eTag();

        stratus.restart();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("durable").key("kept")).asUtf8String()).isEqualTo("kept body");
        assertThat(s3.headObject(b -> b.bucket("durable").key("kept")).metadata()).containsEntry("m", "1");
        assertThat(s3.listObjectsV2(b -> b.bucket("durable")).contents()).extracting(S3Object::key).containsExactly("kept");
        assertThat(s3.listParts(b -> b.bucket("durable").key("in-progress").uploadId(uploadId)).parts()).hasSize(1);

        s3.completeMultipartUpload(b -> b.bucket("durable").key("in-progress").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("durable").key("in-progress")).asUtf8String()).isEqualTo("part one");
    }

    @Test
    void aBodyACrashLeftWithoutARecordIsRemovedOnStart(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("swept"));
        s3.putObject(b -> b.bucket("swept").key("kept"), RequestBody.fromString("kept"));
        Path orphan = stratus.server().config().dataDir().resolve("s3/bodies/ff/ffffffff-0000-0000-0000-000000000000");
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "renamed into place, but its record was never committed");

        stratus.restart();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(orphan) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(orphan).doesNotExist();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("swept").key("kept")).asUtf8String()).isEqualTo("kept");
    }
}
