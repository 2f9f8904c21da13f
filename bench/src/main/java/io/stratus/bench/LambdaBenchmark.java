package io.stratus.bench;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Lambda's targets, in one run on one Stratus (memory store):
 * <ul>
 *   <li>warm Invoke of a Node.js and a Python echo function against the bare Netty hello server,
 *       in alternating rounds;</li>
 *   <li>cold start: the first Invoke of a new Python function against {@code python3 -c pass}
 *       (medians of five);</li>
 *   <li>50 concurrent invocations of a Python function that sleeps 200 ms: wall time, cold (no
 *       environment yet) and then warm.</li>
 * </ul>
 */
final class LambdaBenchmark {

    private static final String NODE_ECHO = "exports.handler = async (event) => event;\n";
    private static final String PYTHON_ECHO = "def handler(event, context):\n    return event\n";
    private static final String PYTHON_SLEEP = "import time\ndef handler(event, context):\n    time.sleep(0.2)\n    return 'ok'\n";
    private static final int ROUNDS = 4;
    /** Warm-up cycles at most, each of every measured call for the warm-up time, until the JIT settles. */
    private static final int MAX_WARM_UP_CYCLES = 4;

    private final LoadDriver driver;
    private final int[] clientCounts;

    LambdaBenchmark(LoadDriver driver, int[] clientCounts) {
        this.driver = driver;
        this.clientCounts = clientCounts.clone();
    }

