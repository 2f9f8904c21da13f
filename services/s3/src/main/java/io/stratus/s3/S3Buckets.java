package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Ids;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.Buckets;
import io.stratus.s3.ObjectModel.PutObjectRequest;
import io.stratus.storage.Store;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Map;

/**
 * {@link Buckets} over this service: an object written into a bucket exactly as its owner's
 * PutObject would write it (versions, event notifications, durability). Thread-safe.
 */
final class S3Buckets implements Buckets {

    private final Store store;
    private final ObjectOperations objects;

    S3Buckets(Store store, ObjectOperations objects) {
        this.store = requireNonNull(store, "store is null");
        this.objects = requireNonNull(objects, "objects is null");
    }

    @Override
    public boolean exists(String bucket) {
        return BucketStore.read(store, bucket) != null;
    }

    @Override
    public void put(String bucket, String key, byte[] body, String contentType) {
        Bucket owner = BucketStore.read(store, bucket);
        if (owner == null) {
            throw BucketStore.noSuchBucket(bucket);
        }
        String account = owner.account();
        RequestContext context = new RequestContext(Ids.requestId(), account, owner.region(), account, Principal.root(account), Instant.now());
        objects.putObject(context, new PutObjectRequest(bucket, key, (long) body.length, null, null, contentType, null, null, null, null, null,
                null, null, null, Map.of(), null, null, null, null, Map.of(), null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, new ByteArrayInputStream(body)));
    }
}
