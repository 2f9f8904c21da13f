package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.DecodedRecords;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buckets in the store: one key per bucket name (names are global, as on AWS), an index of each
 * account's buckets in name order for ListBuckets, and one key per stored bucket configuration
 * (tags, policy, CORS, …). Thread-safe: the store is, and so are the decoded bucket records kept
 * here ({@link DecodedRecords}).
 */
final class BucketStore {

    static final String BUCKETS = "s3.buckets";
    static final String OWNED = "s3.owned";
    static final String CONFIG = "s3.config";

    private final Store store;
    private final BucketLocks locks = new BucketLocks();

    BucketStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The locks object writes and bucket record changes take (see {@link BucketLocks}). */
    BucketLocks locks() {
        return locks;
    }

    static Bucket read(StoreReader reader, String name) {
        // Every request reads its bucket, often twice (the access check, then the operation).
        return DECODED.decode(name, reader.get(BUCKETS, Key.builder().add(name).build()));
    }

    private static final DecodedRecords<String, Bucket> DECODED = new DecodedRecords<>(4096, bytes -> S3Json.decode(bytes, Bucket.class));

    /**
     * The caller's bucket, read in {@code reader}.
     *
     * @throws AwsException {@code NoSuchBucket}, or {@code AccessDenied} for another account's bucket
     */
    static Bucket require(StoreReader reader, RequestContext context, String name) {
        Bucket bucket = read(reader, name);
        if (bucket == null) {
            throw noSuchBucket(name);
        }
        if (!bucket.account().equals(context.accountId())) {
            throw new AwsException(S3Errors.ACCESS_DENIED, "Access Denied");
        }
        return bucket;
    }

    Bucket require(RequestContext context, String name) {
        return require(store, context, name);
    }

    static AwsException noSuchBucket(String name) {
        return new AwsException(S3Errors.NO_SUCH_BUCKET, "The specified bucket does not exist", Map.of("BucketName", name), null);
    }

    static void write(Transaction txn, Bucket bucket) {
        txn.put(BUCKETS, Key.builder().add(bucket.name()).build(), S3Json.encode(bucket));
        txn.put(OWNED, Key.builder().add(bucket.account()).add(bucket.name()).build(), new byte[0]);
    }

    static void remove(Transaction txn, Bucket bucket) {
        txn.delete(BUCKETS, Key.builder().add(bucket.name()).build());
        txn.delete(OWNED, Key.builder().add(bucket.account()).add(bucket.name()).build());
        try (Scan configs = txn.scan(CONFIG, KeyRange.prefix(Key.builder().add(bucket.name()).build()))) {
            configs.forEachRemaining(entry -> txn.delete(CONFIG, entry.key()));
        }
    }

    /** The account's buckets whose names start with {@code prefix}, in name order, after {@code after}; at most {@code limit}. */
    List<Bucket> list(String account, String prefix, String after, int limit) {
        KeyRange range = KeyRange.prefix(Key.builder().add(account).buildPrefix(prefix));
        byte[] start = range.start();
        if (after != null) {
            byte[] afterKey = Key.prefixEnd(Key.builder().add(account).add(after).build());
            if (Key.ORDER.compare(afterKey, start) > 0) {
                start = afterKey;
            }
        }
        if (range.end() != null && Key.ORDER.compare(start, range.end()) >= 0) {
            return List.of();
        }
        List<Bucket> buckets = new ArrayList<>();
        try (Scan scan = store.scan(OWNED, new KeyRange(start, range.end()))) {
            while (scan.hasNext() && buckets.size() < limit) {
                Entry entry = scan.next();
                String name = (String) Key.decode(entry.key()).get(1);
                Optional.ofNullable(read(store, name)).ifPresent(buckets::add);
            }
        }
        return buckets;
    }

    /** A stored bucket configuration (its XML or JSON document as sent), by kind: {@code tagging}, {@code policy}, … */
    Optional<byte[]> config(String bucket, String kind) {
        return config(store, bucket, kind);
    }

    /** A stored bucket configuration, read with {@code reader}. */
    static Optional<byte[]> config(StoreReader reader, String bucket, String kind) {
        return Optional.ofNullable(reader.get(CONFIG, Key.builder().add(bucket).add(kind).build()));
    }

    /** The names of the buckets that have a configuration of this kind (a scan of every configuration: for sweepers). */
    static List<String> configured(StoreReader reader, String kind) {
        List<String> names = new ArrayList<>();
        try (Scan scan = reader.scan(CONFIG, KeyRange.all())) {
            while (scan.hasNext()) {
                List<Object> key = Key.decode(scan.next().key());
                if (kind.equals(key.get(1))) {
                    names.add((String) key.get(0));
                }
            }
        }
        return names;
    }

    static void putConfig(Transaction txn, String bucket, String kind, byte[] value) {
        txn.put(CONFIG, Key.builder().add(bucket).add(kind).build(), value);
    }

    static void deleteConfig(Transaction txn, String bucket, String kind) {
        txn.delete(CONFIG, Key.builder().add(bucket).add(kind).build());
    }

    /** Stores a configuration if the bucket still exists; throws {@code NoSuchBucket} otherwise. */
    void putConfig(RequestContext context, String bucket, String kind, byte[] value) {
        store.transaction(txn -> {
            require(txn, context, bucket);
            putConfig(txn, bucket, kind, value);
            return null;
        });
    }

    void deleteConfig(RequestContext context, String bucket, String kind) {
        store.transaction(txn -> {
            require(txn, context, bucket);
            deleteConfig(txn, bucket, kind);
            return null;
        });
    }

    Store store() {
        return store;
    }
}