    String run() throws Exception {
        Path dataDir = Files.createTempDirectory("stratus-bench-lambda-");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(256);
        connections.setDefaultMaxPerRoute(256);
        StringBuilder report = new StringBuilder();
        try (HelloServer hello = new HelloServer();
                StratusServer stratus = StratusServer.start(StratusConfig.defaults().withPort(0).withStorage(StratusConfig.Storage.MEMORY, dataDir));
                CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections).build();
                LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + stratus.port()))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build()) {
            URI endpoint = URI.create("http://127.0.0.1:" + stratus.port());
            create(lambda, "node-echo", Runtime.NODEJS20_X, "index.handler", "index.js", NODE_ECHO, 10);
            create(lambda, "python-echo", Runtime.PYTHON3_12, "app.handler", "app.py", PYTHON_ECHO, 10);

            report.append("Warm Invoke (echo) vs the bare HTTP hello server\n\n");
            report.append("| function | clients | hello req/s | Invoke req/s | ratio | hello p50/p99 ms | Invoke p50/p99 ms |\n");
            report.append("|---|---:|---:|---:|---:|---:|---:|\n");
            int most = java.util.Arrays.stream(clientCounts).max().orElse(1);
            List<String> functions = List.of("node-echo", "python-echo");
            List<IntFunction<LoadDriver.Call>> calls = new ArrayList<>();
            functions.forEach(function -> calls.add(c -> () -> invoke(client, endpoint, function, "{\"a\":1}")));
            calls.add(c -> hello.call(client));
            LoadDriver.WarmUp warmUp = driver.warmUpTogether(most, calls, MAX_WARM_UP_CYCLES);
            // For bench/lambda-thread-cpu.py, which counts the CPU of the measured rounds only.
            System.out.println("Warmed up; measuring.");
            System.out.flush();
            for (String function : functions) {
                for (int clients : clientCounts) {
                    LoadDriver.Result base = null;
                    LoadDriver.Result invokes = null;
                    for (int round = 0; round < ROUNDS; round++) {
                        base = LoadDriver.Result.sum(base, driver.measure(clients, c -> hello.call(client), ROUNDS));
                        invokes = LoadDriver.Result.sum(invokes, driver.measure(clients, c -> () -> invoke(client, endpoint, function, "{\"a\":1}"), ROUNDS));
                    }
                    report.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.3f | %.2f / %.2f | %.2f / %.2f |%n", function, clients,
                            base.throughput(), invokes.throughput(), invokes.throughput() / base.throughput(), base.percentileMillis(50),
                            base.percentileMillis(99), invokes.percentileMillis(50), invokes.percentileMillis(99)));
                }
            }

            report.append(String.format(Locale.ROOT, "%nWarm-up: %d cycle(s) of both functions and hello at %d clients, %.0f s; "
                    + "the JIT compiled for %.1f %% of the last cycle%n", warmUp.cycles(), most, warmUp.length().toMillis() / 1000.0,
                    warmUp.compilingShare() * 100));

            report.append("\nCold start of a new Python function (first Invoke) vs `python3 -c pass`, medians of 5\n\n");
            List<Long> bare = new ArrayList<>();
            List<Long> cold = new ArrayList<>();
            String python = realPython();
            for (int i = 0; i < 5; i++) {
                long begin = System.nanoTime();
                new ProcessBuilder(python, "-c", "pass").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                bare.add((System.nanoTime() - begin) / 1_000_000);
                String name = "cold-" + i;
                create(lambda, name, Runtime.PYTHON3_12, "app.handler", "app.py", PYTHON_ECHO, 10);
                begin = System.nanoTime();
                invoke(client, endpoint, name, "{}");
                cold.add((System.nanoTime() - begin) / 1_000_000);
            }
            bare.sort(null);
            cold.sort(null);
            report.append("| `python3 -c pass` ms | first Invoke ms | difference ms |\n|---:|---:|---:|\n");
            report.append(String.format(Locale.ROOT, "| %d | %d | %d |%n", bare.get(2), cold.get(2), cold.get(2) - bare.get(2)));

            report.append("\n50 concurrent invocations of a function sleeping 200 ms: wall time\n\n");
            create(lambda, "sleeper", Runtime.PYTHON3_12, "app.handler", "app.py", PYTHON_SLEEP, 10);
            long coldWall = fanOut(client, endpoint, "sleeper", 50);
            long warmWall = fanOut(client, endpoint, "sleeper", 50);
            report.append("| cold (no environment yet) ms | warm ms |\n|---:|---:|\n");
            report.append(String.format(Locale.ROOT, "| %d | %d |%n", coldWall, warmWall));
        }
        return report.toString();
    }

    /**
     * The interpreter behind {@code python3} on the PATH, as Stratus resolves it for its Python
     * runtimes: a version manager's shim (pyenv's costs ~300 ms per start) would inflate the baseline.
     */
    private static String realPython() throws Exception {
        Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
        String executable = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.waitFor() == 0 && !executable.isEmpty() ? executable : "python3";
    }

    private static long fanOut(CloseableHttpClient client, URI endpoint, String function, int count) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            long begin = System.nanoTime();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(threads.submit(() -> {
                    invoke(client, endpoint, function, "{}");
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            return (System.nanoTime() - begin) / 1_000_000;
        }
    }

    private static void invoke(CloseableHttpClient client, URI endpoint, String function, String payload) throws IOException {
        HttpPost post = new HttpPost(endpoint + "/2015-03-31/functions/" + function + "/invocations");
        post.setEntity(new StringEntity(payload, ContentType.APPLICATION_JSON));
        HttpResponse response = client.execute(post);
        EntityUtils.consume(response.getEntity());
        if (response.getStatusLine().getStatusCode() != 200 || response.getFirstHeader("X-Amz-Function-Error") != null) {
            throw new IOException("status " + response.getStatusLine());
        }
    }

    private static void create(LambdaClient lambda, String name, Runtime runtime, String handler, String file, String source, int timeout)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(file));
            zip.write(source.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        SdkBytes code = SdkBytes.fromByteArray(bytes.toByteArray());
        lambda.createFunction(r -> r.functionName(name).runtime(runtime).handler(handler).timeout(timeout)
                .role("arn:aws:iam::000000000000:role/bench").code(c -> c.zipFile(code)));
        // A new function is Pending for a moment, as on AWS.
        lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName(name));
    }
}
