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
        long lastAck = writeUntilKilled(dataDir, ACKS_BEFORE_KILL, 0);
        assertAcknowledgedWritesPresent(dataDir, lastAck, 0);
    }

    /**
     * The same with write-ahead log files being recycled (overwritten in place, so a log's tail
     * holds an older log's records): 64 KiB values, enough of them that the memtable flushed
     * several times and the writes at the kill went to a reused log.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesSigkillIntoARecycledLog() throws Exception {
        Path dataDir = tempDir.resolve("recycled");
        int valueBytes = 64 << 10;
        long lastAck = writeUntilKilled(dataDir, 4_000, valueBytes);
        assertThat(Files.readString(dataDir.resolve("rocksdb").resolve("LOG"), StandardCharsets.ISO_8859_1))
                .as("RocksDB's log says a write-ahead log file was reused")
                .contains("reusing log");
        assertAcknowledgedWritesPresent(dataDir, lastAck, valueBytes);
    }

    /** Runs {@link KillRestartWriter} until it acknowledged {@code acks} writes, SIGKILLs it, and returns its last ack. */
    private long writeUntilKilled(Path dataDir, int acks, int valueBytes) throws Exception {
        Path childErrors = tempDir.resolve(dataDir.getFileName() + ".err");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KillRestartWriter.class.getName(), dataDir.toString(), "100000", "60", Integer.toString(valueBytes))
                .redirectError(childErrors.toFile())
                .start();
        long lastAck = -1;
        try (var lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (lastAck < acks - 1 && (line = lines.readLine()) != null) {
                lastAck = parseAck(line, lastAck);
            }
            assertThat(lastAck).as("acks before the child stopped; its stderr: %s", Files.readString(childErrors)).isEqualTo(acks - 1);
            // SIGKILL through the handle: Process.destroyForcibly would also close the pipe we still read.
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Acks the child printed before it died are promises too.
            while ((line = lines.readLine()) != null) {
                lastAck = parseAck(line, lastAck);
            }
        }
        finally {
            child.destroyForcibly();
        }
        return lastAck;
    }

    private static void assertAcknowledgedWritesPresent(Path dataDir, long lastAck, int valueBytes) {
        try (Store store = RocksDbStore.open(dataDir, Durability.STRICT)) {
            for (long i = 0; i <= lastAck; i++) {
                assertThat(store.get(KillRestartWriter.KEYSPACE, KillRestartWriter.key(i))).as("key %d of %d acknowledged", i, lastAck + 1)
                        .isEqualTo(KillRestartWriter.value(i, valueBytes));
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
