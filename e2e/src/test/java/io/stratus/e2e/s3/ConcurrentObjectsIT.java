package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Writers and readers racing on the same keys: every read sees one whole write, and the last commit wins. */
@StratusTest
class ConcurrentObjectsIT {

    @Test
    void racingPutsAndGetsSeeWholeObjects(S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("racing"));
        s3.putObject(b -> b.bucket("racing").key("hot"), RequestBody.fromString(body(0)));
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 1; i <= 40; i++) {
                int writer = i;
                results.add(pool.submit(() -> {
                    s3.putObject(b -> b.bucket("racing").key("hot"), RequestBody.fromString(body(writer)));
                    s3.putObject(b -> b.bucket("racing").key("own-" + writer), RequestBody.fromString(body(writer)));
                    return s3.getObjectAsBytes(b -> b.bucket("racing").key("hot")).asUtf8String();
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).matches("(writer-\\d+;){1000}");
            }
        }
        assertThat(s3.getObjectAsBytes(b -> b.bucket("racing").key("hot")).asUtf8String()).matches("(writer-\\d+;){1000}");
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket("racing").prefix("own-")).contents()).extracting(S3Object::key).hasSize(40);
    }

    /**
     * Writers keep putting and deleting objects in a bucket while it is deleted: once DeleteBucket
     * succeeds no write lands in the deleted bucket, so the bucket created again by that name is
     * empty. (Object writes read their bucket outside their transactions, under a lock that
     * DeleteBucket takes exclusively.)
     */
    @Test
    void noWriteOutlivesADeleteBucketItRaced(S3Client s3) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            s3.createBucket(b -> b.bucket("racing-delete"));
            List<Future<Integer>> writers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
                for (int w = 0; w < 6; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        for (int n = 0; ; n++) {
                            String key = "w" + writer + "/" + n;
                            try {
                                s3.putObject(b -> b.bucket("racing-delete").key(key), RequestBody.fromString("x"));
                                s3.deleteObject(b -> b.bucket("racing-delete").key(key));
                            } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
                                return n;
                            }
                        }
                    }));
                }
                boolean deleted = false;
                for (int tries = 0; !deleted; tries++) {
                    assertThat(tries).isLessThan(20_000);
                    try {
                        s3.deleteBucket(b -> b.bucket("racing-delete"));
                        deleted = true;
                    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                    }
                }
                for (Future<Integer> writer : writers) {
                    assertThat(writer.get()).isGreaterThanOrEqualTo(0);
                }
            }
            s3.createBucket(b -> b.bucket("racing-delete"));
            assertThat(s3.listObjectsV2(b -> b.bucket("racing-delete")).contents()).isEmpty();
            s3.deleteBucket(b -> b.bucket("racing-delete"));
        }
    }

    private static String body(int writer) {
        return ("writer-" + writer + ";").repeat(1000);
    }
}
