package io.stratus.bench;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

/**
 * The {@code edge} benchmark: a trivial AWS call (STS GetCallerIdentity over awsQuery) against
 * Stratus, and the bare Netty hello server as the baseline, measured side by side in one run with
 * the HTTP client the AWS SDK uses (Apache HttpClient); then the built jar's start time and idle RSS.
 */
final class EdgeBenchmark {

    private static final String STS_BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0".repeat(64);

    private final LoadDriver driver;
    private final int[] clientCounts;
    private final Path serverJar;
    private final String java;

    EdgeBenchmark(LoadDriver driver, int[] clientCounts, Path serverJar, String java) {
        this.driver = driver;
        this.clientCounts = clientCounts.clone();
        this.serverJar = serverJar;
        this.java = java;
    }

    String run() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("| clients | baseline req/s | stratus req/s | ratio | baseline p50/p99 ms | stratus p50/p99 ms |\n");
        report.append("|---:|---:|---:|---:|---:|---:|\n");
        Path dataDir = Files.createTempDirectory("stratus-bench-");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(256);
        connections.setDefaultMaxPerRoute(256);
        try (HelloServer hello = new HelloServer();
                StratusServer stratus = StratusServer.start(StratusConfig.defaults().withPort(0).withStorage(StratusConfig.Storage.MEMORY, dataDir));
                CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections).build()) {
            URI stratusUri = URI.create("http://127.0.0.1:" + stratus.port() + "/");
            for (int clients : clientCounts) {
                LoadDriver.Result baseline = driver.run(clients, hello.call(client));
                LoadDriver.Result measured = driver.run(clients, () -> callSts(client, stratusUri));
                report.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.2f / %.2f | %.2f / %.2f |%n",
                        clients, baseline.throughput(), measured.throughput(), measured.throughput() / baseline.throughput(),
                        baseline.percentileMillis(50), baseline.percentileMillis(99),
                        measured.percentileMillis(50), measured.percentileMillis(99)));
                if (baseline.errors() + measured.errors() > 0) {
                    report.append(String.format(Locale.ROOT, "|  | errors: %d | errors: %d | | | |%n", baseline.errors(), measured.errors()));
                }
            }
        }
        if (serverJar != null) {
            report.append('\n').append(startup());
        }
        return report.toString();
    }

    private static void callSts(CloseableHttpClient client, URI uri) throws IOException {
        HttpPost post = new HttpPost(uri);
        post.setHeader("Authorization", AUTHORIZATION);
        post.setHeader("X-Amz-Date", "20250101T000000Z");
        post.setEntity(new StringEntity(STS_BODY, ContentType.APPLICATION_FORM_URLENCODED));
        HttpResponse response = client.execute(post);
        EntityUtils.consume(response.getEntity());
        if (response.getStatusLine().getStatusCode() != 200) {
            throw new IOException("status " + response.getStatusLine());
        }
    }

    /**
     * Launch → first 200 from /_stratus/health with the JVM flags of {@code ./stratus}: once
     * without a class-data archive (the first start after a build), then three times with the
     * archive that first run left (median); then idle RSS five seconds after the last start.
     */
    private String startup() throws Exception {
        Path archive = Files.createTempDirectory("stratus-bench-cds-").resolve("stratus.jsa");
        long cold = startOnce(archive, false)[0];
        List<Long> warm = new ArrayList<>();
        long rssKb = -1;
        for (int attempt = 0; attempt < 3; attempt++) {
            long[] measured = startOnce(archive, attempt == 2);
            warm.add(measured[0]);
            rssKb = Math.max(rssKb, measured[1]);
        }
        warm.sort(null);
        return String.format(Locale.ROOT,
                "| start → first 200, first run | start → first 200, with class-data archive (median of 3) | idle RSS |%n"
                        + "|---:|---:|---:|%n| %d ms | %d ms | %d MB |%n",
                cold, warm.get(1), rssKb / 1024);
    }

    /** Returns {start millis, idle RSS in kB or -1}. */
    private long[] startOnce(Path archive, boolean measureRss) throws Exception {
        Path dataDir = Files.createTempDirectory("stratus-bench-start-");
        int port = freePort();
        long begin = System.nanoTime();
        // The flags of ./stratus (the jar's manifest enables native access for RocksDB).
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + archive));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", serverJar.toString(), "start", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForHealth(port, Duration.ofSeconds(30));
            long millis = (System.nanoTime() - begin) / 1_000_000;
            long rss = -1;
            if (measureRss) {
                Thread.sleep(5_000);
                rss = rssKb(process.pid());
            }
            return new long[] {millis, rss};
        } finally {
            // SIGTERM: a clean stop, which also writes the class-data archive on the first run.
            process.destroy();
            process.waitFor();
        }
    }

    private static void waitForHealth(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI health = URI.create("http://127.0.0.1:" + port + "/_stratus/health");
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
                connection.setConnectTimeout(100);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("Stratus did not answer on port " + port + " within " + timeout);
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
