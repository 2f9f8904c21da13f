package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.protocol.codec.TimestampFormat;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Object versions in the store. A bucket that never had versioning keeps one record per key
 * ({@link ObjectStore}). Once versioning is on, every version (objects and delete markers) also
 * has a key {@code (bucket, key, -order)} here, newest first, and the key's record in
 * {@link ObjectStore} is its current version. A version id starts with its order in hex, so
 * looking one up is a point read; the "null" version is found by scanning the key's versions.
 * Stateless; every method works inside the caller's transaction or read.
 */
final class Versions {

    static final String VERSIONS = "s3.versions";
    /** The version id of an object written while versioning was off or suspended. */
    static final String NULL = "null";

    private Versions() {}

    static String newId(long stamp) {
        return String.format("%016x", stamp) + Ids.lowerAlphanumeric(16);
    }

    private static long stampOf(String versionId) {
        if (!wellFormed(versionId)) {
            throw invalidId("versionId", versionId);
        }
        return Long.parseUnsignedLong(versionId.substring(0, 16), 16);
    }

    /** Whether {@code versionId} is "null" or has the shape of the ids {@link #newId} makes. */
    static boolean wellFormed(String versionId) {
        if (versionId.equals(NULL)) {
            return true;
        }
        if (versionId.length() != 32) {
            return false;
        }
        try {
            Long.parseUnsignedLong(versionId.substring(0, 16), 16);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A version id no version can have, as S3 answers it: {@code InvalidArgument} naming the
     * argument that carried it.
     *
     * @param argumentName {@code versionId}, or {@code version-id-marker} in a listing
     */
    static AwsException invalidId(String argumentName, String versionId) {
        return S3Errors.invalidArgument("Invalid version id specified", argumentName, versionId);
    }

    static byte[] key(String bucket, String key, long order) {
        return Key.builder().add(bucket).add(key).add(Long.MAX_VALUE - order).build();
    }

    private static StoredObject decode(byte[] value) {
        return S3Json.decode(value, StoredObject.class);
    }

    /**
     * Makes {@code object} the key's current version, keeping the versions before it as the
     * bucket's versioning says.
     *
     * @return the versions no longer kept, whose bodies the caller removes after the commit
     */
    static List<StoredObject> putCurrent(Transaction txn, Bucket bucket, StoredObject object) {
        String name = bucket.name();
        StoredObject existing = ObjectStore.read(txn, name, object.key());
        List<StoredObject> dropped = new ArrayList<>();
        if (bucket.versioning() == null) {
            if (existing != null) {
                dropped.add(existing);
            }
        } else {
            if (existing != null) {
                // A version written before versioning was enabled gets its entry now.
                txn.put(VERSIONS, key(name, existing.key(), existing.order()), S3Json.encode(existing));
            }
            if (object.versionId() == null) {
                StoredObject previousNull = findNull(txn, name, object.key());
                if (previousNull != null) {
                    txn.delete(VERSIONS, key(name, previousNull.key(), previousNull.order()));
                    dropped.add(previousNull);
                }
            }
            txn.put(VERSIONS, key(name, object.key(), object.order()), S3Json.encode(object));
        }
        ObjectStore.write(txn, name, object);
        return dropped;
    }

    /**
     * Adds a replica of another bucket's version, keeping its version id: the key's current
     * version unless the key already has a newer one (written here, or replicated out of order),
     * in which case it joins the older versions.
     *
     * @return the versions no longer kept (a "null" version this one replaces), whose bodies the caller removes after the commit
     */
    static List<StoredObject> putReplica(Transaction txn, Bucket bucket, StoredObject replica) {
        StoredObject existing = ObjectStore.read(txn, bucket.name(), replica.key());
        if (existing == null || existing.order() <= replica.order() || bucket.versioning() == null) {
            return putCurrent(txn, bucket, replica);
        }
        txn.put(VERSIONS, key(bucket.name(), replica.key(), replica.order()), S3Json.encode(replica));
        return List.of();
    }

    /** Writes back a changed record of an existing version (new tags). */
    static void rewrite(Transaction txn, Bucket bucket, StoredObject version) {
        if (bucket.versioning() != null) {
            txn.put(VERSIONS, key(bucket.name(), version.key(), version.order()), S3Json.encode(version));
        }
        StoredObject current = ObjectStore.read(txn, bucket.name(), version.key());
        if (current != null && isSameVersion(current, version)) {
            ObjectStore.write(txn, bucket.name(), version);
        }
    }

    /**
     * The version asked for: the current one when {@code versionId} is null.
     *
     * @throws AwsException {@code NoSuchKey} when there is no current object (or it is a delete
     *     marker), {@code NoSuchVersion} / {@code InvalidArgument} for a version that is not there
     */
    static StoredObject find(StoreReader reader, RequestContext context, String bucketName, String key, String versionId) {
        Bucket bucket = BucketStore.require(reader, context, bucketName);
        if (versionId == null) {
            StoredObject current = ObjectStore.read(reader, bucketName, key);
            if (current == null) {
                throw ObjectKeys.noSuchKey(key);
            }
            if (current.deleteMarker()) {
                // As S3 answers: the 404 says the key's current version is a delete marker, and which.
                throw ObjectKeys.noSuchKey(key).withHeaders(Map.of("x-amz-delete-marker", "true",
                        "x-amz-version-id", current.versionId() == null ? NULL : current.versionId()));
            }
            return current;
        }
        StoredObject version = version(reader, bucket, key, versionId);
        if (version == null) {
            throw noSuchVersion(key, versionId);
        }
        return version;
    }

    /** One version of a key, or null. */
    static StoredObject version(StoreReader reader, Bucket bucket, String key, String versionId) {
        if (versionId.equals(NULL)) {
            StoredObject current = ObjectStore.read(reader, bucket.name(), key);
            if (current != null && current.versionId() == null) {
                return current;
            }
            return bucket.versioning() == null ? null : findNull(reader, bucket.name(), key);
        }
        long stamp = stampOf(versionId);
        if (bucket.versioning() == null) {
            return null;
        }
        byte[] value = reader.get(VERSIONS, key(bucket.name(), key, stamp));
        StoredObject version = value == null ? null : decode(value);
        return version != null && versionId.equals(version.versionId()) ? version : null;
    }

    /** Removes one version for good; when it was current, the next newest becomes current. */
    static void deleteVersion(Transaction txn, Bucket bucket, StoredObject version) {
        String name = bucket.name();
        txn.delete(VERSIONS, key(name, version.key(), version.order()));
        StoredObject current = ObjectStore.read(txn, name, version.key());
        if (current != null && isSameVersion(current, version)) {
            StoredObject next = newest(txn, name, version.key());
            if (next == null) {
                ObjectStore.remove(txn, name, version.key());
            } else {
                ObjectStore.write(txn, name, next);
            }
        }
    }

    /** Records every current object of a bucket as a version: once, when versioning is first enabled. */
    static void recordAll(io.stratus.storage.Store store, String bucket) {
        byte[] start = ObjectStore.prefixRange(bucket, "").start();
        byte[] end = ObjectStore.prefixRange(bucket, "").end();
        while (true) {
            List<Entry> batch = new ArrayList<>();
            try (Scan scan = store.scan(ObjectStore.OBJECTS, new KeyRange(start, end))) {
                while (scan.hasNext() && batch.size() < 500) {
                    batch.add(scan.next());
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            store.transaction(txn -> {
                for (Entry entry : batch) {
                    byte[] value = txn.get(ObjectStore.OBJECTS, entry.key());
                    if (value != null) {
                        StoredObject object = decode(value);
                        txn.put(VERSIONS, key(bucket, object.key(), object.order()), value);
                    }
                }
                return null;
            });
            byte[] last = batch.getLast().key();
            start = java.util.Arrays.copyOf(last, last.length + 1);
        }
    }

    private static boolean isSameVersion(StoredObject a, StoredObject b) {
        return Objects.equals(a.versionId(), b.versionId()) && a.order() == b.order();
    }

    private static StoredObject newest(StoreReader reader, String bucket, String key) {
        try (Scan scan = reader.scan(VERSIONS, KeyRange.prefix(Key.builder().add(bucket).add(key).build()))) {
            return scan.hasNext() ? decode(scan.next().value()) : null;
        }
    }

    private static StoredObject findNull(StoreReader reader, String bucket, String key) {
        try (Scan scan = reader.scan(VERSIONS, KeyRange.prefix(Key.builder().add(bucket).add(key).build()))) {
            while (scan.hasNext()) {
                StoredObject version = decode(scan.next().value());
                if (version.versionId() == null) {
                    return version;
                }
            }
        }
        return null;
    }

    /** Whether the bucket keeps any version. */
    static boolean hasVersions(StoreReader reader, String bucket) {
        try (Scan scan = reader.scan(VERSIONS, KeyRange.prefix(Key.builder().add(bucket).build()))) {
            return scan.hasNext();
        }
    }

    static AwsException noSuchVersion(String key, String versionId) {
        return new AwsException(S3Errors.NO_SUCH_VERSION, "The specified version does not exist.", Map.of("Key", key, "VersionId", versionId), null);
    }

    /**
     * A request on a delete marker by its version id other than deleting it: 405, naming the
     * request's method and the resource type, with the marker's headers and, as S3 sends it,
     * {@code Allow: DELETE} — the one method a marker takes.
     *
     * @param method the request's HTTP method
     */
    static AwsException deleteMarkerNotAllowed(StoredObject marker, String method) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Method", method);
        details.put("ResourceType", "DeleteMarker");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-delete-marker", "true");
        headers.put("x-amz-version-id", marker.versionId() == null ? NULL : marker.versionId());
        headers.put("Last-Modified", TimestampFormat.HTTP_DATE.format(java.time.Instant.ofEpochMilli(marker.lastModifiedMillis())));
        headers.put("Allow", "DELETE");
        return new AwsException(CommonErrors.METHOD_NOT_ALLOWED, "The specified method is not allowed against this resource.", details, null)
                .withHeaders(headers);
    }
}
