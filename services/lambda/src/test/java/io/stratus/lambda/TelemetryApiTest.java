package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TelemetryApiTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

    private static RuntimeApiServer server() throws IOException {
        return RuntimeApiServer.start(null, new ExtensionsApi(new ExtensionsApi.Function("fn", "$LATEST", "index.handler", "123456789012"), CLOCK,
                new TelemetryApi("fn", "$LATEST", false, "127.0.0.1", CLOCK)));
    }

    private static String register(Socket socket, String name) throws IOException {
        String body = "{\"events\":[\"INVOKE\"]}";
        socket.getOutputStream().write(("POST /2020-01-01/extension/register HTTP/1.1\r\nHost: x\r\nLambda-Extension-Name: " + name
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        String answer = RuntimeApiServerTest.answer(socket.getInputStream());
        int at = answer.indexOf("Lambda-Extension-Identifier: ") + "Lambda-Extension-Identifier: ".length();
        return answer.substring(at, answer.indexOf("\r\n", at));
    }

    private static String subscribe(Socket socket, String path, String headers, String body) throws IOException {
        socket.getOutputStream().write(("PUT " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        return RuntimeApiServerTest.answer(socket.getInputStream());
    }

    /** A listener that keeps each batch it takes ({@code refuse} says, by the request's number from 0, which to answer 500). */
    private static HttpServer listener(LinkedBlockingQueue<String> batches, java.util.function.IntPredicate refuse) throws IOException {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            String body = exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean refused = refuse.test(requests.getAndIncrement());
            if (!refused) {
                batches.add(body);
            }
            exchange.sendResponseHeaders(refused ? 500 : 200, -1);
            exchange.close();
        });
        listener.start();
        return listener;
    }

    private static String subscription(int port, String types) {
        return "{\"schemaVersion\":\"2022-12-13\",\"types\":" + types + ",\"buffering\":{\"maxItems\":1000,\"maxBytes\":262144,\"timeoutMs\":25},"
                + "\"destination\":{\"protocol\":\"HTTP\",\"URI\":\"http://sandbox.localdomain:" + port + "/events\",\"method\":\"POST\",\"encoding\":\"JSON\"}}";
    }

    @Test
    void aSubscriberGetsTheInitializationsEventsAndThenEachInvocationsInBatches() throws Exception {
        LinkedBlockingQueue<String> batches = new LinkedBlockingQueue<>();
        HttpServer listener = listener(batches, request -> false);
        try (RuntimeApiServer api = server(); Socket extension = RuntimeApiServerTest.connect(api)) {
            TelemetryApi telemetry = api.extensions().telemetry();
            telemetry.initStart("on-demand", "nodejs:20.v1", "arn:aws:lambda:us-east-1::runtime:abc");
            telemetry.line(false, "loading the function");
            String id = register(extension, "watcher");

            assertThat(subscribe(extension, "/2022-07-01/telemetry", "Lambda-Extension-Identifier: " + id + "\r\n",
                    subscription(listener.getAddress().getPort(), "[\"platform\",\"function\"]"))).startsWith("HTTP/1.1 200 ").endsWith("\"OK\"");

            // What happened before it subscribed comes first, in one batch.
            String first = batches.poll(10, TimeUnit.SECONDS);
            assertThat(first).startsWith("POST [{\"time\":\"2023-11-14T22:13:20.000Z\",\"type\":\"platform.initStart\",\"record\":{"
                    + "\"initializationType\":\"on-demand\",\"phase\":\"init\",\"runtimeVersion\":\"nodejs:20.v1\"")
                    .contains("{\"time\":\"2023-11-14T22:13:20.000Z\",\"type\":\"function\",\"record\":\"loading the function\"}")
                    .contains("\"type\":\"platform.telemetrySubscription\",\"record\":{\"name\":\"watcher\",\"state\":\"Subscribed\","
                            + "\"types\":[\"platform\",\"function\"]}");

            telemetry.initDone("success", null, 120_000_000L, api.extensions().registrations());
            telemetry.closeSubscriptions();
            telemetry.start("req-1", "$LATEST", "Root=1-a");
            telemetry.line(true, "an extension's line, not subscribed to");
            telemetry.invocationDone(new SystemLog.Report("req-1", 2_500_000, 128, 40, 120_000_000L, null, null), "success", null, 8);
            StringBuilder rest = new StringBuilder();
            while (!rest.toString().contains("platform.report")) {
                String batch = batches.poll(10, TimeUnit.SECONDS);
                assertThat(batch).as("a batch with the report, after: " + rest).isNotNull();
                rest.append(batch);
            }
            assertThat(rest.toString())
                    .contains("\"type\":\"platform.initRuntimeDone\",\"record\":{\"initializationType\":\"on-demand\",\"phase\":\"init\",\"status\":\"success\"}")
                    .contains("\"type\":\"platform.extension\",\"record\":{\"name\":\"watcher\",\"state\":\"Ready\",\"events\":[\"INVOKE\"]}")
                    .contains("\"type\":\"platform.initReport\",\"record\":{\"initializationType\":\"on-demand\",\"phase\":\"init\",\"status\":\"success\","
                            + "\"metrics\":{\"durationMs\":120.0}}")
                    .contains("\"type\":\"platform.start\",\"record\":{\"requestId\":\"req-1\",\"version\":\"$LATEST\",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-a\"}}")
                    .contains("\"type\":\"platform.runtimeDone\",\"record\":{\"requestId\":\"req-1\",\"status\":\"success\",\"metrics\":{\"durationMs\":2.5,\"producedBytes\":8}}")
                    .contains("\"type\":\"platform.report\",\"record\":{\"requestId\":\"req-1\",\"metrics\":{\"durationMs\":2.5,\"billedDurationMs\":123,"
                            + "\"memorySizeMB\":128,\"maxMemoryUsedMB\":40,\"initDurationMs\":120.0},\"status\":\"success\"}")
                    .doesNotContain("an extension's line")
                    .doesNotContain("platform.end");
            // Subscribing is over with the initialization.
            assertThat(subscribe(extension, "/2022-07-01/telemetry", "Lambda-Extension-Identifier: " + id + "\r\n",
                    subscription(listener.getAddress().getPort(), "[\"platform\"]"))).startsWith("HTTP/1.1 403 ")
                    .endsWith("{\"errorMessage\":\"Telemetry API subscription is closed already\",\"errorType\":\"Telemetry.SubscriptionClosed\"}");
        } finally {
            listener.stop(0);
        }
    }

    @Test
    void theLogsApiSendsItsOwnRecords() throws Exception {
        LinkedBlockingQueue<String> batches = new LinkedBlockingQueue<>();
        HttpServer listener = listener(batches, request -> false);
        try (RuntimeApiServer api = server(); Socket extension = RuntimeApiServerTest.connect(api)) {
            TelemetryApi telemetry = api.extensions().telemetry();
            String id = register(extension, "logs-watcher");
            assertThat(subscribe(extension, "/2020-08-15/logs", "Lambda-Extension-Identifier: " + id + "\r\n",
                    "{\"types\":[\"platform\",\"function\"],\"buffering\":{\"timeoutMs\":25},\"destination\":{\"protocol\":\"HTTP\","
                            + "\"URI\":\"http://sandbox:" + listener.getAddress().getPort() + "\",\"method\":\"PUT\"}}"))
                    .startsWith("HTTP/1.1 200 ").endsWith("\"OK\"");
            telemetry.closeSubscriptions();
            telemetry.start("req-2", "$LATEST", "Root=1-b");
            telemetry.invocationDone(new SystemLog.Report("req-2", 1_000_000, 128, 40, -1, null, null), "success", null, 2);
            StringBuilder all = new StringBuilder();
            while (!all.toString().contains("platform.report")) {
                String batch = batches.poll(10, TimeUnit.SECONDS);
                assertThat(batch).as("a batch with the report, after: " + all).isNotNull();
                all.append(batch);
            }
            assertThat(all.toString()).startsWith("PUT [")
                    .contains("\"type\":\"platform.logsSubscription\",\"record\":{\"name\":\"logs-watcher\",\"state\":\"Subscribed\"")
                    .contains("\"type\":\"platform.start\",\"record\":{\"requestId\":\"req-2\"}")
                    .contains("\"type\":\"platform.end\",\"record\":{\"requestId\":\"req-2\"}")
                    .contains("\"type\":\"platform.report\",\"record\":{\"requestId\":\"req-2\",\"metrics\":{\"durationMs\":1.0,\"billedDurationMs\":1,"
                            + "\"memorySizeMB\":128,\"maxMemoryUsedMB\":40}}")
                    .doesNotContain("platform.runtimeDone");
        } finally {
            listener.stop(0);
        }
    }

    @Test
    void eventsTheListenerDidNotTakeAreToldInTheNextBatch() throws Exception {
        LinkedBlockingQueue<String> batches = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        // The first batch and both of its retries are refused.
        HttpServer listener = listener(batches, request -> {
            refused.incrementAndGet();
            return request < 3;
        });
        try (RuntimeApiServer api = server(); Socket extension = RuntimeApiServerTest.connect(api)) {
            TelemetryApi telemetry = api.extensions().telemetry();
            String id = register(extension, "unlucky");
            assertThat(subscribe(extension, "/2022-07-01/telemetry", "Lambda-Extension-Identifier: " + id + "\r\n",
                    subscription(listener.getAddress().getPort(), "[\"platform\"]"))).startsWith("HTTP/1.1 200 ");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (refused.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            telemetry.closeSubscriptions();
            telemetry.start("req-3", "$LATEST", "Root=1-c");

            assertThat(batches.poll(10, TimeUnit.SECONDS)).startsWith("POST [{\"time\":\"").contains("\"type\":\"platform.logsDropped\",\"record\":{"
                    + "\"reason\":\"could not send events: the subscriber answered 500\",\"droppedRecords\":1,")
                    .contains("\"type\":\"platform.start\",\"record\":{\"requestId\":\"req-3\"");
        } finally {
            listener.stop(0);
        }
    }

    @Test
    void badSubscriptionsGetAwsErrors() throws Exception {
        try (RuntimeApiServer api = server(); Socket extension = RuntimeApiServerTest.connect(api)) {
            String id = register(extension, "picky");
            String valid = subscription(9999, "[\"platform\"]");
            for (List<String> asked : List.of(
                    List.of("", valid, "403", "{\"errorMessage\":\"Missing Lambda-Extension-Identifier header\",\"errorType\":\"Extension.MissingExtensionIdentifier\"}"),
                    List.of("Lambda-Extension-Identifier: nope\r\n", valid, "403",
                            "{\"errorMessage\":\"Invalid Lambda-Extension-Identifier\",\"errorType\":\"Extension.InvalidExtensionIdentifier\"}"),
                    List.of("Lambda-Extension-Identifier: 6b6ad6e5-4d45-4cb8-8d53-5a4d4a0c8b10\r\n", valid, "403",
                            "{\"errorMessage\":\"Unknown extension 6b6ad6e5-4d45-4cb8-8d53-5a4d4a0c8b10\",\"errorType\":\"Extension.UnknownExtensionIdentifier\"}"),
                    List.of("Lambda-Extension-Identifier: " + id + "\r\n", "{not json", "400", "\"errorType\":\"ValidationError\""),
                    List.of("Lambda-Extension-Identifier: " + id + "\r\n", valid.replace("[\"platform\"]", "[]"), "400",
                            "{\"errorMessage\":\"types should not be empty\",\"errorType\":\"ValidationError\"}"),
                    List.of("Lambda-Extension-Identifier: " + id + "\r\n", valid.replace("sandbox.localdomain:9999", "example.com:9999"), "400",
                            "{\"errorMessage\":\"Invalid destination: destination.URI host must be sandbox.localdomain\",\"errorType\":\"ValidationError\"}"),
                    List.of("Lambda-Extension-Identifier: " + id + "\r\n", valid.replace("sandbox.localdomain:9999", "sandbox.localdomain"), "400",
                            "{\"errorMessage\":\"URI port is not provided\",\"errorType\":\"ValidationError\"}"),
                    List.of("Lambda-Extension-Identifier: " + id + "\r\n", valid.replace("\"timeoutMs\":25", "\"timeoutMs\":5"), "400",
                            "{\"errorMessage\":\"buffering.timeoutMs must be an integer between 25 and 30000\",\"errorType\":\"ValidationError\"}"),
                    List.of("Lambda-Extension-Identifier: " + id + "\r\n", valid.replace("2022-12-13", "2019-01-01"), "400",
                            "{\"errorMessage\":\"schemaVersion must be one of 2022-07-01, 2022-12-13, 2025-01-29\",\"errorType\":\"ValidationError\"}"))) {
                assertThat(subscribe(extension, "/2022-07-01/telemetry", asked.get(0), asked.get(1))).as(asked.toString())
                        .startsWith("HTTP/1.1 " + asked.get(2) + " ").contains(asked.get(3));
            }
            // Nothing of the refused ones subscribed: flushing has nothing to wait for.
            api.extensions().telemetry().flush(Duration.ofMillis(10));
        }
    }
}
