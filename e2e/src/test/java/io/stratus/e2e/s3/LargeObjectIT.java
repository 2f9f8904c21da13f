package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Bodies stream through Stratus in both directions: 64 MiB go up and come back without being held whole. */
@StratusTest
class LargeObjectIT {

    private static final long SIZE = 64L * 1024 * 1024;

    /** A deterministic stream of {@code size} bytes that is never held in memory whole. */
    private static InputStream generated(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < size ? (int) ((position++ * 7919) & 0xFF) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((position++ * 7919) & 0xFF);
                }
                return n;
            }
        };
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void sixtyFourMebibytesStreamUpAndDown(S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("large"));
        s3.putObject(b -> b.bucket("large").key("big.bin"), RequestBody.fromContentProvider(() -> generated(SIZE), SIZE, "application/octet-stream"));

        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("large").key("big.bin"))) {
            assertThat(in.response().contentLength()).isEqualTo(SIZE);
            assertThat(sha256(in)).isEqualTo(sha256(generated(SIZE)));
        }
        try (ResponseInputStream<GetObjectResponse> tail = s3.getObject(b -> b.bucket("large").key("big.bin").range("bytes=-1048576"))) {
            assertThat(tail.readAllBytes()).hasSize(1024 * 1024);
        }
    }

    @Test
    void theAsyncClientStreamsToo(Stratus stratus) throws Exception {
        try (S3AsyncClient s3 = stratus.configure(S3AsyncClient.builder()).build()) {
            s3.createBucket(b -> b.bucket("large-async")).join();
            long size = 8L * 1024 * 1024;
            try (var executor = java.util.concurrent.Executors.newSingleThreadExecutor()) {
                s3.putObject(b -> b.bucket("large-async").key("async.bin"), AsyncRequestBody.fromInputStream(generated(size), size, executor)).join();
            }

            CompletableFuture<ResponseInputStream<GetObjectResponse>> download =
                    s3.getObject(b -> b.bucket("large-async").key("async.bin"), AsyncResponseTransformer.toBlockingInputStream());
            try (ResponseInputStream<GetObjectResponse> in = download.join()) {
                assertThat(sha256(in)).isEqualTo(sha256(generated(size)));
            }
        }
    }

    @Test
    void theSdksMultipartClientSplitsAndCompletes(Stratus stratus) throws Exception {
        try (S3AsyncClient s3 = stratus.configure(S3AsyncClient.builder()).multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(5L * 1024 * 1024).thresholdInBytes(6L * 1024 * 1024)).build()) {
            s3.createBucket(b -> b.bucket("sdk-multipart")).join();
            long size = 17L * 1024 * 1024;
            try (var executor = java.util.concurrent.Executors.newSingleThreadExecutor()) {
                s3.putObject(b -> b.bucket("sdk-multipart").key("split.bin"), AsyncRequestBody.fromInputStream(generated(size), size, executor)).join();
            }
            var head = s3.headObject(b -> b.bucket("sdk-multipart").key("split.bin")).join();
            assertThat(head.contentLength()).isEqualTo(size);
            assertThat(head.eTag()).endsWith("-4\"");
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("sdk-multipart").key("split.bin"),
                    AsyncResponseTransformer.toBlockingInputStream()).join()) {
                assertThat(sha256(in)).isEqualTo(sha256(generated(size)));
            }
        }
    }

    @Test
    void aClientLeavingMidDownloadDoesNotHurtTheServer(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("abandoned"));
        long size = 16L * 1024 * 1024;
        s3.putObject(b -> b.bucket("abandoned").key("big.bin"), RequestBody.fromContentProvider(() -> generated(size), size, "application/octet-stream"));

        for (int i = 0; i < 3; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", stratus.port())) {
                socket.getOutputStream().write("GET /abandoned/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
            }
        }

        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("abandoned").key("big.bin"))) {
            assertThat(sha256(in)).isEqualTo(sha256(generated(size)));
        }
        // In-flight accounting is intact: a restart does not wait out the grace period for lost downloads.
        long started = System.nanoTime();
        stratus.restart();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(8));
    }
}
