package io.stratus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig.Durability;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A STRICT store keeps every write it acknowledged when its process is killed without warning
 * (SIGKILL: no shutdown hook, no close, no flush).
 */
class RocksDbKillRestartTest {

    private static final int ACKS_BEFORE_KILL = 200;

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path dataDir = tempDir.resolve("data");
        Path childErrors = tempDir.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KillRestartWriter.class.getName(), dataDir.toString(), "100000", "60")
                .redirectError(childErrors.toFile())
                .start();
        long lastAck = -1;
        try (var acks = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (lastAck < ACKS_BEFORE_KILL - 1 && (line = acks.readLine()) != null) {
                lastAck = parseAck(line, lastAck);
            }
            assertThat(lastAck).as("acks before the child stopped; its stderr: %s", Files.readString(childErrors)).isEqualTo(ACKS_BEFORE_KILL - 1);
            // SIGKILL through the handle: Process.destroyForcibly would also close the pipe we still read.
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Acks the child printed before it died are promises too.
            while ((line = acks.readLine()) != null) {
                lastAck = parseAck(line, lastAck);
            }
        }
        finally {
            child.destroyForcibly();
        }
        try (Store store = RocksDbStore.open(dataDir, Durability.STRICT)) {
            for (long i = 0; i <= lastAck; i++) {
                assertThat(store.get(KillRestartWriter.KEYSPACE, KillRestartWriter.key(i))).as("key %d of %d acknowledged", i, lastAck + 1)
                        .isEqualTo(KillRestartWriter.value(i));
            }
        }
    }

    private static long parseAck(String line, long previous) {
        // A line cut short by the kill is not an ack.
        if (!line.matches("ACK \\d+")) {
            return previous;
        }
        long ack = Long.parseLong(line.substring(4));
        assertThat(ack).isEqualTo(previous + 1);
        return ack;
    }
}
