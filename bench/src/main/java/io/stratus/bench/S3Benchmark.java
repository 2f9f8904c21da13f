package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * S3's targets, in one run against Stratus in-process on its durable default store (RocksDB and
 * body files in a temporary directory, strict sync):
 * <ul>
 *   <li>4 KiB PutObject (each to a new key) and GetObject (of 1,000 stored objects) against the bare
 *       Netty hello server and against the disk's floor for a durable small write (file, fsync,
 *       rename, directory fsync, done by the bench itself), in alternating rounds after a warm-up in
 *       cycles of all four until the JIT compiles for under 5 % of a cycle, every request counted;</li>
 *   <li>a 1 GiB multipart upload (128 parts of 8 MiB, sent from {@link #PART_THREADS} threads as the
 *       SDK's multipart clients do) and its download, against {@code dd bs=8M count=128 conv=fsync}
 *       into the same directory, alternating; the heap of this JVM around each transfer.</li>
 * </ul>
 * Requests are the AWS SDK's own, captured once ({@link SdkCapture}) and replayed through the same
 * pooled Apache client that drives the hello baseline.
 */
final class S3Benchmark {

    /** The small objects' size: 4 KiB, or {@code -Dbench.s3.small-bytes} (to measure where inline bodies stop paying). */
    private static final int SMALL = Integer.getInteger("bench.s3.small-bytes", 4 * 1024);
    private static final int PART = 8 * 1024 * 1024;
    private static final int PARTS = 128;
    private static final int PART_THREADS = 4;
    private static final int STORED = 1000;
    private static final int ROUNDS = 4;
    /** Warm-up cycles at most, each of every measured call for the warm-up time, until the JIT settles. */
    private static final int MAX_WARM_UP_CYCLES = 6;
    private static final int LARGE_ROUNDS = 3;
    private static final String BUCKET = "bench";
    private static final String KEY = "KEY-TOKEN";
    private static final String UPLOAD = "UPLOAD-TOKEN";

    /** The SDK's requests, captured. */
    private record Templates(SdkCapture.Request put, SdkCapture.Request get, SdkCapture.Request uploadPart) {}

    private final LoadDriver driver;
    private final int[] clientCounts;

    S3Benchmark(LoadDriver driver, int[] clientCounts) {
        this.driver = requireNonNull(driver, "driver is null");
        this.clientCounts = clientCounts.clone();
    }

    /**
     * The durable default store; {@code -Dbench.s3.durability=relaxed} leaves out the syncs, to
     * show what the rest of a request costs.
     */
    private static StratusConfig config(Path dataDir) {
        StratusConfig c = StratusConfig.defaults().withPort(0).withStorage(StratusConfig.Storage.ROCKSDB, dataDir);
        if ("relaxed".equals(System.getProperty("bench.s3.durability"))) {
            c = new StratusConfig(c.host(), c.port(), c.hostname(), c.region(), c.storage(), c.dataDir(), StratusConfig.Durability.RELAXED,
                    c.auth(), c.maxBodyBytes(), c.shutdownGrace());
        }
        return c;
    }

    String run() throws Exception {
        Path dataDir = Files.createTempDirectory("stratus-bench-s3-");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(256);
        connections.setDefaultMaxPerRoute(256);
        Random random = new Random(42);
        byte[] small = new byte[SMALL];
        random.nextBytes(small);
        byte[] part = new byte[PART];
        random.nextBytes(part);
        StringBuilder report = new StringBuilder();
        try (HelloServer hello = new HelloServer();
                StratusServer stratus = StratusServer.start(config(dataDir.resolve("stratus")));
                CloseableHttpClient http = HttpClients.custom().setConnectionManager(connections).build();
                S3Client s3 = client(stratus.endpoint())) {
            Templates templates = capture(small, part);
            s3.createBucket(b -> b.bucket(BUCKET));
            URI endpoint = stratus.endpoint();
            for (int i = 0; i < STORED; i++) {
                call(http, templates.put().replay(endpoint, Map.of(KEY, "stored/" + i), null));
            }
            // -Dbench.s3.profile=get (or put) drives that request alone at the most clients, for a profiler.
            String profiled = System.getProperty("bench.s3.profile");
            if (profiled != null) {
                return profile(http, endpoint, templates, profiled);
            }
            // -Dbench.s3.large-only=true skips the small requests: the 1 GiB transfer alone.
            if (!Boolean.getBoolean("bench.s3.large-only")) {
                report.append(smallObjects(http, hello, endpoint, templates, dataDir.resolve("floor")));
            }
            // -Dbench.s3.small-only=true skips the 1 GiB part, e.g. to profile the small requests alone.
            if (!Boolean.getBoolean("bench.s3.small-only")) {
                report.append('\n').append(largeObject(http, s3, endpoint, templates, dataDir));
            }
        } finally {
            deleteTree(dataDir);
        }
        return report.toString();
    }

    /** One small-object request alone, warmed up then measured at the most clients: what a profiler should see. */
    private String profile(CloseableHttpClient http, URI endpoint, Templates templates, String which) throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicInteger read = new AtomicInteger();
        LoadDriver.Call call = switch (which) {
            case "put" -> () -> call(http, templates.put().replay(endpoint, Map.of(KEY, "new/" + written.incrementAndGet()), null));
            case "get" -> () -> call(http, templates.get().replay(endpoint,
                    Map.of(KEY, "stored/" + Math.floorMod(read.incrementAndGet() * 7919, STORED)), null));
            default -> throw new IllegalArgumentException("bench.s3.profile is get or put, not " + which);
        };
        int most = java.util.Arrays.stream(clientCounts).max().orElse(1);
        driver.warmUpTogether(most, List.of(c -> call), MAX_WARM_UP_CYCLES);
        LoadDriver.Result result = driver.measure(most, c -> call, 1);
        return String.format(Locale.ROOT, "%s alone, %d clients: %s%n", which, most, cell(result));
    }

    private String smallObjects(CloseableHttpClient http, HelloServer hello, URI endpoint, Templates templates, Path floorDir) throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicInteger read = new AtomicInteger();
        LoadDriver.Call put = () -> call(http, templates.put().replay(endpoint, Map.of(KEY, "new/" + written.incrementAndGet()), null));
        LoadDriver.Call get = () -> {
            int n = Math.floorMod(read.incrementAndGet() * 7919, STORED);
            call(http, templates.get().replay(endpoint, Map.of(KEY, "stored/" + n), null));
        };
        LoadDriver.Call baseline = hello.call(http);
        LoadDriver.Call floor = durableFileWrite(floorDir);
        int most = java.util.Arrays.stream(clientCounts).max().orElse(1);
        // A put is slow enough (a few thousand a second) that C2 still compiles its path half a minute in: warmed up until it settled.
        LoadDriver.WarmUp warmUp = driver.warmUpTogether(most, List.of(c -> baseline, c -> floor, c -> put, c -> get), MAX_WARM_UP_CYCLES);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "Warm-up: %d cycle(s) of the four at %d clients, %.0f s; the JIT "
                + "compiled for %.1f %% of the last cycle%n%n", warmUp.cycles(), most, warmUp.length().toMillis() / 1000.0,
                warmUp.compilingShare() * 100));
        table.append("4 KiB objects, durable store, vs the bare HTTP hello server and vs the disk's floor for a "
                + "durable small write (a new 4 KiB file, fsync, rename, fsync of its directory — what a PutObject does to its body, "
                + "without HTTP and without the record's commit); ops/s (p50 / p99 ms)\n\n"
                + "| clients | hello | fsync'd file writes | PutObject | GetObject | Put ÷ hello | Get ÷ hello | Put ÷ fsync'd writes |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int clients : clientCounts) {
            LoadDriver.Result sumHello = null;
            LoadDriver.Result sumFloor = null;
            LoadDriver.Result sumPut = null;
            LoadDriver.Result sumGet = null;
            for (int round = 0; round < ROUNDS; round++) {
                sumHello = LoadDriver.Result.sum(sumHello, driver.measure(clients, c -> baseline, ROUNDS));
                sumFloor = LoadDriver.Result.sum(sumFloor, driver.measure(clients, c -> floor, ROUNDS));
                sumPut = LoadDriver.Result.sum(sumPut, driver.measure(clients, c -> put, ROUNDS));
                sumGet = LoadDriver.Result.sum(sumGet, driver.measure(clients, c -> get, ROUNDS));
            }
            table.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | **%.2f** | **%.2f** | %.2f |%n", clients, cell(sumHello), cell(sumFloor),
                    cell(sumPut), cell(sumGet), sumPut.throughput() / sumHello.throughput(), sumGet.throughput() / sumHello.throughput(),
                    sumPut.throughput() / sumFloor.throughput()));
        }
        return table.toString();
    }

    /**
     * The least a durable small write costs on this disk, done here without a server: a new 4 KiB
     * file under a fresh name, fsync, rename into one of 256 directories, fsync of that directory.
     */
    private static LoadDriver.Call durableFileWrite(Path dir) throws IOException {
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        Path done = Files.createDirectories(dir.resolve("done"));
        for (int i = 0; i < 256; i++) {
            Files.createDirectories(done.resolve(Integer.toString(i)));
        }
        byte[] bytes = new byte[SMALL];
        new Random(7).nextBytes(bytes);
        AtomicLong files = new AtomicLong();
        return () -> {
            long id = files.incrementAndGet();
            Path file = temp.resolve(Long.toString(id));
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Path target = done.resolve(Long.toString(id % 256)).resolve(Long.toString(id));
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        };
    }

    private String largeObject(CloseableHttpClient http, S3Client s3, URI endpoint, Templates templates, Path dataDir) throws Exception {
        long size = (long) PART * PARTS;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "1 GiB: dd bs=8M count=128 conv=fsync into the data directory, right before and after, vs a multipart upload "
                        + "(%d × 8 MiB parts, %d threads) and a download (MB/s = 10^6 bytes/s; ratios against the mean of the two dd runs; "
                        + "`sync` before each); heap of the JVM holding Stratus, MB\n\n"
                        + "| round | dd MB/s before / after | upload MB/s | upload ÷ dd | download MB/s | download ÷ dd | heap before | after | "
                        + "max after a GC during | peak used (with garbage) | GCs |\n"
                        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", PARTS, PART_THREADS));
        for (int round = 1; round <= LARGE_ROUNDS; round++) {
            double ddBefore = size / dd(dataDir.resolve("dd.bin")) / 1e6;
            sync();
            HeapWatch heap = new HeapWatch();
            heap.start();
            long started = System.nanoTime();
            String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("large")).uploadId();
            AtomicReferenceArray<String> etags = new AtomicReferenceArray<>(PARTS + 1);
            AtomicInteger next = new AtomicInteger(1);
            List<Thread> threads = new ArrayList<>();
            List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < PART_THREADS; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int n = next.getAndIncrement(); n <= PARTS && failures.isEmpty(); n = next.getAndIncrement()) {
                        HttpRequestBase request = templates.uploadPart().replay(endpoint,
                                Map.of(KEY, "large", UPLOAD, uploadId, "partNumber=9999", "partNumber=" + n), null);
                        try (CloseableHttpResponse response = http.execute(request)) {
                            EntityUtils.consume(response.getEntity());
                            if (response.getStatusLine().getStatusCode() != 200) {
                                throw new IOException("UploadPart " + n + ": " + response.getStatusLine());
                            }
                            etags.set(n, response.getFirstHeader("ETag").getValue());
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                throw failures.getFirst();
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (int n = 1; n <= PARTS; n++) {
                int number = n;
                completed.add(CompletedPart.builder().partNumber(number).eTag(etags.get(number)).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("large").uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
            double upload = size / ((System.nanoTime() - started) / 1e9) / 1e6;

            started = System.nanoTime();
            long received = 0;
            try (CloseableHttpResponse response = http.execute(templates.get().replay(endpoint, Map.of(KEY, "large"), null));
                    InputStream in = response.getEntity().getContent()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received += n;
                }
            }
            if (received != size) {
                throw new IOException("downloaded " + received + " bytes of " + size);
            }
            double download = size / ((System.nanoTime() - started) / 1e9) / 1e6;
            HeapWatch.Growth growth = heap.stop();
            s3.deleteObject(b -> b.bucket(BUCKET).key("large"));
            double ddAfter = size / dd(dataDir.resolve("dd.bin")) / 1e6;
            double dd = (ddBefore + ddAfter) / 2;
            table.append(String.format(Locale.ROOT, "| %d | %.0f / %.0f | %.0f | **%.2f** | %.0f | **%.2f** | %.0f | %.0f | %s | %.0f | %d |%n", round,
                    ddBefore, ddAfter, upload, upload / dd, download, download / dd, mb(growth.before()), mb(growth.after()),
                    growth.collections() == 0 ? "–" : String.format(Locale.ROOT, "%.0f", mb(growth.maxAfterGc())),
                    mb(growth.peakUsed()), growth.collections()));
        }
        return table.toString();
    }

    /** Writes back every dirty page, so what an earlier step left to the kernel is not charged to the next. */
    private static void sync() throws Exception {
        Process process = new ProcessBuilder("sync").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(120, TimeUnit.SECONDS);
    }

    /** Seconds {@code dd} takes to write 1 GiB of zeros to {@code file} and fsync it (after a {@code sync}); the file is removed after. */
    private static double dd(Path file) throws Exception {
        sync();
        Process process = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=8M", "count=128", "conv=fsync")
                .redirectErrorStream(true).start();
        long started = System.nanoTime();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("dd failed");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.delete(file);
        return seconds;
    }

    /** A 4 KiB PutObject and GetObject and an 8 MiB UploadPart as the SDK sends them. */
    private static Templates capture(byte[] small, byte[] part) throws Exception {
        String smallTag = "ETag: \"" + md5(small) + "\"\r\n";
        String partTag = "ETag: \"" + md5(part) + "\"\r\n";
        String smallBody = new String(small, StandardCharsets.ISO_8859_1);
        try (SdkCapture capture = new SdkCapture(request -> request.method().equals("GET")
                        ? SdkCapture.ok(smallTag + "Content-Type: binary/octet-stream\r\n", smallBody)
                        : SdkCapture.ok(request.target().contains("partNumber") ? partTag : smallTag, ""));
                S3Client sdk = client(capture.endpoint())) {
            sdk.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(small));
            SdkCapture.Request put = capture.next();
            sdk.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY));
            SdkCapture.Request get = capture.next();
            sdk.uploadPart(b -> b.bucket(BUCKET).key(KEY).uploadId(UPLOAD).partNumber(9999), RequestBody.fromBytes(part));
            SdkCapture.Request uploadPart = capture.next();
            return new Templates(put, get, uploadPart);
        }
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    private static void call(CloseableHttpClient http, HttpRequestBase request) throws IOException {
        try (CloseableHttpResponse response = http.execute(request)) {
            EntityUtils.consume(response.getEntity());
            if (response.getStatusLine().getStatusCode() != 200) {
                throw new IOException(request.getMethod() + " " + request.getURI() + ": " + response.getStatusLine());
            }
        }
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }

    private static String cell(LoadDriver.Result result) {
        String cell = String.format(Locale.ROOT, "%.0f (%.2f / %.2f)", result.throughput(), result.percentileMillis(50), result.percentileMillis(99));
        return result.errors() == 0 ? cell : cell + ", " + result.errors() + " errors";
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
