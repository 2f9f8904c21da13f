package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import io.stratus.s3.BucketConfigOperations.ConfigRequest;
import io.stratus.s3.BucketConfigOperations.NoContent;
import io.stratus.storage.StoreReader;
import java.util.Map;

/**
 * PutBucketReplication, GetBucketReplication and DeleteBucketReplication: a bucket's
 * {@link BucketReplication} rules, checked as S3 checks them (both buckets versioned, the
 * destination there) and stored as sent; the {@link Replicator} acts on them. Thread-safe.
 */
final class ReplicationOperations {

    static final String SUBRESOURCE = "replication";

    private final BucketStore buckets;

    ReplicationOperations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    /** The bucket's replication rules, or null when it has none. */
    static BucketReplication read(StoreReader reader, String bucket) {
        return BucketStore.config(reader, bucket, SUBRESOURCE).map(BucketReplication::parse).orElse(null);
    }

    NoContent put(RequestContext context, ConfigRequest request) {
        Bucket source = buckets.require(context, request.bucket());
        byte[] document = request.document() == null ? new byte[0] : request.document();
        BucketReplication replication = BucketReplication.parse(document);
        if (!source.versioningEnabled()) {
            throw invalid("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }
        for (BucketReplication.Rule rule : replication.rules()) {
            Bucket destination = BucketStore.read(buckets.store(), rule.destinationBucket());
            if (destination == null) {
                throw invalid("Destination bucket must exist.");
            }
            if (destination.name().equals(source.name())) {
                throw invalid("Destination bucket cannot be the same as the source bucket.");
            }
            if (!destination.account().equals(source.account()) || rule.account() != null && !rule.account().equals(source.account())) {
                throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "Stratus does not support replicating into another account's bucket yet.");
            }
            if (!destination.versioningEnabled()) {
                throw invalid("Destination bucket must have versioning enabled.");
            }
        }
        buckets.putConfig(context, request.bucket(), SUBRESOURCE, document);
        return new NoContent();
    }

    ConfigDocument get(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), SUBRESOURCE).orElseThrow(() -> new AwsException(
                S3Errors.REPLICATION_CONFIGURATION_NOT_FOUND, "The replication configuration was not found", Map.of("BucketName", request.bucket()), null));
        return new ConfigDocument("application/xml", document);
    }

    NoContent delete(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        buckets.deleteConfig(context, request.bucket(), SUBRESOURCE);
        return new NoContent();
    }

    private static AwsException invalid(String message) {
        return AwsException.of(S3Errors.INVALID_REQUEST, message);
    }
}
