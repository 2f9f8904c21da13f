package io.stratus.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop refuses new connections but lets requests in flight finish, within the grace period. */
class EdgeShutdownTest {

    private static HttpResponse bare(AwsException error, io.stratus.protocol.HttpRequest request) {
        return HttpResponse.of(error.errorCode().httpStatus(), "text/plain", error.getMessage());
    }

    @Test
    void inFlightRequestFinishesWhileNewConnectionsAreRefused() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Edge edge = Edge.start("127.0.0.1", 0, 1024, EdgeFailureTest.sync(request -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponse.of(200, "text/plain", "done");
        }), EdgeShutdownTest::bare);
        int port = edge.port();

        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> edge.stop(Duration.ofSeconds(10)));
            // The listening socket closes first.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try (Socket late = new Socket("127.0.0.1", port)) {
                    Thread.sleep(10);
                } catch (SocketException e) {
                    // Refused, or reset by a listening socket closing while it took the connection.
                    refused = true;
                }
            }
            assertThat(refused).as("new connections refused while stopping").isTrue();
            assertThat(stopping).isNotDone();

            release.countDown();
            assertThat(readAll(client.getInputStream())).startsWith("HTTP/1.1 200").endsWith("done");
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopGivesUpOnRequestsThatOutlastTheGrace() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Edge edge = Edge.start("127.0.0.1", 0, 1024, EdgeFailureTest.sync(request -> {
            started.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponse.of(200, "text/plain", "late");
        }), EdgeShutdownTest::bare);

        try (Socket client = new Socket("127.0.0.1", edge.port())) {
            client.getOutputStream().write("GET /stuck HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            long begin = System.nanoTime();
            edge.stop(Duration.ofMillis(300));

            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
            client.setSoTimeout(5_000);
            assertThatThrownBy(() -> {
                if (client.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (text.toString().endsWith("done")) {
                break;
            }
        }
        return text.toString();
    }
}
