package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Lambda's code signing configurations, one store key each ({@code (account, region, id)}), so an
 * account's configurations list in id order. Which function uses which is the function's
 * {@link FunctionStore.Attachment#CODE_SIGNING} attachment. Thread-safe: the store is, and
 * read-modify-write goes through store transactions.
 */
final class CodeSigningConfigStore {

    private static final String KEYSPACE = "lambda.code-signing-configs";
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /**
     * One configuration as kept.
     *
     * @param signingProfileVersionArns the publishers it allows (AWS Signer signing profile versions)
     * @param untrustedArtifactOnDeployment {@code Warn} or {@code Enforce}
     * @param lastModified epoch millis
     * @param tags its tags (CreateCodeSigningConfig's, TagResource's)
     */
    record Stored(String accountId, String region, String id, String description, List<String> signingProfileVersionArns,
            String untrustedArtifactOnDeployment, long lastModified, Map<String, String> tags) {

        Stored {
            signingProfileVersionArns = List.copyOf(signingProfileVersionArns);
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }

        Stored withTags(Map<String, String> newTags) {
            return new Stored(accountId, region, id, description, signingProfileVersionArns, untrustedArtifactOnDeployment, lastModified, newTags);
        }

        String arn() {
            return arn(accountId, region, id);
        }

        static String arn(String accountId, String region, String id) {
            return "arn:aws:lambda:" + region + ":" + accountId + ":code-signing-config:" + id;
        }

        boolean enforced() {
            return CodeSigningOperations.ENFORCE.equals(untrustedArtifactOnDeployment);
        }
    }

    private final Store store;

    CodeSigningConfigStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Optional<Stored> get(String accountId, String region, String id) {
        return Optional.ofNullable(store.get(KEYSPACE, key(accountId, region, id))).map(CodeSigningConfigStore::decode);
    }

    void create(Stored config) {
        store.put(KEYSPACE, key(config.accountId(), config.region(), config.id()), encode(config));
    }

    /** Replaces a configuration with what {@code change} makes of it; empty when it does not exist. */
    Optional<Stored> update(String accountId, String region, String id, UnaryOperator<Stored> change) {
        byte[] key = key(accountId, region, id);
        return store.transaction(txn -> {
            byte[] current = txn.get(KEYSPACE, key);
            if (current == null) {
                return Optional.empty();
            }
            Stored updated = change.apply(decode(current));
            txn.put(KEYSPACE, key, encode(updated));
            return Optional.of(updated);
        });
    }

    boolean delete(String accountId, String region, String id) {
        byte[] key = key(accountId, region, id);
        return store.transaction(txn -> {
            if (txn.get(KEYSPACE, key) == null) {
                return false;
            }
            txn.delete(KEYSPACE, key);
            return true;
        });
    }

    /** Up to {@code limit} of the account's configurations in the region, in id order, after {@code afterId} (null: from the first). */
    List<Stored> list(String accountId, String region, String afterId, int limit) {
        byte[] prefix = Key.builder().add(accountId).add(region).build();
        KeyRange all = KeyRange.prefix(prefix);
        byte[] start = afterId == null ? prefix : Key.prefixEnd(key(accountId, region, afterId));
        List<Stored> page = new ArrayList<>();
        try (Scan scan = store.scan(KEYSPACE, new KeyRange(start, all.end()))) {
            while (scan.hasNext() && page.size() < limit) {
                Entry entry = scan.next();
                page.add(decode(entry.value()));
            }
        }
        return page;
    }

    private static byte[] key(String accountId, String region, String id) {
        return Key.builder().add(accountId).add(region).add(id).build();
    }

    private static byte[] encode(Stored config) {
        try {
            return JSON.writeValueAsBytes(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stored decode(byte[] value) {
        try {
            return JSON.readValue(value, Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored code signing configuration", e);
        }
    }
}
