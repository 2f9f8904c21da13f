package io.stratus.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whatever goes wrong while answering, the client gets an answer and the connection goes on. */
class EdgeFailureTest {

    private Edge edge;

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    /** A dispatcher that answers on the request's thread, as most operations do. */
    static RequestDispatcher sync(java.util.function.Function<HttpRequest, HttpResponse> answer) {
        return request -> java.util.concurrent.CompletableFuture.completedFuture(answer.apply(request));
    }

    static HttpResponse bare(AwsException error, HttpRequest request) {
        return HttpResponse.of(error.errorCode().httpStatus(), "text/plain", error.errorCode().code());
    }

    @Test
    void anErrorInTheDispatcherIsAnInternalFailureAndTheConnectionStaysUsable() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        edge = Edge.start("127.0.0.1", 0, 1024, sync(request -> {
            if (calls.incrementAndGet() == 1) {
                throw new AssertionError("a bug, not an exception");
            }
            return HttpResponse.of(200, "text/plain", "fine");
        }), EdgeFailureTest::bare);

        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 500").endsWith("InternalFailure");
            socket.getOutputStream().write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200").containsIgnoringCase("date: ").endsWith("fine");
        }
    }

    @Test
    void aResponseHeaderNettyRefusesIsAnInternalFailure() throws Exception {
        edge = Edge.start("127.0.0.1", 0, 1024,
                sync(request -> HttpResponse.of(200, "text/plain", "x").header("X-Bad", "line\r\nbreak")), EdgeFailureTest::bare);

        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 500").endsWith("InternalFailure");
        }
    }

    @Test
    void headResponseStatesTheLengthButSendsNoBody() throws Exception {
        edge = Edge.start("127.0.0.1", 0, 1024, sync(request -> HttpResponse.of(200, "text/plain", "twelve bytes")), EdgeFailureTest::bare);

        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 12");
            // The next bytes are the second response, not a body of the first.
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200").endsWith("twelve bytes");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.UTF_8);
    }

    static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
