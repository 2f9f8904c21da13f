package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Function metadata, one store key per function: {@code (account, region, name)}, so listing an
 * account's functions in a region is one range scan in name order. Thread-safe: the store is, and
 * read-modify-write goes through store transactions.
 */
final class FunctionStore {

    private static final String KEYSPACE = "lambda.functions";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Store store;

    FunctionStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Optional<FunctionRecord> get(String accountId, String region, String name) {
        return Optional.ofNullable(store.get(KEYSPACE, key(accountId, region, name))).map(FunctionStore::decode);
    }

    /** Stores a new function; returns false when one of that name exists already. */
    boolean create(FunctionRecord function) {
        byte[] key = key(function.accountId(), function.region(), function.name());
        return store.transaction(txn -> {
            if (txn.get(KEYSPACE, key) != null) {
                return false;
            }
            txn.put(KEYSPACE, key, encode(function));
            return true;
        });
    }

    /** Replaces a function with what {@code change} makes of it; empty when it does not exist. */
    Optional<FunctionRecord> update(String accountId, String region, String name, UnaryOperator<FunctionRecord> change) {
        byte[] key = key(accountId, region, name);
        return store.transaction(txn -> {
            byte[] current = txn.get(KEYSPACE, key);
            if (current == null) {
                return Optional.empty();
            }
            FunctionRecord updated = change.apply(decode(current));
            txn.put(KEYSPACE, key, encode(updated));
            return Optional.of(updated);
        });
    }

    /** Removes a function; returns what was removed. */
    Optional<FunctionRecord> delete(String accountId, String region, String name) {
        byte[] key = key(accountId, region, name);
        return store.transaction(txn -> {
            byte[] current = txn.get(KEYSPACE, key);
            if (current == null) {
                return Optional.empty();
            }
            txn.delete(KEYSPACE, key);
            return Optional.of(decode(current));
        });
    }

    /** Up to {@code limit} functions of the account and region whose names sort after {@code after} (null: from the first). */
    List<FunctionRecord> list(String accountId, String region, String after, int limit) {
        byte[] prefix = Key.builder().add(accountId).add(region).build();
        KeyRange all = KeyRange.prefix(prefix);
        byte[] start = after == null ? prefix : Key.prefixEnd(key(accountId, region, after));
        List<FunctionRecord> functions = new ArrayList<>();
        try (Scan scan = store.scan(KEYSPACE, new KeyRange(start, all.end()))) {
            while (scan.hasNext() && functions.size() < limit) {
                Entry entry = scan.next();
                functions.add(decode(entry.value()));
            }
        }
        return functions;
    }

    private static byte[] key(String accountId, String region, String name) {
        return Key.builder().add(accountId).add(region).add(name).build();
    }

    private static byte[] encode(FunctionRecord function) {
        try {
            return JSON.writeValueAsBytes(function);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode function " + function.name(), e);
        }
    }

    private static FunctionRecord decode(byte[] value) {
        try {
            return JSON.readValue(value, FunctionRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored function", e);
        }
    }
}
