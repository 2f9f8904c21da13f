package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import io.stratus.s3.BucketConfigOperations.ConfigRequest;
import java.util.Map;

/**
 * Put, Get and DeleteBucketLifecycleConfiguration: a configuration is checked (see
 * {@link Lifecycle}) and stored as sent; {@link LifecycleWorker} applies it. Thread-safe.
 */
final class LifecycleOperations {

    static final String SUBRESOURCE = "lifecycle";

    private final BucketStore buckets;

    LifecycleOperations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    BucketConfigOperations.NoContent put(RequestContext context, ConfigRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = request.document() == null ? new byte[0] : request.document();
        Lifecycle.parse(document);
        buckets.putConfig(context, request.bucket(), SUBRESOURCE, document);
        return new BucketConfigOperations.NoContent();
    }

    ConfigDocument get(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), SUBRESOURCE).orElseThrow(() -> new AwsException(S3Errors.NO_SUCH_LIFECYCLE_CONFIGURATION,
                "The lifecycle configuration does not exist", Map.of("BucketName", request.bucket()), null));
        return new ConfigDocument("application/xml", document);
    }

    BucketConfigOperations.NoContent delete(RequestContext context, BucketModel.BucketRequest request) {
        buckets.deleteConfig(context, request.bucket(), SUBRESOURCE);
        return new BucketConfigOperations.NoContent();
    }
}
