package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.apigateway.http.HttpApiResources.Api;
import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.http.HttpApiResources.Deployment;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.http.HttpApiResources.Stage;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * HTTP APIs in the store. APIs are one key each, {@code (account, region, apiId)}, so listing an
 * account's APIs in a region is one range scan; each route, integration, stage and deployment is one
 * key {@code (account, region, apiId, kind, id)}, so an API's parts of one kind are one range scan
 * and deleting an API deletes one key range. Thread-safe: the store is, and read-modify-write goes
 * through {@link #transaction}.
 */
final class HttpApiStore {

    private static final String APIS = "apigateway.http.apis";
    private static final String PARTS = "apigateway.http.parts";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The kinds of part an API has, with the record each is stored as. */
    enum Kind {
        ROUTE("route", Route.class),
        INTEGRATION("integration", Integration.class),
        STAGE("stage", Stage.class),
        DEPLOYMENT("deployment", Deployment.class),
        AUTHORIZER("authorizer", Authorizer.class),
        ROUTE_KEY("routekey", HttpApiResources.RouteKeyClaim.class);

        private final String keyName;
        private final Class<?> type;

        Kind(String keyName, Class<?> type) {
            this.keyName = keyName;
            this.type = type;
        }
    }

    /** The API and part reads and writes of one store transaction. Not thread-safe: belongs to the transaction's thread. */
    static final class Writes {

        private final Transaction txn;

        private Writes(Transaction txn) {
            this.txn = txn;
        }

        Transaction transaction() {
            return txn;
        }

        Optional<Api> api(String accountId, String region, String apiId) {
            return readApi(txn, accountId, region, apiId);
        }

        void putApi(Api api) {
            txn.put(APIS, apiKey(api.accountId(), api.region(), api.apiId()), encode(api));
        }

        /** Deletes the API and all its parts. */
        void deleteApi(String accountId, String region, String apiId) {
            txn.delete(APIS, apiKey(accountId, region, apiId));
            List<byte[]> keys = new ArrayList<>();
            try (Scan scan = txn.scan(PARTS, KeyRange.prefix(partPrefix(accountId, region, apiId)))) {
                while (scan.hasNext()) {
                    keys.add(scan.next().key());
                }
            }
            keys.forEach(key -> txn.delete(PARTS, key));
        }

        <T> Optional<T> part(String accountId, String region, String apiId, Kind kind, String id) {
            return readPart(txn, accountId, region, apiId, kind, id);
        }

        <T> List<T> parts(String accountId, String region, String apiId, Kind kind) {
            return readParts(txn, accountId, region, apiId, kind, null, Integer.MAX_VALUE);
        }

        void putPart(String accountId, String region, String apiId, Kind kind, String id, Object part) {
            txn.put(PARTS, partKey(accountId, region, apiId, kind, id), encode(part));
        }

        void deletePart(String accountId, String region, String apiId, Kind kind, String id) {
            txn.delete(PARTS, partKey(accountId, region, apiId, kind, id));
        }
    }

    private final Store store;

    HttpApiStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    <T> T transaction(Function<Writes, T> body) {
        return store.transaction(txn -> body.apply(new Writes(txn)));
    }

    Optional<Api> api(String accountId, String region, String apiId) {
        return readApi(store, accountId, region, apiId);
    }

    /** Up to {@code limit} APIs of the account and region whose ids sort after {@code after} (null: from the first). */
    List<Api> apis(String accountId, String region, String after, int limit) {
        byte[] prefix = Key.builder().add(accountId).add(region).build();
        byte[] start = after == null ? prefix : Key.prefixEnd(apiKey(accountId, region, after));
        List<Api> apis = new ArrayList<>();
        try (Scan scan = store.scan(APIS, new KeyRange(start, KeyRange.prefix(prefix).end()))) {
            while (scan.hasNext() && apis.size() < limit) {
                apis.add(decode(scan.next().value(), Api.class));
            }
        }
        return apis;
    }

    <T> Optional<T> part(String accountId, String region, String apiId, Kind kind, String id) {
        return readPart(store, accountId, region, apiId, kind, id);
    }

    /** Up to {@code limit} parts of one kind whose ids sort after {@code after} (null: from the first). */
    <T> List<T> parts(String accountId, String region, String apiId, Kind kind, String after, int limit) {
        return readParts(store, accountId, region, apiId, kind, after, limit);
    }

    private static Optional<Api> readApi(StoreReader reader, String accountId, String region, String apiId) {
        return Optional.ofNullable(reader.get(APIS, apiKey(accountId, region, apiId))).map(value -> decode(value, Api.class));
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<T> readPart(StoreReader reader, String accountId, String region, String apiId, Kind kind, String id) {
        return Optional.ofNullable(reader.get(PARTS, partKey(accountId, region, apiId, kind, id))).map(value -> (T) decode(value, kind.type));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> readParts(StoreReader reader, String accountId, String region, String apiId, Kind kind, String after, int limit) {
        byte[] prefix = Key.builder().add(accountId).add(region).add(apiId).add(kind.keyName).build();
        byte[] start = after == null ? prefix : Key.prefixEnd(partKey(accountId, region, apiId, kind, after));
        List<T> parts = new ArrayList<>();
        try (Scan scan = reader.scan(PARTS, new KeyRange(start, KeyRange.prefix(prefix).end()))) {
            while (scan.hasNext() && parts.size() < limit) {
                Entry entry = scan.next();
                parts.add((T) decode(entry.value(), kind.type));
            }
        }
        return parts;
    }

    private static byte[] apiKey(String accountId, String region, String apiId) {
        return Key.builder().add(accountId).add(region).add(apiId).build();
    }

    private static byte[] partPrefix(String accountId, String region, String apiId) {
        return Key.builder().add(accountId).add(region).add(apiId).build();
    }

    private static byte[] partKey(String accountId, String region, String apiId, Kind kind, String id) {
        return Key.builder().add(accountId).add(region).add(apiId).add(kind.keyName).add(id).build();
    }

    private static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T decode(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
