package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Acknowledged means durable, for the whole server: Stratus runs as its own process on the
 * default store (RocksDB, strict durability), is killed with SIGKILL right after acknowledging
 * writes, and everything it acknowledged is there when it starts again.
 */
class KillRestartIT {

    private static final int MESSAGES = 50;

    @Test
    void everyAcknowledgedMessageSurvivesSigkill(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        Process server = start(port, dataDir);
        List<String> acknowledged = new ArrayList<>();
        try (SqsClient sqs = client(port)) {
            String url = sqs.createQueue(r -> r.queueName("orders")).queueUrl();
            for (int i = 0; i < MESSAGES; i++) {
                String body = "order-" + i;
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
                acknowledged.add(body);
            }
            server.destroyForcibly();
            assertThat(server.waitFor(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();

            server = start(port, dataDir);
            Set<String> received = new HashSet<>();
            for (int attempt = 0; attempt < 50 && received.size() < MESSAGES; attempt++) {
                for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)).messages()) {
                    received.add(message.body());
                }
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(acknowledged);
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    /** The server as `stratus start` runs it, from this test's classpath, in a JVM of its own. */
    private static Process start(int port, Path dataDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.stratus.server.cli.StratusCommand",
                "start", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/_stratus/health").toURL().openConnection();
                connection.setConnectTimeout(200);
                if (connection.getResponseCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Stratus exited with " + process.exitValue());
            }
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Stratus did not start within 30 s");
    }

    private static SqsClient client(int port) {
        return SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
