package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * The {@code sqs} benchmark: SendMessage throughput, send+receive+delete round trips and long-poll
 * wake-up latency of ElasticMQ (in-memory), Stratus on its memory store and Stratus on its durable
 * default store (RocksDB, strict sync), all in this JVM and driven by one client; the bare Netty
 * hello server is the "what the machine can do" baseline for the same client.
 */
final class SqsBenchmark {

    private static final String BODY = "m".repeat(100);
    /** Long-poll samples taken and thrown away before the measured ones, while the JIT settles. */
    private static final int WAKE_UP_WARMUP = 50;
    /** Time for a ReceiveMessage to reach the server and park before the send that should wake it. */
    private static final long PARK_MILLIS = 10;
    private static final int WARM_UP_CLIENTS = 16;

    /** One SQS server under test. */
    private record Subject(String name, SqsJsonClient sqs) {}

    /** What one server did at one client count. */
    private record Measured(LoadDriver.Result sends, LoadDriver.Result roundTrips) {}

    private final LoadDriver driver;
    private final int[] clientCounts;
    private final int wakeUpSamples;

    SqsBenchmark(LoadDriver driver, int[] clientCounts, int wakeUpSamples) {
        this.driver = requireNonNull(driver, "driver is null");
        this.clientCounts = clientCounts.clone();
        this.wakeUpSamples = wakeUpSamples;
    }

    String run() throws Exception {
        // The durable server's RocksDB; the memory store writes nothing there.
        Path dataDir = Files.createTempDirectory("stratus-bench-sqs-");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(256);
        connections.setDefaultMaxPerRoute(256);
        try (HelloServer hello = new HelloServer();
                ElasticMq elasticMq = new ElasticMq();
                StratusServer memory = StratusServer.start(StratusConfig.defaults().withPort(0)
                        .withStorage(StratusConfig.Storage.MEMORY, dataDir));
                StratusServer durable = StratusServer.start(StratusConfig.defaults().withPort(0)
                        .withStorage(StratusConfig.Storage.ROCKSDB, dataDir));
                CloseableHttpClient http = HttpClients.custom().setConnectionManager(connections).build()) {
            List<Subject> subjects = List.of(
                    new Subject("ElasticMQ", new SqsJsonClient(http, elasticMq.endpoint())),
                    new Subject("Stratus memory", new SqsJsonClient(http, loopback(memory.port()))),
                    new Subject("Stratus durable", new SqsJsonClient(http, loopback(durable.port()))));
            warmUp(subjects);
            return throughput(http, hello, subjects) + "\n" + wakeUps(subjects);
        }
    }

    /** The SendMessage and round-trip tables, each client count in turn, the hello baseline first. */
    private String throughput(CloseableHttpClient http, HelloServer hello, List<Subject> subjects) throws Exception {
        StringBuilder sends = new StringBuilder("SendMessage, ops/s (p50 / p99 ms)\n\n"
                + "| clients | hello req/s | ElasticMQ send/s | Stratus memory send/s | Stratus durable send/s "
                + "| memory ÷ hello | memory ÷ ElasticMQ | durable ÷ ElasticMQ |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder roundTrips = new StringBuilder("\nSendMessage + ReceiveMessage + DeleteMessage, each client on its own queue, "
                + "round trips/s (p50 / p99 ms)\n\n"
                + "| clients | ElasticMQ round trips/s | Stratus memory round trips/s | Stratus durable round trips/s "
                + "| memory ÷ ElasticMQ | durable ÷ ElasticMQ |\n|---:|---:|---:|---:|---:|---:|\n");
        for (int clients : clientCounts) {
            LoadDriver.Result baseline = driver.run(clients, hello.call(http));
            List<Measured> measured = new ArrayList<>();
            for (Subject subject : subjects) {
                measured.add(measure(subject, clients));
            }
            appendRow(sends, clients, baseline, measured, Measured::sends);
            appendRow(roundTrips, clients, null, measured, Measured::roundTrips);
        }
        return sends.append(roundTrips).toString();
    }

    private String wakeUps(List<Subject> subjects) throws Exception {
        List<Histogram> latencies = new ArrayList<>();
        for (Subject subject : subjects) {
            latencies.add(wakeUpLatency(subject));
        }
        StringBuilder table = new StringBuilder("ReceiveMessage parked with WaitTimeSeconds=20, then a SendMessage: "
                + "send start → receive return, " + wakeUpSamples + " samples\n\n"
                + "| long-poll wake-up | ElasticMQ | Stratus memory | Stratus durable |\n|---|---:|---:|---:|\n");
        for (double percentile : new double[] {50, 99, 100}) {
            table.append(percentile == 100 ? "| max ms" : String.format(Locale.ROOT, "| p%.0f ms", percentile));
            for (Histogram latency : latencies) {
                table.append(String.format(Locale.ROOT, " | %.2f", latency.getValueAtPercentile(percentile) / 1e6));
            }
            table.append(" |\n");
        }
        return table.toString();
    }

