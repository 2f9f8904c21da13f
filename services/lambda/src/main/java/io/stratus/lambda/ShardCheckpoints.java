package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where each stream event source mapping stands in each shard, durable in the store (one key per
 * mapping and shard), so a mapping resumes after a restart, a disable or an update where it
 * stopped. Thread-safe: each call is one store operation.
 */
final class ShardCheckpoints {

    static final String CHECKPOINTS = "lambda.esm.checkpoints";

    private static final ObjectMapper STORED = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * A place in a shard.
     *
     * @param token the feed's position token to read from, null once the shard is finished
     * @param after within a read from {@code token}, the sequence number of the last record already
     *     dealt with (records up to it are skipped), or null
     * @param finished whether every record of the closed shard was dealt with
     * @param windowStart with tumbling windows, the start (epoch millis) of the window aggregated
     *     in, whose final invocation is still to come; else null
     * @param windowSeconds that window's length
     * @param windowState the state the function returned in it so far (JSON text)
     */
    record Checkpoint(String token, String after, boolean finished, Long windowStart, int windowSeconds, String windowState) {

        static final Checkpoint FINISHED = new Checkpoint(null, null, true);

        Checkpoint(String token, String after, boolean finished) {
            this(token, after, finished, null, 0, null);
        }

        static Checkpoint at(String token) {
            return new Checkpoint(requireNonNull(token, "token is null"), null, false);
        }

        /** The open tumbling window, or null. */
        TumblingWindow window() {
            return windowStart == null ? null : new TumblingWindow(java.time.Instant.ofEpochMilli(windowStart), windowSeconds, windowState);
        }

        /** This place with {@code window} open (or none, for null). */
        Checkpoint withWindow(TumblingWindow window) {
            return window == null ? new Checkpoint(token, after, finished)
                    : new Checkpoint(token, after, finished, window.start().toEpochMilli(), window.seconds(), window.state());
        }
    }

    private final Store store;

    ShardCheckpoints(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Optional<Checkpoint> get(String mappingUuid, String shardId) {
        byte[] value = store.get(CHECKPOINTS, key(mappingUuid, shardId));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(STORED.readValue(value, Checkpoint.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the checkpoint of event source mapping " + mappingUuid + " in shard " + shardId, e);
        }
    }

    void put(String mappingUuid, String shardId, Checkpoint checkpoint) {
        try {
            store.put(CHECKPOINTS, key(mappingUuid, shardId), STORED.writeValueAsBytes(checkpoint));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets every checkpoint of a mapping (it was deleted). */
    void deleteAll(String mappingUuid) {
        List<byte[]> keys = new ArrayList<>();
        try (Scan scan = store.scan(CHECKPOINTS, KeyRange.prefix(Key.builder().add(mappingUuid).build()))) {
            while (scan.hasNext()) {
                keys.add(scan.next().key());
            }
        }
        keys.forEach(key -> store.delete(CHECKPOINTS, key));
    }

    private static byte[] key(String mappingUuid, String shardId) {
        return Key.builder().add(mappingUuid).add(shardId).build();
    }
}
