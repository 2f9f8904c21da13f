package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.storage.DecodedRecords;
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
 * account's functions in a region is one range scan in name order. Published versions are one key
 * each ({@code (account, region, name, number)}, in number order), aliases one key each, and
 * the rest of a function's settings (tags, reserved concurrency, resource policies, event invoke
 * configs) are "attachments": one key per kind, function and qualifier,
 * {@code (kind, account, region, name, qualifier)}. Deleting a function deletes all of these in
 * the same transaction. Thread-safe: the store is, and read-modify-write goes through store
 * transactions.
 */
final class FunctionStore {

    private static final String KEYSPACE = "lambda.functions";
    private static final String VERSIONS = "lambda.versions";
    private static final String ALIASES = "lambda.aliases";
    private static final String ATTACHMENTS = "lambda.attachments";

    /** The kinds of attachments; the qualifier of a function-wide one is empty. */
    enum Attachment {
        TAGS, CONCURRENCY, POLICY, EVENT_INVOKE_CONFIG, FUNCTION_URL, PROVISIONED_CONCURRENCY, RECURSION, CODE_SIGNING
    }

    /** What publishing found: the version, and whether it is new. */
    record Published(FunctionRecord version, boolean created) {}
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Store store;
    /** Every Invoke reads its function: comparing the stored bytes costs less than decoding them again. */
    private final DecodedRecords<String, FunctionRecord> decoded = new DecodedRecords<>(4096, FunctionStore::decode);

    FunctionStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Optional<FunctionRecord> get(String accountId, String region, String name) {
        return Optional.ofNullable(decoded.decode(accountId + '\0' + region + '\0' + name, store.get(KEYSPACE, key(accountId, region, name))));
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

    /** Removes a function with its versions, aliases and attachments; returns what was removed. */
    Optional<FunctionRecord> delete(String accountId, String region, String name) {
        byte[] key = key(accountId, region, name);
        return store.transaction(txn -> {
            byte[] current = txn.get(KEYSPACE, key);
            if (current == null) {
                return Optional.empty();
            }
            txn.delete(KEYSPACE, key);
            deletePrefix(txn, VERSIONS, key);
            deletePrefix(txn, ALIASES, key);
            for (Attachment kind : Attachment.values()) {
                deletePrefix(txn, ATTACHMENTS, Key.builder().add(kind.name()).add(accountId).add(region).add(name).build());
            }
            return Optional.of(decode(current));
        });
    }

    private static void deletePrefix(io.stratus.storage.Transaction txn, String keyspace, byte[] prefix) {
        List<byte[]> keys = new ArrayList<>();
        try (Scan scan = txn.scan(keyspace, KeyRange.prefix(prefix))) {
            while (scan.hasNext()) {
                keys.add(scan.next().key());
            }
        }
        keys.forEach(k -> txn.delete(keyspace, k));
    }

    // ---- versions

    Optional<FunctionRecord> version(String accountId, String region, String name, long number) {
        return Optional.ofNullable(store.get(VERSIONS, versionKey(accountId, region, name, number))).map(FunctionStore::decode);
    }

    /** Up to {@code limit} published versions numbered above {@code after}, in number order. */
    List<FunctionRecord> versions(String accountId, String region, String name, long after, int limit) {
        KeyRange all = KeyRange.prefix(key(accountId, region, name));
        List<FunctionRecord> versions = new ArrayList<>();
        try (Scan scan = store.scan(VERSIONS, new KeyRange(versionKey(accountId, region, name, after + 1), all.end()))) {
            while (scan.hasNext() && versions.size() < limit) {
                versions.add(decode(scan.next().value()));
            }
        }
        return versions;
    }

    /**
     * Publishes {@code $LATEST} as a new version, atomically with recording its number on
     * {@code $LATEST}; when nothing changed since the last version was published and that version
     * still exists, returns it instead.
     *
     * @param check runs on the current {@code $LATEST} first (preconditions), and may throw
     * @param snapshot makes the version from {@code $LATEST} and its number
     */
    Optional<Published> publish(String accountId, String region, String name, java.util.function.Consumer<FunctionRecord> check,
            java.util.function.BiFunction<FunctionRecord, Integer, FunctionRecord> snapshot) {
        byte[] key = key(accountId, region, name);
        return store.transaction(txn -> {
            byte[] current = txn.get(KEYSPACE, key);
            if (current == null) {
                return Optional.empty();
            }
            FunctionRecord latest = decode(current);
            check.accept(latest);
            if (latest.revisionId().equals(latest.publishedFrom())) {
                byte[] last = txn.get(VERSIONS, versionKey(accountId, region, name, latest.lastVersion()));
                if (last != null) {
                    return Optional.of(new Published(decode(last), false));
                }
            }
            int number = latest.lastVersion() + 1;
            FunctionRecord version = snapshot.apply(latest, number);
            txn.put(VERSIONS, versionKey(accountId, region, name, number), encode(version));
            txn.put(KEYSPACE, key, encode(latest.published(number)));
            return Optional.of(new Published(version, true));
        });
    }

    /** Replaces a published version with what {@code change} makes of it; empty when it does not exist. */
    Optional<FunctionRecord> updateVersion(String accountId, String region, String name, long number, UnaryOperator<FunctionRecord> change) {
        byte[] key = versionKey(accountId, region, name, number);
        return store.transaction(txn -> {
            byte[] current = txn.get(VERSIONS, key);
            if (current == null) {
                return Optional.empty();
            }
            FunctionRecord updated = change.apply(decode(current));
            txn.put(VERSIONS, key, encode(updated));
            return Optional.of(updated);
        });
    }

    /** Removes a published version and its own attachments; returns it, or empty when it does not exist. */
    Optional<FunctionRecord> deleteVersion(String accountId, String region, String name, long number) {
        byte[] key = versionKey(accountId, region, name, number);
        return store.transaction(txn -> {
            byte[] current = txn.get(VERSIONS, key);
            if (current == null) {
                return Optional.empty();
            }
            txn.delete(VERSIONS, key);
            for (Attachment kind : Attachment.values()) {
                txn.delete(ATTACHMENTS, attachmentKey(kind, accountId, region, name, Long.toString(number)));
            }
            return Optional.of(decode(current));
        });
    }

    /** Removes a version's or alias's own attachments (policy, event invoke config). */
    void deleteAttachments(String accountId, String region, String name, String qualifier) {
        store.transaction(txn -> {
            for (Attachment kind : Attachment.values()) {
                txn.delete(ATTACHMENTS, attachmentKey(kind, accountId, region, name, qualifier));
            }
            return null;
        });
    }

    private static byte[] versionKey(String accountId, String region, String name, long number) {
        return Key.builder().add(accountId).add(region).add(name).add(number).build();
    }

    // ---- aliases and attachments: small JSON values

    <T> Optional<T> alias(String accountId, String region, String name, String alias, Class<T> type) {
        return Optional.ofNullable(store.get(ALIASES, aliasKey(accountId, region, name, alias))).map(v -> decode(v, type));
    }

    /** Every alias of the function, in name order. */
    <T> List<T> aliases(String accountId, String region, String name, Class<T> type) {
        List<T> aliases = new ArrayList<>();
        try (Scan scan = store.scan(ALIASES, KeyRange.prefix(key(accountId, region, name)))) {
            while (scan.hasNext()) {
                aliases.add(decode(scan.next().value(), type));
            }
        }
        return aliases;
    }

    /**
     * Changes an alias in a transaction that also requires the function to exist: {@code change}
     * gets the alias (null when there is none) and returns its new value (null deletes it).
     *
     * @return empty when the function does not exist, else what {@code change} returned
     */
    <T> Optional<Optional<T>> changeAlias(String accountId, String region, String name, String alias, Class<T> type,
            UnaryOperator<T> change) {
        return change(ALIASES, aliasKey(accountId, region, name, alias), accountId, region, name, type, change);
    }

    private static byte[] aliasKey(String accountId, String region, String name, String alias) {
        return Key.builder().add(accountId).add(region).add(name).add(alias).build();
    }

    <T> Optional<T> attachment(Attachment kind, String accountId, String region, String name, String qualifier, Class<T> type) {
        return Optional.ofNullable(store.get(ATTACHMENTS, attachmentKey(kind, accountId, region, name, qualifier))).map(v -> decode(v, type));
    }

    /** Every attachment of this kind in the account (all regions), by {@code region/name/qualifier}. */
    <T> java.util.Map<String, T> attachments(Attachment kind, String accountId, Class<T> type) {
        java.util.Map<String, T> values = new java.util.HashMap<>();
        try (Scan scan = store.scan(ATTACHMENTS, KeyRange.prefix(Key.builder().add(kind.name()).add(accountId).build()))) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                List<Object> parts = Key.decode(entry.key());
                values.put(parts.get(2) + "/" + parts.get(3) + "/" + parts.get(4), decode(entry.value(), type));
            }
        }
        return values;
    }

    /** An attachment with whose it is. */
    record Attached<T>(String accountId, String region, String name, String qualifier, T value) {}

    /** Every attachment of this kind, of every account, region and function. */
    <T> List<Attached<T>> attachments(Attachment kind, Class<T> type) {
        List<Attached<T>> values = new ArrayList<>();
        try (Scan scan = store.scan(ATTACHMENTS, KeyRange.prefix(Key.builder().add(kind.name()).build()))) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                List<Object> parts = Key.decode(entry.key());
                values.add(new Attached<>((String) parts.get(1), (String) parts.get(2), (String) parts.get(3), (String) parts.get(4),
                        decode(entry.value(), type)));
            }
        }
        return values;
    }

    /** Every attachment of this kind of one function, by qualifier ("" for the function's own). */
    <T> java.util.Map<String, T> attachments(Attachment kind, String accountId, String region, String name, Class<T> type) {
        java.util.Map<String, T> values = new java.util.LinkedHashMap<>();
        try (Scan scan = store.scan(ATTACHMENTS, KeyRange.prefix(Key.builder().add(kind.name()).add(accountId).add(region).add(name).build()))) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                List<Object> parts = Key.decode(entry.key());
                values.put((String) parts.get(4), decode(entry.value(), type));
            }
        }
        return values;
    }

    /** Like {@link #changeAlias}, for an attachment. */
    <T> Optional<Optional<T>> changeAttachment(Attachment kind, String accountId, String region, String name, String qualifier,
            Class<T> type, UnaryOperator<T> change) {
        return change(ATTACHMENTS, attachmentKey(kind, accountId, region, name, qualifier), accountId, region, name, type, change);
    }

    private <T> Optional<Optional<T>> change(String keyspace, byte[] key, String accountId, String region, String name, Class<T> type,
            UnaryOperator<T> change) {
        byte[] function = key(accountId, region, name);
        return store.transaction(txn -> {
            if (txn.get(KEYSPACE, function) == null) {
                return Optional.empty();
            }
            byte[] current = txn.get(keyspace, key);
            T updated = change.apply(current == null ? null : decode(current, type));
            if (updated == null) {
                txn.delete(keyspace, key);
            } else {
                txn.put(keyspace, key, encodeValue(updated));
            }
            return Optional.of(Optional.ofNullable(updated));
        });
    }

    private static byte[] attachmentKey(Attachment kind, String accountId, String region, String name, String qualifier) {
        return Key.builder().add(kind.name()).add(accountId).add(region).add(name).add(qualifier).build();
    }

    private static byte[] encodeValue(Object value) {
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

    /**
     * Every function record of every account and region: each {@code $LATEST}, the one it still
     * runs during an update ({@link FunctionRecord#previous}), and each published version.
     */
    List<FunctionRecord> everything() {
        List<FunctionRecord> all = new ArrayList<>();
        for (String keyspace : List.of(KEYSPACE, VERSIONS)) {
            try (Scan scan = store.scan(keyspace, KeyRange.all())) {
                while (scan.hasNext()) {
                    FunctionRecord function = decode(scan.next().value());
                    all.add(function);
                    if (function.previous() != null) {
                        all.add(function.previous());
                    }
                }
            }
        }
        return all;
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
