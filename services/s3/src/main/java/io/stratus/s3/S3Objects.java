package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Ids;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ObjectSource;
import io.stratus.storage.Store;
import java.io.InputStream;
import java.time.Instant;

/**
 * {@link ObjectSource} over this service's buckets: an object's body as GetObject would return it
 * to the account, with GetObject's errors. Thread-safe.
 */
final class S3Objects implements ObjectSource {

    private final Store store;
    private final BodyStore bodies;

    S3Objects(Store store, BodyStore bodies) {
        this.store = requireNonNull(store, "store is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
    }

    @Override
    public InputStream open(String accountId, String bucket, String key, String versionId) {
        // Buckets are global: the region of the reading request does not matter here.
        RequestContext context = new RequestContext(Ids.requestId(), accountId, "us-east-1", accountId, Principal.root(accountId), Instant.EPOCH);
        return BodyStore.reading(() -> {
            StoredObject object = Versions.find(store, context, bucket, key, versionId);
            if (object.deleteMarker()) {
                throw Versions.deleteMarkerNotAllowed(object, "GET");
            }
            return bodies.open(object.bodyId(), 0, object.size());
        });
    }
}
