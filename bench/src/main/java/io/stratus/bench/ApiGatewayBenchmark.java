package io.stratus.bench;

import io.stratus.core.StratusConfig;
import io.stratus.server.StratusServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpUriRequest;
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
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * What API Gateway adds, in one run on one Stratus (memory store):
 * <ul>
 *   <li>an HTTP API (quick create, {@code $default} stage) proxying to a warm Node.js echo
 *       function, against the same function called with Lambda's Invoke API directly — the
 *       gateway's throughput share and the latency it adds at p50;</li>
 *   <li>a REST API {@code GET} with a MOCK integration, against the bare Netty hello server.</li>
 * </ul>
 * Both sides of each pair are driven by the same pooled Apache HTTP client.
 */
final class ApiGatewayBenchmark {

    private static final String ECHO = "exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ ok: true }) });\n";

    /** Rounds per side in {@link #alternate}; each measures a share of the measuring time. */
    private static final int ROUNDS = 4;

    private final LoadDriver driver;
    private final int[] clientCounts;

    ApiGatewayBenchmark(LoadDriver driver, int[] clientCounts) {
        this.driver = driver;
        this.clientCounts = clientCounts.clone();
    }

    String run() throws Exception {
        Path dataDir = Files.createTempDirectory("stratus-bench-apigw-");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(256);
        connections.setDefaultMaxPerRoute(256);
        StringBuilder report = new StringBuilder();
        try (HelloServer hello = new HelloServer();
                StratusServer stratus = StratusServer.start(StratusConfig.defaults().withPort(0).withStorage(StratusConfig.Storage.MEMORY, dataDir));
                CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections).build()) {
            URI endpoint = URI.create("http://127.0.0.1:" + stratus.port());
            String httpApi = setUpHttpApi(endpoint);
            String restApi = setUpRestApi(endpoint);

            report.append("HTTP API → Lambda (node echo, warm) vs Lambda Invoke of the same function\n\n");
            report.append("| clients | Invoke req/s | HTTP API req/s | ratio | Invoke p50/p99 ms | HTTP API p50/p99 ms | added p50 ms |\n");
            report.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            // Both paths share the function's environments and the server's JIT: warm both before measuring either.
            int most = java.util.Arrays.stream(clientCounts).max().orElse(1);
            driver.warmUp(most, c -> () -> call(client, invoke(endpoint)));
            driver.warmUp(most, c -> () -> call(client, new HttpGet(endpoint + "/_aws/execute-api/" + httpApi + "/items")));
            for (int clients : clientCounts) {
                LoadDriver.Result[] pair = alternate(clients, () -> call(client, invoke(endpoint)),
                        () -> call(client, new HttpGet(endpoint + "/_aws/execute-api/" + httpApi + "/items")));
                LoadDriver.Result direct = pair[0];
                LoadDriver.Result gateway = pair[1];
                report.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.2f / %.2f | %.2f / %.2f | %.2f |%n", clients,
                        direct.throughput(), gateway.throughput(), gateway.throughput() / direct.throughput(),
                        direct.percentileMillis(50), direct.percentileMillis(99), gateway.percentileMillis(50), gateway.percentileMillis(99),
                        gateway.percentileMillis(50) - direct.percentileMillis(50)));
                errors(report, direct, gateway);
            }

            report.append("\nREST API MOCK integration vs the bare HTTP hello server\n\n");
            report.append("| clients | hello req/s | REST MOCK req/s | ratio | hello p50/p99 ms | REST MOCK p50/p99 ms |\n");
            report.append("|---:|---:|---:|---:|---:|---:|\n");
            driver.warmUp(most, c -> hello.call(client));
            driver.warmUp(most, c -> () -> call(client, new HttpGet(endpoint + "/_aws/execute-api/" + restApi + "/bench/mock")));
            for (int clients : clientCounts) {
                LoadDriver.Result[] pair = alternate(clients, hello.call(client),
                        () -> call(client, new HttpGet(endpoint + "/_aws/execute-api/" + restApi + "/bench/mock")));
                LoadDriver.Result baseline = pair[0];
                LoadDriver.Result mock = pair[1];
                report.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.2f / %.2f | %.2f / %.2f |%n", clients,
                        baseline.throughput(), mock.throughput(), mock.throughput() / baseline.throughput(),
                        baseline.percentileMillis(50), baseline.percentileMillis(99), mock.percentileMillis(50), mock.percentileMillis(99)));
                errors(report, baseline, mock);
            }
        }
        return report.toString();
    }

    /**
     * Measures {@code a} and {@code b} in alternating rounds (a, b, a, b, …) and adds up each side:
     * on a shared machine, load that comes and goes then falls on both sides alike, where one run
     * after the other would charge it to whichever ran at the wrong moment.
     */
    private LoadDriver.Result[] alternate(int clients, LoadDriver.Call a, LoadDriver.Call b) throws InterruptedException {
        LoadDriver.Result sumA = null;
        LoadDriver.Result sumB = null;
        for (int round = 0; round < ROUNDS; round++) {
            sumA = LoadDriver.Result.sum(sumA, driver.measure(clients, c -> a, ROUNDS));
            sumB = LoadDriver.Result.sum(sumB, driver.measure(clients, c -> b, ROUNDS));
        }
        return new LoadDriver.Result[] {sumA, sumB};
    }

    private static void errors(StringBuilder report, LoadDriver.Result a, LoadDriver.Result b) {
        if (a.errors() + b.errors() > 0) {
            report.append(String.format(Locale.ROOT, "|  | errors: %d | errors: %d | | | |%n", a.errors(), b.errors()));
        }
    }

    private static HttpUriRequest invoke(URI endpoint) {
        HttpPost post = new HttpPost(endpoint + "/2015-03-31/functions/echo/invocations");
        post.setEntity(new StringEntity("{}", ContentType.APPLICATION_JSON));
        return post;
    }

    private static void call(CloseableHttpClient client, HttpUriRequest request) throws IOException {
        HttpResponse response = client.execute(request);
        EntityUtils.consume(response.getEntity());
        if (response.getStatusLine().getStatusCode() != 200) {
            throw new IOException("status " + response.getStatusLine());
        }
    }

    /** The echo function and an HTTP API quick-created in front of it; returns the API's id. */
    private static String setUpHttpApi(URI endpoint) throws IOException {
        SdkBytes code = SdkBytes.fromByteArray(zip(ECHO));
        try (LambdaClient lambda = configure(LambdaClient.builder(), endpoint).build();
                ApiGatewayV2Client apis = configure(ApiGatewayV2Client.builder(), endpoint).build()) {
            String arn = lambda.createFunction(r -> r.functionName("echo").runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .role("arn:aws:iam::000000000000:role/bench").code(c -> c.zipFile(code))).functionArn();
            // A new function is Pending for a moment, as on AWS.
            lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("echo"));
            return apis.createApi(r -> r.name("bench").protocolType(ProtocolType.HTTP).target(arn)).apiId();
        }
    }

    /** A REST API with {@code GET /mock} answered by a MOCK integration, deployed to stage {@code bench}; returns its id. */
    private static String setUpRestApi(URI endpoint) {
        try (ApiGatewayClient apis = configure(ApiGatewayClient.builder(), endpoint).build()) {
            String api = apis.createRestApi(r -> r.name("bench")).id();
            String root = apis.getResources(r -> r.restApiId(api)).items().getFirst().id();
            String mock = apis.createResource(r -> r.restApiId(api).parentId(root).pathPart("mock")).id();
            apis.putMethod(r -> r.restApiId(api).resourceId(mock).httpMethod("GET").authorizationType("NONE"));
            apis.putIntegration(r -> r.restApiId(api).resourceId(mock).httpMethod("GET").type(IntegrationType.MOCK)
                    .requestTemplates(java.util.Map.of("application/json", "{\"statusCode\": 200}")));
            apis.putMethodResponse(r -> r.restApiId(api).resourceId(mock).httpMethod("GET").statusCode("200"));
            apis.putIntegrationResponse(r -> r.restApiId(api).resourceId(mock).httpMethod("GET").statusCode("200")
                    .responseTemplates(java.util.Map.of("application/json", "{\"ok\": true}")));
            apis.createDeployment(r -> r.restApiId(api).stageName("bench"));
            return api;
        }
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    private static byte[] zip(String source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.js"));
            zip.write(source.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