    /**
     * Sends and round trips against every server once, unmeasured, before the first measurement:
     * otherwise whichever server runs first (ElasticMQ, on Pekko and Scala code no other server
     * shares) is measured half compiled.
     */
    private void warmUp(List<Subject> subjects) throws Exception {
        for (Subject subject : subjects) {
            SqsJsonClient sqs = subject.sqs();
            String sendQueue = sqs.createQueue("warm-up");
            driver.warmUp(WARM_UP_CLIENTS, client -> () -> sqs.send(sendQueue, BODY));
            List<String> ownQueues = createQueues(sqs, "warm-up-", WARM_UP_CLIENTS);
            driver.warmUp(WARM_UP_CLIENTS, client -> () -> roundTrip(sqs, ownQueues.get(client)));
        }
    }

    private Measured measure(Subject subject, int clients) throws Exception {
        SqsJsonClient sqs = subject.sqs();
        String sendQueue = sqs.createQueue("send-" + clients);
        LoadDriver.Result sends = driver.run(clients, () -> sqs.send(sendQueue, BODY));
        List<String> ownQueues = createQueues(sqs, "round-trip-" + clients + "-", clients);
        LoadDriver.Result roundTrips = driver.run(clients, client -> () -> roundTrip(sqs, ownQueues.get(client)));
        return new Measured(sends, roundTrips);
    }

    private static List<String> createQueues(SqsJsonClient sqs, String prefix, int count) throws IOException {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            urls.add(sqs.createQueue(prefix + i));
        }
        return urls;
    }

    private static void roundTrip(SqsJsonClient sqs, String queueUrl) throws IOException {
        sqs.send(queueUrl, BODY);
        // A second of long polling, not none: a server whose sends become visible a little late pays
        // for it in latency here instead of failing the round trip.
        SqsJsonClient.Received received = sqs.receive(queueUrl, 1).orElseThrow(() -> new IOException("no message received"));
        sqs.delete(queueUrl, received.receiptHandle());
    }

    /**
     * One receiver parks in ReceiveMessage (WaitTimeSeconds=20) on an empty queue; then a send; the
     * sample is from the send's start to the receive's return, both on this JVM's clock.
     */
    private Histogram wakeUpLatency(Subject subject) throws Exception {
        SqsJsonClient sqs = subject.sqs();
        String queue = sqs.createQueue("wake-up");
        Histogram latency = new Histogram(3);
        ExecutorService receiver = Executors.newSingleThreadExecutor();
        try {
            for (int sample = 0; sample < WAKE_UP_WARMUP + wakeUpSamples; sample++) {
                Future<Long> returned = receiver.submit(() -> {
                    SqsJsonClient.Received received = sqs.receive(queue, 20)
                            .orElseThrow(() -> new IOException(subject.name() + ": a long poll ended without the message"));
                    long at = System.nanoTime();
                    sqs.delete(queue, received.receiptHandle());
                    return at;
                });
                Thread.sleep(PARK_MILLIS);
                long sent = System.nanoTime();
                sqs.send(queue, BODY);
                long wokenUp = returned.get(25, TimeUnit.SECONDS) - sent;
                if (sample >= WAKE_UP_WARMUP) {
                    latency.recordValue(wokenUp);
                }
            }
        } finally {
            receiver.shutdownNow();
        }
        return latency;
    }

    private static void appendRow(StringBuilder table, int clients, LoadDriver.Result baseline, List<Measured> measured,
            Function<Measured, LoadDriver.Result> metric) {
        LoadDriver.Result elasticMq = metric.apply(measured.get(0));
        LoadDriver.Result memory = metric.apply(measured.get(1));
        LoadDriver.Result durable = metric.apply(measured.get(2));
        table.append("| ").append(clients);
        if (baseline != null) {
            table.append(" | ").append(cell(baseline));
        }
        table.append(" | ").append(cell(elasticMq)).append(" | ").append(cell(memory)).append(" | ").append(cell(durable));
        if (baseline != null) {
            table.append(String.format(Locale.ROOT, " | %.2f", memory.throughput() / baseline.throughput()));
        }
        table.append(String.format(Locale.ROOT, " | **%.1f×** | **%.1f×** |%n",
                memory.throughput() / elasticMq.throughput(), durable.throughput() / elasticMq.throughput()));
    }

    private static String cell(LoadDriver.Result result) {
        String cell = String.format(Locale.ROOT, "%.0f (%.2f / %.2f)", result.throughput(), result.percentileMillis(50), result.percentileMillis(99));
        return result.errors() == 0 ? cell : cell + ", " + result.errors() + " errors";
    }

    private static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port + "/");
    }
}
