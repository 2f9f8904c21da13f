package io.stratus.storage;

import io.stratus.core.StratusConfig.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link RocksDbKillRestartTest}: writes keys 0, 1, 2, … to a STRICT store and
 * prints {@code ACK i} once the put of key {@code i} has returned, until killed. Stops by itself
 * after {@code maxKeys} keys or {@code maxSeconds}, so a parent that dies cannot leave it running.
 * An optional fourth argument pads each value to that many bytes.
 */
final class KillRestartWriter {

    static final String KEYSPACE = "acks";

    private KillRestartWriter() {}

    static byte[] key(long i) {
        return Key.builder().add(i).build();
    }

    static byte[] value(long i) {
        return value(i, 0);
    }

    /** {@code value-i}, padded to {@code size} bytes with a pattern that depends on {@code i}. */
    static byte[] value(long i, int size) {
        byte[] head = ("value-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = java.util.Arrays.copyOf(head, Math.max(head.length, size));
        for (int j = head.length; j < value.length; j++) {
            value[j] = (byte) (i * 31 + j);
        }
        return value;
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        long maxKeys = Long.parseLong(args[1]);
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        try (Store store = RocksDbStore.open(dataDir, Durability.STRICT)) {
            for (long i = 0; i < maxKeys && System.nanoTime() < deadline; i++) {
                store.put(KEYSPACE, key(i), value(i, valueBytes));
                System.out.println("ACK " + i);
                System.out.flush();
            }
        }
    }
}
