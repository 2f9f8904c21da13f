package io.stratus.sts;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.core.Principal;
import io.stratus.storage.Key;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The session credentials STS issued, one store key per access key, so they survive a restart
 * and every node of a cluster sees them. Thread-safe: the store is.
 */
final class SessionStore {

    private static final String KEYSPACE = "sts.sessions";
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    /** What one issued access key stands for. */
    record Session(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration, Principal principal) {}

    private final Store store;

    SessionStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    void put(Session session) {
        try {
            store.put(KEYSPACE, key(session.accessKeyId()), JSON.writeValueAsBytes(session));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode a session", e);
        }
    }

    Optional<Session> get(String accessKeyId) {
        byte[] value = store.get(KEYSPACE, key(accessKeyId));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(value, Session.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the session of " + accessKeyId, e);
        }
    }

    void delete(String accessKeyId) {
        store.delete(KEYSPACE, key(accessKeyId));
    }

    private static byte[] key(String accessKeyId) {
        return Key.builder().add(accessKeyId).build();
    }
}
