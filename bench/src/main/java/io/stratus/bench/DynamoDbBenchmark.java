package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * DynamoDB's targets, in one run against Stratus in-process:
 * <ul>
 *   <li>PutItem (each a new item), GetItem and Query (one partition of 10 items) on the memory
 *       store against the bare Netty hello server, in alternating rounds;</li>
 *   <li>PutItem and GetItem on the durable default store (RocksDB in a temporary directory, strict
 *       sync), to set against the DynamoDB Local figures (DynamoDB Local itself cannot be
 *       run here: its licence does not allow it);</li>
 *   <li>the latency of the same 10-item Query on a 1,000-item table and on a table of
 *       {@code --items} items (default 1,000,000, loaded with BatchWriteItem from 16 clients,
 *       bounded in time), at one client, alternating.</li>
 * </ul>
 * Requests carry the headers the SDK's DynamoDbClient sends (captured once, {@link SdkCapture})
 * with awsJson bodies written here, sent through the pooled Apache client of the hello baseline.
 */
final class DynamoDbBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ROUNDS = 4;
    private static final int PARTITION = 10;
    /** Partitions of the table GetItem and Query read in the throughput runs. */
    private static final int READ_PARTITIONS = 1000;
    private static final int LOAD_CLIENTS = 16;
    private static final long LOAD_LIMIT_NANOS = 240L * 1_000_000_000L;
    private static final String DATA = "d".repeat(64);

    private final LoadDriver driver;
    private final int[] clientCounts;
    private final int bigItems;

    DynamoDbBenchmark(LoadDriver driver, int[] clientCounts, int bigItems) {
        this.driver = requireNonNull(driver, "driver is null");
        this.clientCounts = clientCounts.clone();
        this.bigItems = bigItems;
    }

    /** Sends awsJson1_0 DynamoDB calls with the SDK's headers. Thread-safe. */
    private record Json(CloseableHttpClient http, URI endpoint, SdkCapture.Request template) {

        JsonNode call(String operation, String body) throws IOException {
            HttpRequestBase request = template.replay(endpoint, Map.of(), body.getBytes(StandardCharsets.UTF_8));
            request.setHeader("X-Amz-Target", "DynamoDB_20120810." + operation);
            try (CloseableHttpResponse response = http.execute(request)) {
                byte[] answer = EntityUtils.toByteArray(response.getEntity());
                if (response.getStatusLine().getStatusCode() != 200) {
                    throw new IOException(operation + ": " + response.getStatusLine() + " " + new String(answer, StandardCharsets.UTF_8));
                }
                return operation.equals("BatchWriteItem") ? MAPPER.readTree(answer) : null;
            }
        }
    }

    String run() throws Exception {
        Path dataDir = Files.createTempDirectory("stratus-bench-dynamodb-");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(256);
        connections.setDefaultMaxPerRoute(256);
        StringBuilder report = new StringBuilder();
        try (HelloServer hello = new HelloServer();
                StratusServer memory = StratusServer.start(StratusConfig.defaults().withPort(0)
                        .withStorage(StratusConfig.Storage.MEMORY, dataDir.resolve("memory")));
                StratusServer durable = StratusServer.start(StratusConfig.defaults().withPort(0)
                        .withStorage(StratusConfig.Storage.ROCKSDB, dataDir.resolve("durable")));
                CloseableHttpClient http = HttpClients.custom().setConnectionManager(connections).build()) {
            SdkCapture.Request template = capture();
            Json onMemory = new Json(http, memory.endpoint(), template);
            Json onDurable = new Json(http, durable.endpoint(), template);
            for (StratusServer server : List.of(memory, durable)) {
                createTable(server.endpoint(), "items");
            }
            createTable(memory.endpoint(), "small");
            createTable(memory.endpoint(), "big");
            load(onMemory, "items", READ_PARTITIONS * PARTITION);
            load(onDurable, "items", READ_PARTITIONS * PARTITION);
            load(onMemory, "small", 1000);
            report.append(throughput(http, hello, onMemory, onDurable));
            report.append('\n').append(queryLatency(onMemory));
        } finally {
            S3Benchmark.deleteTree(dataDir);
        }
        return report.toString();
    }

    private String throughput(CloseableHttpClient http, HelloServer hello, Json onMemory, Json onDurable) throws Exception {
        AtomicLong written = new AtomicLong();
        LoadDriver.Call baseline = hello.call(http);
        LoadDriver.Call memoryPut = () -> onMemory.call("PutItem", putItem("items", "new-" + written.incrementAndGet(), 0));
        LoadDriver.Call memoryGet = () -> onMemory.call("GetItem", getItem());
        LoadDriver.Call memoryQuery = () -> onMemory.call("Query", query("items", READ_PARTITIONS));
        LoadDriver.Call durablePut = () -> onDurable.call("PutItem", putItem("items", "new-" + written.incrementAndGet(), 0));
        LoadDriver.Call durableGet = () -> onDurable.call("GetItem", getItem());
        int most = java.util.Arrays.stream(clientCounts).max().orElse(1);
        for (LoadDriver.Call call : List.of(baseline, memoryPut, memoryGet, memoryQuery, durablePut, durableGet)) {
            driver.warmUp(most, c -> call);
        }
        StringBuilder memoryTable = new StringBuilder("Memory store vs the bare HTTP hello server, ops/s (p50 / p99 ms)\n\n"
                + "| clients | hello | PutItem | GetItem | Query (10 items) | Put ÷ hello | Get ÷ hello | Query ÷ hello |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder durableTable = new StringBuilder("\nDurable default store (RocksDB, strict sync), ops/s (p50 / p99 ms); "
                + "the issue's DynamoDB Local figures: ~190 PutItem/s on disk, ~1,500 PutItem/s and ~2,400 GetItem/s in memory\n\n"
                + "| clients | PutItem | GetItem | PutItem ÷ 190 |\n|---:|---:|---:|---:|\n");
        for (int clients : clientCounts) {
            List<LoadDriver.Call> memoryCalls = List.of(baseline, memoryPut, memoryGet, memoryQuery);
            LoadDriver.Result[] m = alternate(clients, memoryCalls);
            memoryTable.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | **%.2f** | **%.2f** | **%.2f** |%n", clients, cell(m[0]),
                    cell(m[1]), cell(m[2]), cell(m[3]), m[1].throughput() / m[0].throughput(), m[2].throughput() / m[0].throughput(),
                    m[3].throughput() / m[0].throughput()));
            LoadDriver.Result[] d = alternate(clients, List.of(durablePut, durableGet));
            durableTable.append(String.format(Locale.ROOT, "| %d | %s | %s | **%.0f×** |%n", clients, cell(d[0]), cell(d[1]),
                    d[0].throughput() / 190));
        }
        return memoryTable.append(durableTable).toString();
    }

    private String queryLatency(Json onMemory) throws Exception {
        long started = System.nanoTime();
        int loaded = load(onMemory, "big", bigItems);
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        int bigPartitions = loaded / PARTITION;
        LoadDriver.Call small = () -> onMemory.call("Query", query("small", 1000 / PARTITION));
        LoadDriver.Call big = () -> onMemory.call("Query", query("big", bigPartitions));
        driver.warmUp(1, c -> small);
        driver.warmUp(1, c -> big);
        LoadDriver.Result[] pair = alternate(1, List.of(small, big));
        return String.format(Locale.ROOT, "Query of one 10-item partition, 1 client, memory store: 1,000-item table vs %,d-item table "
                        + "(loaded with BatchWriteItem from %d clients in %.0f s, %,.0f items/s)%n%n"
                        + "| table | queries/s | p50 ms | p99 ms | mean ms |%n|---|---:|---:|---:|---:|%n"
                        + "| 1,000 items | %.0f | %.3f | %.3f | %.3f |%n| %,d items | %.0f | %.3f | %.3f | %.3f |%n%n"
                        + "big ÷ small: p50 **%.2f×**, p99 %.2f×, mean %.2f×%n",
                loaded, LOAD_CLIENTS, loadSeconds, loaded / loadSeconds,
                pair[0].throughput(), pair[0].percentileMillis(50), pair[0].percentileMillis(99), pair[0].latency().getMean() / 1e6,
                loaded, pair[1].throughput(), pair[1].percentileMillis(50), pair[1].percentileMillis(99), pair[1].latency().getMean() / 1e6,
                pair[1].percentileMillis(50) / pair[0].percentileMillis(50), pair[1].percentileMillis(99) / pair[0].percentileMillis(99),
                pair[1].latency().getMean() / pair[0].latency().getMean());
    }

    /** Each call measured in alternating rounds, a share of the measuring time each. */
    private LoadDriver.Result[] alternate(int clients, List<LoadDriver.Call> calls) throws InterruptedException {
        LoadDriver.Result[] sums = new LoadDriver.Result[calls.size()];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < calls.size(); i++) {
                LoadDriver.Call call = calls.get(i);
                sums[i] = LoadDriver.Result.sum(sums[i], driver.measure(clients, c -> call, ROUNDS));
            }
        }
        return sums;
    }

    /**
     * Writes {@code items} items, {@value #PARTITION} per partition key {@code p-<n>}, in BatchWriteItem
     * calls of 25 from {@value #LOAD_CLIENTS} clients; stops at whole partitions when the time limit
     * is reached. Returns how many were written.
     */
    private static int load(Json json, String table, int items) throws Exception {
        int batches = (items + 24) / 25;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        long deadline = System.nanoTime() + LOAD_LIMIT_NANOS;
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int partitions = items / PARTITION;
        for (int t = 0; t < LOAD_CLIENTS; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                // Batches are taken in order, so whatever is written when time runs out is a prefix of whole batches.
                for (int batch = next.getAndIncrement(); batch < batches && failures.isEmpty(); batch = next.getAndIncrement()) {
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    StringBuilder body = new StringBuilder("{\"RequestItems\":{\"").append(table).append("\":[");
                    int first = batch * 25;
                    int last = Math.min(items, first + 25);
                    for (int i = first; i < last; i++) {
                        body.append(i > first ? "," : "").append("{\"PutRequest\":{\"Item\":")
                                .append(item("p-" + (i / PARTITION), i % PARTITION)).append("}}");
                    }
                    body.append("]}}");
                    try {
                        JsonNode answer = json.call("BatchWriteItem", body.toString());
                        if (!answer.path("UnprocessedItems").isEmpty()) {
                            throw new IOException("unprocessed items: " + answer.path("UnprocessedItems"));
                        }
                        written.addAndGet(last - first);
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
        // Partitions are whole only up to the first batch that was not taken.
        return Math.min(partitions, written.get() / PARTITION) * PARTITION;
    }

    private static String item(String pk, int sk) {
        return "{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"N\":\"" + sk + "\"},\"data\":{\"S\":\"" + DATA + "\"},\"n\":{\"N\":\"" + sk + "\"}}";
    }

    private static String putItem(String table, String pk, int sk) {
        return "{\"TableName\":\"" + table + "\",\"Item\":" + item(pk, sk) + "}";
    }

    private static String getItem() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "{\"TableName\":\"items\",\"Key\":{\"pk\":{\"S\":\"p-" + random.nextInt(READ_PARTITIONS) + "\"},\"sk\":{\"N\":\""
                + random.nextInt(PARTITION) + "\"}}}";
    }

    private static String query(String table, int partitions) {
        return "{\"TableName\":\"" + table + "\",\"KeyConditionExpression\":\"pk = :pk\",\"ExpressionAttributeValues\":{\":pk\":{\"S\":\"p-"
                + ThreadLocalRandom.current().nextInt(partitions) + "\"}}}";
    }

    private static void createTable(URI endpoint, String name) {
        try (DynamoDbClient dynamo = client(endpoint)) {
            dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        }
    }

    /** The headers of a PutItem as the SDK sends it. */
    private static SdkCapture.Request capture() throws Exception {
        try (SdkCapture capture = new SdkCapture(request -> SdkCapture.ok("Content-Type: application/x-amz-json-1.0\r\n", "{}"));
                DynamoDbClient sdk = client(capture.endpoint())) {
            sdk.putItem(b -> b.tableName("items").item(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN("0"))));
            return capture.next();
        }
    }

    private static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    private static String cell(LoadDriver.Result result) {
        String cell = String.format(Locale.ROOT, "%.0f (%.2f / %.2f)", result.throughput(), result.percentileMillis(50), result.percentileMillis(99));
        return result.errors() == 0 ? cell : cell + ", " + result.errors() + " errors";
    }
}
