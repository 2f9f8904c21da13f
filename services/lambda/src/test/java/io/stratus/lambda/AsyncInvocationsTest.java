package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.storage.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Event} invocations on a real {@link LambdaService} (in-memory store, Node.js functions):
 * the retry delay comes from {@link LambdaSettings#asyncRetryDelay()}, and acknowledged events
 * outlive the service that acknowledged them.
 */
class AsyncInvocationsTest {

    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:records";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestContext CONTEXT = new RequestContext("r", ACCOUNT, REGION, ACCOUNT, Principal.root(ACCOUNT), Instant.now());
    /** Fails its first two invocations in an environment, then answers how many it has seen. */
    private static final String FLAKY = """
            let calls = 0;
            exports.handler = async () => {
              calls++;
              if (calls <= 2) throw new Error('call ' + calls + ' fails');
              return { calls };
            };
            """;

    private static boolean hasNode() {
        try {
            return FunctionRuntime.NODEJS20.interpreter().isPresent();
        } catch (AwsException e) {
            return false;
        }
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

    private static void createFunction(LambdaService lambda, String name, String source) throws IOException {
        lambda.createFunction(CONTEXT, new LambdaModel.CreateFunctionRequest(name, "nodejs20.x", "arn:aws:iam::000000000000:role/r",
                "index.handler", new LambdaModel.FunctionCode(zip(source), null, null, null, null), null, 30, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null));
        Ready.await(lambda, CONTEXT, name);
        lambda.definition().operation("PutFunctionEventInvokeConfig").orElseThrow().invoke(CONTEXT,
                new ControlModel.EventInvokeConfigRequest(name, null, null, null,
                        new ControlModel.DestinationConfig(new ControlModel.OnSuccess(QUEUE), null)));
    }

    private static JsonNode awaitRecord(RecordingTargets targets, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (targets.deliveries.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(targets.deliveries).as("deliveries").hasSize(1);
        return JSON.readTree(targets.deliveries.getFirst().payload());
    }

    @Test
    void failedEventsAreRetriedAfterTheConfiguredDelay() throws Exception {
        assumeTrue(hasNode());
        RecordingTargets targets = new RecordingTargets();
        LambdaSettings settings = LambdaSettings.temporary(URI.create("http://127.0.0.1:1")).withAsyncRetryDelay(Duration.ofMillis(200));
        try (LambdaService lambda = new LambdaService(new MemoryStore(), Clock.systemUTC(), settings, new NoQueues(), new InMemoryChangeFeed(), targets, io.stratus.core.spi.Logs.NONE, (a, b, k, v) -> { throw new IllegalStateException("no S3 here"); })) {
            lambda.start();
            createFunction(lambda, "flaky", FLAKY);
            long start = System.nanoTime();

            lambda.functions().invokeAsync(ACCOUNT, REGION, "flaky", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));

            JsonNode record = awaitRecord(targets, Duration.ofSeconds(20));
            // 200 ms, then 400 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(targets.deliveries.getFirst().target().toString()).isEqualTo(QUEUE);
            assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
            assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(3);
            assertThat(record.get("requestPayload").get("n").asInt()).isEqualTo(1);
            assertThat(record.get("responsePayload").get("calls").asInt()).isEqualTo(3);
        }
    }

    @Test
    void anAcknowledgedEventRunsUnderTheNextServiceOnTheSameStore(@TempDir Path dir) throws Exception {
        assumeTrue(hasNode());
        RecordingTargets targets = new RecordingTargets();
        LambdaSettings settings = LambdaSettings.durable(dir, URI.create("http://127.0.0.1:1"));
        try (MemoryStore store = new MemoryStore()) {
            try (LambdaService lambda = new LambdaService(store, Clock.systemUTC(), settings, new NoQueues(), new InMemoryChangeFeed(), targets, io.stratus.core.spi.Logs.NONE, (a, b, k, v) -> { throw new IllegalStateException("no S3 here"); })) {
                lambda.start();
                createFunction(lambda, "held", "exports.handler = async (event) => event;");
                // Held by a reservation of 0 until this service stops.
                lambda.definition().operation("PutFunctionConcurrency").orElseThrow().invoke(CONTEXT,
                        new ControlModel.PutFunctionConcurrencyRequest("held", 0));
                lambda.functions().invokeAsync(ACCOUNT, REGION, "held", "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
                Thread.sleep(200);
                assertThat(targets.deliveries).isEmpty();
            }

            try (LambdaService lambda = new LambdaService(store, Clock.systemUTC(), settings, new NoQueues(), new InMemoryChangeFeed(), targets, io.stratus.core.spi.Logs.NONE, (a, b, k, v) -> { throw new IllegalStateException("no S3 here"); })) {
                lambda.start();
                lambda.definition().operation("DeleteFunctionConcurrency").orElseThrow().invoke(CONTEXT,
                        new ControlModel.FunctionConcurrencyRequest("held"));

                JsonNode record = awaitRecord(targets, Duration.ofSeconds(20));
                assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
                assertThat(record.get("responsePayload").get("n").asInt()).isEqualTo(2);
            }
        }
    }
}
