package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.DecodedRecords;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;

/**
 * Object metadata in the store: one key per object, {@code (bucket, key)}, so a prefix listing
 * is a range scan in S3's order (UTF-8 bytes). Thread-safe: the store is, and so are the decoded
 * object records kept here ({@link DecodedRecords}).
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
        // Every GET, HEAD and write reads the key's record; a hot object's stays decoded (see DecodedRecords).
        return DECODED.decode(new Name(bucket, key), reader.get(OBJECTS, key(bucket, key)));
    }

    /**
     * What names an object record in {@link #DECODED}. Its equality is written out: a record's
     * generated one runs through method handles, which cost more than the lookup itself here.
     */
    private record Name(String bucket, String key) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Name name && key.equals(name.key) && bucket.equals(name.bucket);
        }

        @Override
        public int hashCode() {
            return bucket.hashCode() * 31 + key.hashCode();
        }
    }

    private static final DecodedRecords<Name, StoredObject> DECODED = new DecodedRecords<>(8192, bytes -> S3Json.decode(bytes, StoredObject.class));

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
