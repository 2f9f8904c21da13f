package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.lambda.RuntimeApiServer.Event;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExtensionsApiTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

    private static RuntimeApiServer server() throws IOException {
        return RuntimeApiServer.start(null, new ExtensionsApi(new ExtensionsApi.Function("fn", "$LATEST", "index.handler", "123456789012"), CLOCK));
    }

    private static void send(Socket socket, String method, String path, String headers, String body) throws IOException {
        socket.getOutputStream().write((method + " /2020-01-01/extension/" + path + " HTTP/1.1\r\nHost: x\r\n" + headers
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    private static String answer(Socket socket) throws IOException {
        return RuntimeApiServerTest.answer(socket.getInputStream());
    }

    private static String header(String answer, String name) {
        int at = answer.indexOf(name + ": ") + name.length() + 2;
        return answer.substring(at, answer.indexOf("\r\n", at));
    }

    private static String register(Socket socket, String name, String events) throws IOException {
        // Chunked, as Node.js's http client sends a body of unknown length.
        String body = "{\"events\":" + events + "}";
        socket.getOutputStream().write(("POST /2020-01-01/extension/register HTTP/1.1\r\nHost: x\r\nLambda-Extension-Name: " + name
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        String answer = answer(socket);
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"functionName\":\"fn\",\"functionVersion\":\"$LATEST\",\"handler\":\"index.handler\"}");
        return header(answer, "Lambda-Extension-Identifier");
    }

    @Test
    void anExtensionGetsTheInvokeEventsItRegisteredForAndHoldsTheEnvironmentUntilItAsksAgain() throws Exception {
        try (RuntimeApiServer api = server(); Socket extension = RuntimeApiServerTest.connect(api); Socket other = RuntimeApiServerTest.connect(api)) {
            ExtensionsApi extensions = api.extensions();
            String id = register(extension, "recorder", "[\"INVOKE\",\"SHUTDOWN\"]");
            String shutdownOnly = register(other, "closer", "[\"SHUTDOWN\"]");
            assertThat(extensions.any()).isTrue();
            assertThat(extensions.awaitReady(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).as("no next yet").isFalse();
            send(other, "GET", "event/next", "Lambda-Extension-Identifier: " + shutdownOnly + "\r\n", "");
            send(extension, "GET", "event/next", "Lambda-Extension-Identifier: " + id + "\r\n", "");
            assertThat(extensions.awaitReady(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();

            extensions.invoke(new Event("req-1", new byte[0], 3_000, "arn:aws:lambda:us-east-1:123456789012:function:fn", "Root=1-a", null));

            String event = answer(extension);
            assertThat(header(event, "Lambda-Extension-Event-Identifier")).isNotBlank();
            assertThat(event).endsWith("{\"eventType\":\"INVOKE\",\"deadlineMs\":1700000003000,\"requestId\":\"req-1\","
                    + "\"invokedFunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:fn\","
                    + "\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-a\"}}");
            assertThat(extensions.idle()).as("busy with the invocation").isNotDone();
            send(extension, "GET", "event/next", "Lambda-Extension-Identifier: " + id + "\r\n", "");
            extensions.idle().get(10, TimeUnit.SECONDS);

            Thread shutdown = Thread.startVirtualThread(() -> {
                try {
                    extensions.shutdown("spindown", 10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(answer(extension)).endsWith("{\"eventType\":\"SHUTDOWN\",\"shutdownReason\":\"spindown\",\"deadlineMs\":1700000010000}");
            assertThat(answer(other)).contains("\"eventType\":\"SHUTDOWN\"");
            send(extension, "GET", "event/next", "Lambda-Extension-Identifier: " + id + "\r\n", "");
            send(other, "GET", "event/next", "Lambda-Extension-Identifier: " + shutdownOnly + "\r\n", "");
            assertThat(shutdown.join(java.time.Duration.ofSeconds(10))).as("done once both asked again").isTrue();
        }
    }

    @Test
    void badRequestsGetTheExtensionsApisErrors() throws Exception {
        try (RuntimeApiServer api = server(); Socket socket = RuntimeApiServerTest.connect(api)) {
            send(socket, "GET", "event/next", "", "");
            assertThat(answer(socket)).startsWith("HTTP/1.1 403 ")
                    .endsWith("{\"errorMessage\":\"Missing Lambda-Extension-Identifier header\",\"errorType\":\"Extension.MissingHeader\"}");
            send(socket, "GET", "event/next", "Lambda-Extension-Identifier: nope\r\n", "");
            assertThat(answer(socket)).startsWith("HTTP/1.1 403 ")
                    .endsWith("{\"errorMessage\":\"Unknown extension nope\",\"errorType\":\"Extension.UnknownExtensionIdentifier\"}");
            send(socket, "POST", "register", "", "{\"events\":[\"INVOKE\"]}");
            assertThat(answer(socket)).startsWith("HTTP/1.1 403 ").contains("\"errorType\":\"Extension.InvalidExtensionName\"");
            send(socket, "POST", "register", "Lambda-Extension-Name: x\r\n", "{\"events\":[\"LOGS\"]}");
            assertThat(answer(socket)).startsWith("HTTP/1.1 403 ").contains("\"errorType\":\"Extension.InvalidEventType\"");
            send(socket, "POST", "register", "Lambda-Extension-Name: x\r\n", "not json");
            assertThat(answer(socket)).startsWith("HTTP/1.1 400 ").contains("\"errorType\":\"InvalidRequestFormat\"");

            api.extensions().closeRegistration();
            send(socket, "POST", "register", "Lambda-Extension-Name: late\r\n", "{\"events\":[]}");
            assertThat(answer(socket)).startsWith("HTTP/1.1 403 ").contains("\"errorType\":\"Extension.RegistrationClosed\"");
            assertThat(api.extensions().any()).isFalse();
        }
    }

    @Test
    void anExtensionsInitErrorFailsTheInitialization() throws Exception {
        try (RuntimeApiServer api = server(); Socket socket = RuntimeApiServerTest.connect(api)) {
            String id = register(socket, "failing", "[]");
            send(socket, "POST", "init/error", "Lambda-Extension-Identifier: " + id + "\r\nLambda-Extension-Function-Error-Type: Extension.NoConfig\r\n",
                    "{}");
            assertThat(answer(socket)).startsWith("HTTP/1.1 202 ");

            assertThat(api.initError().get(10, TimeUnit.SECONDS).body()).asString(StandardCharsets.UTF_8)
                    .isEqualTo("{\"errorMessage\":\"Extension failing failed: Extension.NoConfig\",\"errorType\":\"Extension.NoConfig\"}");
            assertThat(api.extensions().failure()).isDone();
        }
    }

    @Test
    void anExtensionThatFailsWhileBusyLetsTheInvocationGo() throws Exception {
        try (RuntimeApiServer api = server(); Socket socket = RuntimeApiServerTest.connect(api); Socket errors = RuntimeApiServerTest.connect(api)) {
            ExtensionsApi extensions = api.extensions();
            String id = register(socket, "busy", "[\"INVOKE\"]");
            send(socket, "GET", "event/next", "Lambda-Extension-Identifier: " + id + "\r\n", "");
            assertThat(extensions.awaitReady(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
            extensions.invoke(new Event("req-2", new byte[0], 3_000, "arn:aws:lambda:us-east-1:123456789012:function:fn", "Root=1-b", null));
            assertThat(answer(socket)).contains("\"requestId\":\"req-2\"");
            assertThat(extensions.idle()).isNotDone();

            send(errors, "POST", "exit/error", "Lambda-Extension-Identifier: " + id + "\r\nLambda-Extension-Function-Error-Type: Extension.\"Boom\"\r\n", "");

            assertThat(answer(errors)).startsWith("HTTP/1.1 202 ");
            extensions.idle().get(10, TimeUnit.SECONDS);
            assertThat(extensions.failure().get(10, TimeUnit.SECONDS)).isEqualTo(new ExtensionsApi.Failure("busy", "Extension.\"Boom\""));
            // The runtime had not initialized here: the initialization fails too, its error document JSON whatever the type says.
            assertThat(api.initError().get(10, TimeUnit.SECONDS).body()).asString(StandardCharsets.UTF_8)
                    .isEqualTo("{\"errorMessage\":\"Extension busy failed: Extension.\\\"Boom\\\"\",\"errorType\":\"Extension.\\\"Boom\\\"\"}");
        }
    }
}
