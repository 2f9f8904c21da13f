package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.rest.UsagePlanModel.ApiKey;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlan;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * API keys and usage plans of an account in a region, one store key each, plus an index from a
 * key's value to its id so a call's {@code x-api-key} is one read. Thread-safe: the store is.
 */
final class UsagePlanStore {

    private static final String KEYS = "apigateway.rest.apikeys";
    private static final String KEY_VALUES = "apigateway.rest.apikeyvalues";
    private static final String PLANS = "apigateway.rest.usageplans";

    private final Store store;

    UsagePlanStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    <T> T transaction(Function<Transaction, T> body) {
        return store.transaction(body::apply);
    }

    StoreReader reader() {
        return store;
    }

    static Optional<ApiKey> apiKey(StoreReader reader, String accountId, String region, String keyId) {
        byte[] value = reader.get(KEYS, key(accountId, region, keyId));
        return value == null ? Optional.empty() : Optional.of(RestApiStore.decode(value, ApiKey.class));
    }

    /** The key whose value a caller sent, if any. */
    static Optional<ApiKey> apiKeyByValue(StoreReader reader, String accountId, String region, String value) {
        byte[] id = reader.get(KEY_VALUES, key(accountId, region, value));
        return id == null ? Optional.empty() : apiKey(reader, accountId, region, new String(id, StandardCharsets.UTF_8));
    }

    static List<ApiKey> apiKeys(StoreReader reader, String accountId, String region) {
        return list(reader, KEYS, accountId, region, ApiKey.class);
    }

    /** Stores a key; false when another key has its value already. */
    static boolean putApiKey(Transaction txn, String accountId, String region, ApiKey apiKey, String previousValue) {
        byte[] index = key(accountId, region, apiKey.value());
        byte[] owner = txn.get(KEY_VALUES, index);
        if (owner != null && !new String(owner, StandardCharsets.UTF_8).equals(apiKey.id())) {
            return false;
        }
        if (previousValue != null && !previousValue.equals(apiKey.value())) {
            txn.delete(KEY_VALUES, key(accountId, region, previousValue));
        }
        txn.put(KEY_VALUES, index, apiKey.id().getBytes(StandardCharsets.UTF_8));
        txn.put(KEYS, key(accountId, region, apiKey.id()), RestApiStore.encode(apiKey));
        return true;
    }

    static void deleteApiKey(Transaction txn, String accountId, String region, ApiKey apiKey) {
        txn.delete(KEY_VALUES, key(accountId, region, apiKey.value()));
        txn.delete(KEYS, key(accountId, region, apiKey.id()));
    }

    static Optional<UsagePlan> usagePlan(StoreReader reader, String accountId, String region, String planId) {
        byte[] value = reader.get(PLANS, key(accountId, region, planId));
        return value == null ? Optional.empty() : Optional.of(RestApiStore.decode(value, UsagePlan.class));
    }

    static List<UsagePlan> usagePlans(StoreReader reader, String accountId, String region) {
        return list(reader, PLANS, accountId, region, UsagePlan.class);
    }

    static void putUsagePlan(Transaction txn, String accountId, String region, UsagePlan plan) {
        txn.put(PLANS, key(accountId, region, plan.id()), RestApiStore.encode(plan));
    }

    static void deleteUsagePlan(Transaction txn, String accountId, String region, String planId) {
        txn.delete(PLANS, key(accountId, region, planId));
    }

    private static <T> List<T> list(StoreReader reader, String keyspace, String accountId, String region, Class<T> type) {
        List<T> items = new ArrayList<>();
        try (Scan scan = reader.scan(keyspace, KeyRange.prefix(Key.builder().add(accountId).add(region).build()))) {
            while (scan.hasNext()) {
                items.add(RestApiStore.decode(scan.next().value(), type));
            }
        }
        return items;
    }

    private static byte[] key(String accountId, String region, String item) {
        return Key.builder().add(accountId).add(region).add(item).build();
    }
}
