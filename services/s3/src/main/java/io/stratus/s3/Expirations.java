package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.DecodedRecords;

/**
 * The {@code x-amz-expiration} header S3 sends with an object that a bucket's lifecycle rules
 * will expire (PutObject, CopyObject, CompleteMultipartUpload, GetObject, HeadObject), by the
 * rules {@link LifecycleWorker} applies. A bucket without a lifecycle configuration costs one point
 * read; a stored configuration is parsed once, not per request. Thread-safe.
 */
final class Expirations {

    private final BucketStore buckets;
    private final DecodedRecords<String, Lifecycle> parsed = new DecodedRecords<>(1024, Lifecycle::parse);

    Expirations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    /** The header for {@code current}, its key's current version in {@code bucket}; null when no enabled rule expires it. */
    String header(String bucket, StoredObject current) {
        Lifecycle lifecycle = parsed.decode(bucket, buckets.config(bucket, LifecycleOperations.SUBRESOURCE).orElse(null));
        return lifecycle == null ? null : lifecycle.expiration(current).map(Lifecycle.Expiration::header).orElse(null);
    }
}
