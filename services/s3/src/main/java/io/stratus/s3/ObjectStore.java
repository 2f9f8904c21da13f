package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;

/**
 * Object metadata in the store: one key per object, {@code (bucket, key)}, so a prefix listing
 * is a range scan in S3's order (UTF-8 bytes). Thread-safe: the store is, and this class keeps
 * no state of its own.
 */
final class ObjectStore {

    static final String OBJECTS = "s3.objects";

    private final Store store;

    ObjectStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    static byte[] key(String bucket, String key) {
        return Key.builder().add(bucket).add(key).build();
    }

    static StoredObject read(StoreReader reader, String bucket, String key) {
        byte[] value = reader.get(OBJECTS, key(bucket, key));
        return value == null ? null : S3Json.decode(value, StoredObject.class);
    }

    static void write(Transaction txn, String bucket, StoredObject object) {
        txn.put(OBJECTS, key(bucket, object.key()), S3Json.encode(object));
    }

    static void remove(Transaction txn, String bucket, String key) {
        txn.delete(OBJECTS, key(bucket, key));
    }

    /** Whether the bucket holds no object. */
    static boolean isEmpty(StoreReader reader, String bucket) {
        try (Scan scan = reader.scan(OBJECTS, KeyRange.prefix(Key.builder().add(bucket).build()))) {
            return !scan.hasNext();
        }
    }

    /** The range of the bucket's keys that start with {@code prefix}. */
    static KeyRange prefixRange(String bucket, String prefix) {
        return KeyRange.prefix(Key.builder().add(bucket).buildPrefix(prefix));
    }

    /** Decodes the object key of a store key. */
    static String objectKey(byte[] storeKey) {
        return (String) Key.decode(storeKey).get(1);
    }
}
