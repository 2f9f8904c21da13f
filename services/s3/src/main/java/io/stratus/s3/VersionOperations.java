package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlName;
import io.stratus.s3.BucketModel.Owner;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** PutBucketVersioning, GetBucketVersioning and ListObjectVersions. Thread-safe. */
final class VersionOperations {

    private static final int MAX_KEYS = 1000;

    record VersioningConfiguration(String status, String mfaDelete) {}

    record PutBucketVersioningRequest(@HttpLabel("Bucket") String bucket, @HttpPayload VersioningConfiguration configuration) implements BucketAddressed {}

    /** @param mfaDelete {@code Disabled} once a configuration said so, as S3 echoes it; else absent */
    @XmlName("VersioningConfiguration")
    record GetBucketVersioningResponse(String status, String mfaDelete) {}

    record ListObjectVersionsRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpQuery("prefix") String prefix,
            @HttpQuery("delimiter") String delimiter,
            @HttpQuery("key-marker") String keyMarker,
            @HttpQuery("version-id-marker") String versionIdMarker,
            @HttpQuery("max-keys") Integer maxKeys,
            @HttpQuery("encoding-type") String encodingType) implements BucketAddressed {}

    /** A version or a delete marker of a listing: S3 lists them together, in key order and newest first. */
    sealed interface ListedVersion permits VersionEntry, DeleteMarkerEntry {}

    /** One version of a listing, as AWS's {@code ObjectVersion} type has it (its checksum algorithm as {@link ListModel.ObjectEntry}'s). */
    @XmlName("Version")
    record VersionEntry(String key, String versionId, Boolean isLatest, Instant lastModified, @XmlName("ETag") String etag,
            String checksumAlgorithm, String checksumType, Long size, String storageClass, Owner owner) implements ListedVersion {}

    @XmlName("DeleteMarker")
    record DeleteMarkerEntry(String key, String versionId, Boolean isLatest, Instant lastModified, Owner owner) implements ListedVersion {}

    @XmlName("ListVersionsResult")
    record ListObjectVersionsResponse(String name, String prefix, String keyMarker, String versionIdMarker, String nextKeyMarker,
            String nextVersionIdMarker, Integer maxKeys, String delimiter, Boolean isTruncated, String encodingType,
            @XmlFlattened @XmlName("Version") List<ListedVersion> versions,
            @XmlFlattened @XmlName("CommonPrefixes") List<ListModel.CommonPrefix> commonPrefixes) {}

    private final BucketStore buckets;

    VersionOperations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    BucketConfigOperations.NoContent putBucketVersioning(RequestContext context, PutBucketVersioningRequest request) {
        String status = request.configuration() == null ? null : request.configuration().status();
        if (!"Enabled".equals(status) && !"Suspended".equals(status)) {
            throw new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
        }
        String mfaDelete = request.configuration().mfaDelete();
        if (mfaDelete != null && !mfaDelete.equals("Enabled") && !mfaDelete.equals("Disabled")) {
            throw new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
        }
        if ("Enabled".equals(mfaDelete)) {
            throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "MFA Delete is not implemented in Stratus.");
        }
        Bucket before = buckets.locks().exclusive(request.bucket(), () -> buckets.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            if (!"Enabled".equals(status) && ObjectLockOperations.configuration(txn, bucket.name()) != null) {
                throw AwsException.of(S3Errors.INVALID_BUCKET_STATE,
                        "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
            }
            if (!"Enabled".equals(status) && BucketStore.config(txn, bucket.name(), ReplicationOperations.SUBRESOURCE).isPresent()) {
                throw AwsException.of(S3Errors.INVALID_BUCKET_STATE, "A replication configuration is present on this bucket, so you cannot "
                        + "change the versioning state. To change the versioning state, first delete the replication configuration.");
            }
            BucketStore.write(txn, bucket.withVersioning(status, mfaDelete));
            return bucket;
        }));
        if (before.versioning() == null) {
            // From now on every version has an entry; the objects written before get theirs.
            Versions.recordAll(buckets.store(), request.bucket());
        }
        return new BucketConfigOperations.NoContent();
    }

    GetBucketVersioningResponse getBucketVersioning(RequestContext context, BucketModel.BucketRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        return new GetBucketVersioningResponse(bucket.versioning(), bucket.mfaDelete());
    }

    ListObjectVersionsResponse listObjectVersions(RequestContext context, ListObjectVersionsRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        if (request.versionIdMarker() != null && !request.versionIdMarker().isEmpty()
                && (request.keyMarker() == null || request.keyMarker().isEmpty())) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "A version-id marker cannot be specified without a key marker.");
        }
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        if (request.encodingType() != null && !request.encodingType().equals("url")) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
        }
        boolean url = request.encodingType() != null;
        int max = request.maxKeys() == null ? MAX_KEYS : request.maxKeys();
        if (max < 0) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Argument maxKeys must be an integer between 0 and 2147483647");
        }
        max = Math.min(max, MAX_KEYS);
        String prefix = request.prefix() == null ? "" : request.prefix();
        boolean versioned = bucket.versioning() != null;
        String keyspace = versioned ? Versions.VERSIONS : ObjectStore.OBJECTS;
        KeyRange range = ObjectStore.prefixRange(bucket.name(), prefix);
        byte[] start = start(bucket, request.keyMarker(), request.versionIdMarker(), versioned);
        if (start == null || Key.ORDER.compare(start, range.start()) < 0) {
            start = range.start();
        }
        List<StoredObject> page = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastItem = null;
        boolean truncated = false;
        byte[] marker8 = request.keyMarker() == null ? null : request.keyMarker().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Snapshot snapshot = buckets.store().snapshot()) {
            scanning:
            // max-keys=0 asks for nothing, and S3 answers it as a complete listing, not a truncated one.
            while (max > 0 && (range.end() == null || Key.ORDER.compare(start, range.end()) < 0)) {
                try (Scan scan = snapshot.scan(keyspace, new KeyRange(start, range.end()))) {
                    while (scan.hasNext()) {
                        StoredObject version = S3Json.decode(scan.next().value(), StoredObject.class);
                        int cut = delimiter == null ? -1 : version.key().indexOf(delimiter, prefix.length());
                        if (cut >= 0) {
                            // Every version under a common prefix rolls up into it; one seek skips them.
                            String common = version.key().substring(0, cut + delimiter.length());
                            boolean seen = marker8 != null
                                    && Arrays.compareUnsigned(common.getBytes(java.nio.charset.StandardCharsets.UTF_8), marker8) <= 0;
                            if (!seen) {
                                if (page.size() + prefixes.size() == max) {
                                    truncated = true;
                                    break scanning;
                                }
                                prefixes.add(common);
                                lastItem = common;
                            }
                            start = Key.prefixEnd(Key.builder().add(bucket.name()).buildPrefix(common));
                            if (start == null) {
                                break scanning;
                            }
                            continue scanning;
                        }
                        if (page.size() + prefixes.size() == max) {
                            truncated = true;
                            break scanning;
                        }
                        page.add(version);
                        lastItem = null;
                    }
                }
                break;
            }
            List<ListedVersion> versions = new ArrayList<>();
            for (StoredObject version : page) {
                StoredObject current = ObjectStore.read(snapshot, bucket.name(), version.key());
                boolean latest = current != null && java.util.Objects.equals(current.versionId(), version.versionId()) && current.order() == version.order();
                String id = version.versionId() == null ? Versions.NULL : version.versionId();
                Instant modified = Instant.ofEpochMilli(version.lastModifiedMillis());
                String key = ObjectListing.encode(version.key(), url);
                if (version.deleteMarker()) {
                    versions.add(new DeleteMarkerEntry(key, id, latest, modified, BucketOperations.owner(bucket.account())));
                } else {
                    versions.add(new VersionEntry(key, id, latest, modified, version.quotedEtag(), version.listedChecksumAlgorithm(),
                            version.checksumType(), version.size(),
                            version.storageClass() == null ? "STANDARD" : version.storageClass(), ObjectListing.owner(bucket, version)));
                }
            }
            // The page ends with a common prefix (lastItem) or a version.
            StoredObject last = page.isEmpty() || lastItem != null ? null : page.getLast();
            String nextKeyMarker = !truncated ? null : last != null ? last.key() : lastItem;
            String nextVersionIdMarker = !truncated || last == null ? null : last.versionId() == null ? Versions.NULL : last.versionId();
            return new ListObjectVersionsResponse(bucket.name(), ObjectListing.encode(prefix, url),
                    ObjectListing.encode(request.keyMarker() == null ? "" : request.keyMarker(), url),
                    request.versionIdMarker() == null ? "" : request.versionIdMarker(),
                    ObjectListing.encode(nextKeyMarker, url), nextVersionIdMarker, max, ObjectListing.encode(delimiter, url), truncated,
                    url ? "url" : null, versions,
                    prefixes.stream().map(p -> new ListModel.CommonPrefix(ObjectListing.encode(p, url))).toList());
        }
    }

    /** The first store key after the markers, or null to start at the prefix. */
    private byte[] start(Bucket bucket, String keyMarker, String versionIdMarker, boolean versioned) {
        if (keyMarker == null || keyMarker.isEmpty()) {
            return null;
        }
        if (!versioned || versionIdMarker == null || versionIdMarker.isEmpty()) {
            return Key.prefixEnd(Key.builder().add(bucket.name()).add(keyMarker).build());
        }
        StoredObject version = Versions.wellFormed(versionIdMarker) ? Versions.version(buckets.store(), bucket, keyMarker, versionIdMarker) : null;
        if (version == null) {
            throw Versions.invalidId("version-id-marker", versionIdMarker);
        }
        byte[] key = Versions.key(bucket.name(), keyMarker, version.order());
        return Arrays.copyOf(key, key.length + 1);
    }
}
