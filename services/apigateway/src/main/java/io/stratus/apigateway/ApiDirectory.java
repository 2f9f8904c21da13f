package io.stratus.apigateway;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Ids;
import io.stratus.storage.Key;
import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where each API lives. API ids are unique across accounts and regions, as AWS's are, because an
 * invoke URL ({@code <api>.execute-api.localhost}) names nothing but the id. REST, HTTP and
 * WebSocket APIs share the id space. Thread-safe.
 */
public final class ApiDirectory {

    static final String KEYSPACE = "apigateway.ids";
    private static final int ID_LENGTH = 10;

    /** The kinds of API that share the id space. */
    public enum Kind { REST, HTTP }

    /** Where an API lives and what kind it is. */
    public record Location(String accountId, String region, Kind kind) {
        public Location {
            requireNonNull(accountId, "accountId is null");
            requireNonNull(region, "region is null");
            requireNonNull(kind, "kind is null");
        }
    }

    private final Store store;
    private final DecodedCache locations = new DecodedCache();

    public ApiDirectory(Store store) {
        this.store = requireNonNull(store, "store is null");
        store.addListener(KEYSPACE, changes -> locations.invalidate());
    }

    /**
     * Claims a fresh id for a new API inside {@code transaction}, which creates the API itself; the
     * claim holds once the transaction commits.
     */
    public String register(Transaction transaction, Location location) {
        for (int attempt = 0; ; attempt++) {
            String id = Ids.lowerAlphanumeric(ID_LENGTH);
            if (transaction.get(KEYSPACE, key(id)) == null) {
                transaction.put(KEYSPACE, key(id), encode(location));
                return id;
            }
            if (attempt > 100) {
                throw new IllegalStateException("No free API id after " + attempt + " attempts");
            }
        }
    }

    /** Frees an API's id inside the transaction that deletes the API. */
    public void unregister(Transaction transaction, String apiId) {
        transaction.delete(KEYSPACE, key(apiId));
    }

    /** Where the API with this id lives, if it exists. */
    public Optional<Location> locate(String apiId) {
        return locations.get(apiId, () -> {
            byte[] value = store.get(KEYSPACE, key(apiId));
            return value == null ? Optional.empty() : Optional.of(decode(value));
        });
    }

    private static byte[] key(String apiId) {
        return Key.builder().add(apiId).build();
    }

    private static byte[] encode(Location location) {
        return (location.kind() + "\n" + location.accountId() + "\n" + location.region()).getBytes(StandardCharsets.UTF_8);
    }

    private static Location decode(byte[] value) {
        String[] parts = new String(value, StandardCharsets.UTF_8).split("\n", 3);
        return new Location(parts[1], parts[2], Kind.valueOf(parts[0]));
    }
}
