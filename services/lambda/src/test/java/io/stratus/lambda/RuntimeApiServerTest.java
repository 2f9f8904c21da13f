package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.lambda.RuntimeApiServer.Event;
import io.stratus.lambda.RuntimeApiServer.Invocation;
import io.stratus.lambda.RuntimeApiServer.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeApiServerTest {

    private static final String NEXT = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n";

    private static Event event(String id, String payload) {
        return new Event(id, payload.getBytes(StandardCharsets.UTF_8), 3_000, "arn:aws:lambda:us-east-1:000000000000:function:f", "Root=1-a", null);
    }

    private static String post(String id, String body) {
        return "POST /2018-06-01/runtime/invocation/" + id + "/response HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Reads one answer (head and Content-Length body) as text. */
    static String answer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(text.substring(at, text.indexOf("\r\n", at)));
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static Socket connect(RuntimeApiServer api) throws IOException {
        String[] address = api.address().split(":");
        Socket socket = new Socket(address[0], Integer.parseInt(address[1]));
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void aWaitingNextGetsTheEventAndPipelinedAnswersKeepTheirOrder() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null); Socket socket = connect(api)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(NEXT.getBytes(StandardCharsets.US_ASCII));
            api.initialized().get(10, TimeUnit.SECONDS);

            Invocation first = api.submit(event("req-1", "{\"n\":1}"));
            assertThat(first.taken()).isDone();
            assertThat(answer(in)).startsWith("HTTP/1.1 200 OK\r\n").contains("Lambda-Runtime-Aws-Request-Id: req-1\r\n").endsWith("{\"n\":1}");

            // The answer and the next "next" in one write, as Stratus's bootstraps send them.
            out.write((post("req-1", "\"one\"") + NEXT).getBytes(StandardCharsets.US_ASCII));
            assertThat(first.settled().get(10, TimeUnit.SECONDS)).isNull();
            assertThat(first.outcome().join()).isInstanceOfSatisfying(Outcome.Response.class,
                    r -> assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("\"one\""));
            // The 202 waits for the next event, which a pipelining runtime reads it with.
            assertThat(in.available()).isZero();

            Invocation second = waitUntilWaiting(api, "req-2");
            assertThat(answer(in)).startsWith("HTTP/1.1 202 Accepted\r\n");
            assertThat(answer(in)).contains("Lambda-Runtime-Aws-Request-Id: req-2\r\n");
            // A runtime that answers without pipelining gets its 202 at once.
            out.write(post("req-2", "2").getBytes(StandardCharsets.US_ASCII));
            second.settled().get(10, TimeUnit.SECONDS);
            assertThat(answer(in)).startsWith("HTTP/1.1 202 Accepted\r\n");
        }
    }

    @Test
    void theSameApiAnswersOnItsUnixDomainSocketWhichGoesWithTheServer(@TempDir Path directory) throws Exception {
        Path socketPath = directory.resolve("api.sock");
        try (RuntimeApiServer api = RuntimeApiServer.start(socketPath)) {
            assertThat(api.localAddress()).isEqualTo(socketPath.toString());
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
                OutputStream out = Channels.newOutputStream(channel);
                InputStream in = Channels.newInputStream(channel);
                out.write(NEXT.getBytes(StandardCharsets.US_ASCII));
                api.initialized().get(10, TimeUnit.SECONDS);

                Invocation invocation = api.submit(event("req-1", "{\"n\":1}"));
                assertThat(answer(in)).startsWith("HTTP/1.1 200 OK\r\n").contains("Lambda-Runtime-Aws-Request-Id: req-1\r\n").endsWith("{\"n\":1}");
                out.write(post("req-1", "\"one\"").getBytes(StandardCharsets.US_ASCII));
                invocation.settled().get(10, TimeUnit.SECONDS);
                assertThat(invocation.outcome().join()).isInstanceOfSatisfying(Outcome.Response.class,
                        r -> assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("\"one\""));
                assertThat(answer(in)).startsWith("HTTP/1.1 202 Accepted\r\n");
            }
        }
        assertThat(socketPath).doesNotExist();
    }

    /** Submits once the server has read the pending "next" (else the event is queued for it, which also works). */
    private static Invocation waitUntilWaiting(RuntimeApiServer api, String id) throws InterruptedException {
        Thread.sleep(50);
        return api.submit(event(id, "{}"));
    }

    @Test
    void aQueuedEventAnswersTheNextNextAtOnce() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null); Socket socket = connect(api)) {
            Invocation queued = api.submit(event("req-q", "[1]"));
            assertThat(queued.taken()).isNotDone();
            socket.getOutputStream().write(NEXT.getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(socket.getInputStream())).contains("Lambda-Runtime-Aws-Request-Id: req-q\r\n").endsWith("[1]");
            assertThat(queued.taken()).isDone();
        }
    }

    @Test
    void aRequestBehindAnUnansweredNextWaitsForItsEvent() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null); Socket socket = connect(api)) {
            OutputStream out = socket.getOutputStream();
            // Two "next"s pipelined: the second is answered only after the first, each with an event of its own.
            out.write((NEXT + NEXT).getBytes(StandardCharsets.US_ASCII));
            api.initialized().get(10, TimeUnit.SECONDS);
            Thread.sleep(50);
            api.submit(event("a", "{}"));
            api.submit(event("b", "{}"));
            InputStream in = socket.getInputStream();
            assertThat(answer(in)).contains("Lambda-Runtime-Aws-Request-Id: a\r\n");
            assertThat(answer(in)).contains("Lambda-Runtime-Aws-Request-Id: b\r\n");
        }
    }

    @Test
    void aNextThatClosesItsConnectionIsAnsweredThenClosed() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null); Socket socket = connect(api)) {
            socket.getOutputStream().write("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            api.initialized().get(10, TimeUnit.SECONDS);
            api.submit(event("c", "{}"));
            InputStream in = socket.getInputStream();
            assertThat(answer(in)).contains("Connection: close\r\n").contains("Lambda-Runtime-Aws-Request-Id: c\r\n");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static String initError(String body) {
        return "POST /2018-06-01/runtime/init/error HTTP/1.1\r\nHost: x\r\nLambda-Runtime-Function-Error-Type: Runtime.Custom\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void anInitErrorIsTakenOnlyWhileTheRuntimeInitializes() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null); Socket socket = connect(api)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(initError("{\"errorType\":\"Runtime.Custom\"}").getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(in)).startsWith("HTTP/1.1 202 ");
            assertThat(api.initError().get(10, TimeUnit.SECONDS).errorType()).isEqualTo("Runtime.Custom");

            // As AWS's Runtime API answers what its state machine does not allow after an init error.
            out.write(initError("{}").getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(in)).startsWith("HTTP/1.1 403 ").endsWith("{\"errorMessage\":\"State transition from InitError to InitError failed for "
                    + "runtime. Error: State transition is not allowed\",\"errorType\":\"InvalidStateTransition\"}");
            out.write(NEXT.getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(in)).startsWith("HTTP/1.1 403 ").contains("State transition from InitError to Ready failed");
            assertThat(api.initialized()).isNotDone();
        }
    }

    @Test
    void anInitErrorAfterTheRuntimeInitializedIsRefused() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null); Socket socket = connect(api)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            api.submit(event("d", "{}"));
            out.write(NEXT.getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(in)).contains("Lambda-Runtime-Aws-Request-Id: d\r\n");

            out.write(initError("{}").getBytes(StandardCharsets.US_ASCII));

            assertThat(answer(in)).startsWith("HTTP/1.1 403 ").contains("State transition from Ready to InitError failed");
            assertThat(api.initError()).isNotDone();
            out.write(post("d", "1").getBytes(StandardCharsets.US_ASCII));
            assertThat(answer(in)).startsWith("HTTP/1.1 202 ");
        }
    }

    @Test
    void abandoningSettlesWhatIsQueuedAndWhatComes() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(null)) {
            Invocation queued = api.submit(event("x", "{}"));
            assertThat(queued.settled()).isNotDone();
            api.abandon();
            assertThat(queued.settled()).isDone();
            assertThat(queued.outcome()).isNotDone();
            assertThat(api.submit(event("y", "{}")).settled()).isDone();
        }
    }

    @Test
    void reportDurationsHaveTwoDecimalsRoundedHalfUp() {
        assertThat(SystemLog.millis(new StringBuilder(), 1_234_567).toString()).isEqualTo("1.23");
        assertThat(SystemLog.millis(new StringBuilder(), 1_235_000).toString()).isEqualTo("1.24");
        assertThat(SystemLog.millis(new StringBuilder(), 50_000).toString()).isEqualTo("0.05");
        assertThat(SystemLog.millis(new StringBuilder(), 0).toString()).isEqualTo("0.00");
        assertThat(SystemLog.millis(new StringBuilder(), 12_000_000_000L).toString()).isEqualTo("12000.00");
    }
}
