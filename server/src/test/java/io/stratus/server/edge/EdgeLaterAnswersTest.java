package io.stratus.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.HttpResponse;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operation may answer after it returned (Lambda's Invoke answers when the runtime does): the
 * response goes out from the thread that completes it, in order with what the client pipelined.
 */
class EdgeLaterAnswersTest {

    private Edge edge;

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    /** Completes {@code answer} from a platform thread of its own after a while, as a Runtime API connection would. */
    private static CompletableFuture<HttpResponse> later(java.util.function.Consumer<CompletableFuture<HttpResponse>> answer) {
        CompletableFuture<HttpResponse> later = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.accept(later);
        });
        return later;
    }

    @Test
    void aLaterAnswerGoesOutBeforeTheAnswersToWhatWasPipelinedBehindIt() throws Exception {
        edge = Edge.start("127.0.0.1", 0, 1024, request -> request.rawPath().equals("/later")
                ? later(answer -> answer.complete(HttpResponse.of(200, "text/plain", "later")))
                : CompletableFuture.completedFuture(HttpResponse.of(200, "text/plain", "now")), EdgeFailureTest::bare);

        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /now HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(EdgeFailureTest.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200").endsWith("later");
            assertThat(EdgeFailureTest.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200").endsWith("now");
        }
    }

    @Test
    void aLaterFailureIsAnInternalFailureAndTheConnectionStaysUsable() throws Exception {
        edge = Edge.start("127.0.0.1", 0, 1024, request -> request.rawPath().equals("/fail")
                ? later(answer -> answer.completeExceptionally(new IllegalStateException("a bug")))
                : CompletableFuture.completedFuture(HttpResponse.of(200, "text/plain", "fine")), EdgeFailureTest::bare);

        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(EdgeFailureTest.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 500").endsWith("InternalFailure");
            socket.getOutputStream().write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(EdgeFailureTest.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200").endsWith("fine");
        }
    }

    @Test
    void aLaterAnswerWithAStreamedBodyIsReadOffTheCompletingThread() throws Exception {
        byte[] big = "x".repeat(600 * 1024).getBytes(StandardCharsets.UTF_8);
        edge = Edge.start("127.0.0.1", 0, 1024, request -> later(answer -> answer.complete(HttpResponse.streaming(200,
                new ByteArrayInputStream(big), big.length))), EdgeFailureTest::bare);

        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            String response = EdgeFailureTest.readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200").endsWith(new String(big, StandardCharsets.UTF_8));
        }
    }
}
