package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The acknowledged {@code Event} invocations not yet at a final outcome, one store key each,
 * {@code (sequence, requestId)}, so a scan returns them in arrival order: written once when an
 * event is acknowledged (before the 202), again only when a failed attempt schedules a retry, and
 * deleted at its final outcome. Thread-safe: the store is, and each event has one writer at a time.
 */
final class EventStore {

    private static final String KEYSPACE = "lambda.events";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Store store;

    EventStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    void put(QueuedEvent event) {
        try {
            store.put(KEYSPACE, key(event), JSON.writeValueAsBytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the event " + event.requestId(), e);
        }
    }

    void delete(QueuedEvent event) {
        store.delete(KEYSPACE, key(event));
    }

    /** Every stored event, in arrival order. */
    List<QueuedEvent> all() {
        List<QueuedEvent> events = new ArrayList<>();
        try (Scan scan = store.scan(KEYSPACE, KeyRange.all())) {
            while (scan.hasNext()) {
                events.add(JSON.readValue(scan.next().value(), QueuedEvent.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored Lambda event", e);
        }
        return events;
    }

    private static byte[] key(QueuedEvent event) {
        return Key.builder().add(event.sequence()).add(event.requestId()).build();
    }
}
